package io.github.superresolve.train;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.RampSchedule;
import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.NativeBackend;
import io.github.superresolve.nn.SrResNet;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pixel-MSE training of an SRResNet generator: a SameDiff graph whose parameters are variables,
 * gradients from {@link SameDiff#calculateGradientsAndOutputs}, and Adam applied by ND4J's fused
 * updater (one per parameter, so its state can be checkpointed and restored exactly).
 *
 * <p>Batch-norm layers use the batch's statistics while training (built from {@code mean} and
 * {@code rsqrt}: M2.1's {@code batchNorm} op cannot be differentiated) and keep running averages
 * (momentum 0.1, unbiased variance, as PyTorch) in the batch-norm {@code mean} and {@code var} entries,
 * which inference folds into the convolutions.
 */
public final class GeneratorTrainer implements GeneratorTraining {

    static {
        NativeBackend.init();
    }

    /**
     * Optimiser settings.
     *
     * @param warmup steps over which the learning rate rises linearly to {@code learningRate}, counted from step 0
     *               of the run ({@code (step + 1) / warmup} of it before; ND4J's {@link RampSchedule}), 0 for none. A
     *               resumed run past them is unaffected, so it continues exactly.
     */
    public record AdamSettings(double learningRate, double beta1, double beta2, double epsilon, int warmup) {
        public AdamSettings {
            if (!(learningRate > 0) || learningRate > 1)
                throw new IllegalArgumentException("The learning rate must be in (0, 1], not " + learningRate + ".");
            if (warmup < 0) throw new IllegalArgumentException("Warm-up steps must be 0 or more, not " + warmup + ".");
        }

        public AdamSettings(double learningRate, double beta1, double beta2, double epsilon) {
            this(learningRate, beta1, beta2, epsilon, 0);
        }

        /** These settings with a learning-rate warm-up of {@code steps} steps. */
        public AdamSettings withWarmup(int steps) {
            return new AdamSettings(learningRate, beta1, beta2, epsilon, steps);
        }

        /** ND4J's Adam with these settings (the warm-up as its learning-rate schedule). */
        Adam updater() {
            Adam conf = new Adam(learningRate, beta1, beta2, epsilon);
            if (warmup > 1) conf.setLearningRateSchedule(new RampSchedule(new FixedSchedule(learningRate), warmup));
            return conf;
        }

        /** The study's optimiser: learning rate 1e-4, beta1 0.9. */
        public static AdamSettings study() {
            return new AdamSettings(1e-4, 0.9, 0.999, 1e-8);
        }

        public static AdamSettings of(double learningRate) {
            return new AdamSettings(learningRate, 0.9, 0.999, 1e-8);
        }
    }

    static final String LR = "lr_input";
    static final String HR = "hr_target";
    static final String LOSS = "loss";
    static final double BN_MOMENTUM = 0.1;

    private final GeneratorConfig config;
    private final AdamSettings adam;
    private final SameDiff sd = SameDiff.create();
    /** parameter name (as in model files) -> graph variable name */
    private final Map<String, String> varNames = new LinkedHashMap<>();
    /** parameters not trained by gradient: batch-norm running statistics */
    private final Map<String, INDArray> running = new LinkedHashMap<>();
    private final AdamState optimizer;
    private final List<String> bnLayers;
    private final List<String> outputs = new ArrayList<>();
    private long step;

    /**
     * @param params initial parameters (copied): from {@link SrResNet#initParams} or a model to fine-tune
     */
    public GeneratorTrainer(GeneratorConfig config, Map<String, INDArray> params, AdamSettings adam) {
        this(config, params, adam, null);
    }

    /**
     * An adversarial term of the generator's loss: {@code weight * mean(-log D(G(x)))} against a
     * discriminator whose parameter arrays are shared (not copied) with its own trainer, so its updates
     * are seen here without copying. With {@code rampSteps > 0} the weight rises linearly over the
     * generator's first rampSteps steps: weight * min(1, (step + 1) / rampSteps), step counted from 0.
     * With {@code relativistic} the term is {@code weight * mean(-log sigmoid(C(G(x_i)) - C(y_i)))}, C the
     * discriminator's logit and y_i the ground truth of input x_i: each output against its own truth
     * ({@link DiscriminatorTrainer}'s relativistic loss, from the generator's side).
     */
    public record Adversary(io.github.superresolve.nn.Discriminator.Kind kind, Map<String, INDArray> sharedParams, int patch,
                            double weight, int rampSteps, double instanceNoise, boolean relativistic) {
        public Adversary(io.github.superresolve.nn.Discriminator.Kind kind, Map<String, INDArray> sharedParams, int patch, double weight,
                         int rampSteps, double instanceNoise) {
            this(kind, sharedParams, patch, weight, rampSteps, instanceNoise, false);
        }

        public Adversary(io.github.superresolve.nn.Discriminator.Kind kind, Map<String, INDArray> sharedParams, int patch, double weight) {
            this(kind, sharedParams, patch, weight, 0, 0);
        }

        public Adversary(io.github.superresolve.nn.Discriminator.Kind kind, Map<String, INDArray> sharedParams, int patch, double weight,
                         int rampSteps) {
            this(kind, sharedParams, patch, weight, rampSteps, 0);
        }

        /** The weight of the step after {@code stepsTaken} steps. */
        public double weightAt(long stepsTaken) {
            return rampSteps <= 0 ? weight : weight * Math.min(1.0, (stepsTaken + 1.0) / rampSteps);
        }
    }

    static final String MSE = "mse";
    static final String ADV = "adversarial";
    static final String FAKE = "fake";
    static final String ADV_MASK = "adversarial_mask";
    static final String ADV_PAIRS = "adversarial_pairs";
    static final String ADV_WEIGHT = "adversarial_weight";
    static final String ADV_NOISE = "instance_noise";
    /** the discriminator's instance noise in the adversarial term (none without an adversary) */
    private InstanceNoise noise = new InstanceNoise(0, 0);
    private final Adversary adversary;
    private final boolean freezeTrunk;
    /** graph variable names of the parameters trained by gradient: all, or the tail's with a frozen trunk */
    private final List<String> trained = new ArrayList<>();
    /** Whether the adversarial term shows the discriminator real and generated images in one batch. */
    private boolean mixedBatch;
    private double lastMse = Double.NaN, lastAdversarial = Double.NaN;
    private INDArray lastFake;

    /** A trainer whose loss is pixel MSE plus, when {@code adversary} is given, its adversarial term. */
    public GeneratorTrainer(GeneratorConfig config, Map<String, INDArray> params, AdamSettings adam, Adversary adversary) {
        this(config, params, adam, adversary, false);
    }

    /**
     * The same, with the trunk frozen when {@code freezeTrunk}: only the upsampling blocks and the output
     * convolution ({@link #isTail}) get gradients and updates; the trunk's weights stay as given.
     */
    public GeneratorTrainer(GeneratorConfig config, Map<String, INDArray> params, AdamSettings adam, Adversary adversary,
                            boolean freezeTrunk) {
        this.adversary = adversary;
        this.freezeTrunk = freezeTrunk;
        this.config = config;
        this.adam = adam;
        this.bnLayers = SrResNet.batchNormLayers(config);
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            if (e.getKey().endsWith("/mean") || e.getKey().endsWith("/var"))
                running.put(e.getKey(), e.getValue().castTo(DataType.FLOAT).dup());
        }
        SDVariable in = sd.placeHolder(LR, DataType.FLOAT, -1, config.channels(), -1, -1);
        SDVariable target = sd.placeHolder(HR, DataType.FLOAT, -1, config.channels(), -1, -1);
        SDVariable out = SrResNet.generator(sd, in, config, name -> {
            String v = varNames.get(name);
            if (v != null) return sd.getVariable(v);
            INDArray a = params.get(name);
            if (a == null) throw new IllegalArgumentException("The initial parameters lack " + name + ".");
            v = name.replace('/', '_');
            varNames.put(name, v);
            return sd.var(v, a.castTo(DataType.FLOAT).dup());
        }, true);
        SDVariable diff = out.sub(target);
        SDVariable loss = diff.mul(diff).mean();
        if (adversary != null) {
            sd.updateVariableNameAndReference(out, FAKE);
            sd.updateVariableNameAndReference(loss, MSE);
            // A batch-norm discriminator is trained on real and generated images in one batch, so its
            // batch statistics mix both; it must see the same mix here. Shown the generated images alone,
            // its batch-norm re-centres them by their own statistics, which removes exactly the global
            // difference (less fine detail throughout) it learnt to detect, and the generator's
            // adversarial gradient says little. So: real and generated in one batch, the loss taken over
            // the generated rows only (a mask), gradients flowing to the generator through those rows.
            mixedBatch = adversary.kind() != io.github.superresolve.nn.Discriminator.Kind.FFT;
            SDVariable mask = mixedBatch && !adversary.relativistic() ? sd.placeHolder(ADV_MASK, DataType.FLOAT, -1, 1) : null;
            SDVariable dIn = mixedBatch ? sd.concat(0, out, target) : out;
            noise = new InstanceNoise(adversary.instanceNoise(), 0x9e4e_7a70L);
            if (noise.enabled()) dIn = dIn.add(sd.placeHolder(ADV_NOISE, DataType.FLOAT, -1, config.channels(), adversary.patch(), adversary.patch()));
            SDVariable condition = null;
            if (adversary.kind().conditional()) { // each image beside this step's generator input, upsampled
                SDVariable up = io.github.superresolve.nn.Discriminator.condition(sd, in, config.channels(), config.scale());
                condition = mixedBatch ? sd.concat(0, up, up) : up;
            }
            SDVariable logits = io.github.superresolve.nn.Discriminator.logits(sd, dIn, condition, adversary.kind(), config.channels(),
                    adversary.patch(), name -> {
                        String v = "D_" + name.replace('/', '_');
                        if (sd.hasVariable(v)) return sd.getVariable(v);
                        INDArray a = adversary.sharedParams().get(name);
                        if (a == null) throw new IllegalArgumentException("The discriminator lacks " + name + ".");
                        return sd.var(v, a); // shared array: the discriminator's updates are seen here
                    });
            // the generator wants D(G(x)) = 1: cross-entropy -log(sigmoid(l)) = softplus(-l)
            SDVariable adv;
            if (adversary.relativistic()) {
                // relativistic: each generated image against its own ground truth, -log sigmoid(C(fake) - C(real))
                SDVariable pairs = sd.placeHolder(ADV_PAIRS, DataType.FLOAT, -1, -1);
                adv = io.github.superresolve.nn.Discriminator.softplus(sd, pairs.mmul(logits).neg()).mean();
            } else {
                SDVariable perImage = io.github.superresolve.nn.Discriminator.softplus(sd, logits.neg());
                adv = mixedBatch ? perImage.mul(mask).sum().div(mask.sum()) : perImage.mean();
            }
            sd.updateVariableNameAndReference(adv, ADV);
            // the weight is fed each step (a ramp changes it), a scalar placeholder
            loss = loss.add(adv.mul(sd.placeHolder(ADV_WEIGHT, DataType.FLOAT)));
            outputs.add(MSE);
            outputs.add(ADV);
            outputs.add(FAKE);
        }
        sd.updateVariableNameAndReference(loss, LOSS);
        sd.setLossVariables(LOSS);
        outputs.add(LOSS);
        for (String bn : bnLayers) {
            outputs.add(SrResNet.batchMeanName(bn));
            outputs.add(SrResNet.batchVarName(bn));
        }
        for (Map.Entry<String, String> e : varNames.entrySet())
            if (!freezeTrunk || isTail(e.getKey())) trained.add(e.getValue());
        if (trained.isEmpty()) throw new IllegalArgumentException("With the trunk frozen nothing is left to train.");
        AdamState.buildGradientsQuietly(sd);
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : varNames.entrySet()) arrays.put(e.getKey(), sd.getVariable(e.getValue()).getArr());
        optimizer = new AdamState(arrays, adam);
    }

    public GeneratorConfig config() {
        return config;
    }

    public AdamSettings adam() {
        return adam;
    }

    /** Whether a parameter (model-file name) belongs to the tail: an upsampling block or the output convolution. */
    public static boolean isTail(String param) {
        return param.startsWith("up") || param.startsWith("conv_out/");
    }

    /** Whether only the tail is trained. */
    public boolean trunkFrozen() {
        return freezeTrunk;
    }

    /** Steps taken so far. */
    public long step() {
        return step;
    }

    /**
     * One optimisation step on a batch.
     *
     * @param lr     low-resolution inputs, NCHW, {@code n x C x h x w}
     * @param hr     targets, NCHW, {@code n x C x (h*scale) x (w*scale)}
     * @return the batch's MSE before the update
     */
    public double step(float[] lr, float[] hr, int n, int h, int w) {
        int c = config.channels(), s = config.scale();
        if (lr.length != (long) n * c * h * w || hr.length != (long) n * c * h * s * w * s)
            throw new IllegalArgumentException("Batch shapes do not match " + n + "x" + c + "x" + h + "x" + w + " -> x" + s + ".");
        try (INDArray in = Nd4j.create(lr, new long[]{n, c, h, w}, 'c');
             INDArray target = Nd4j.create(hr, new long[]{n, c, (long) h * s, (long) w * s}, 'c')) {
            Map<String, INDArray> feed = feed(in, target);
            OutAndGrad og = sd.calculateGradientsAndOutputs(feed, outputs, trained);
            closeExtras(feed);
            Map<String, INDArray> grads = og.getGradients();
            double loss = og.getOutputs().get(LOSS).getDouble(0);
            if (!Double.isFinite(loss))
                throw new IllegalStateException("The training loss became " + loss + " at step " + (step + 1)
                        + ": lower the learning rate or check the images for NaN values.");
            for (Map.Entry<String, String> e : varNames.entrySet()) {
                INDArray g = grads.get(e.getValue());
                if (g == null) continue; // frozen
                optimizer.update(e.getKey(), g, step);
                INDArray p = sd.getVariable(e.getValue()).getArr();
                p.subi(g);
                // the graph's PReLU is max(x, alpha*x): exact for slopes in [0, 1]
                if (e.getKey().endsWith("/alpha")) Transforms.min(Transforms.max(p, 0.0, false), 1.0, false);
                g.close();
            }
            if (!bnLayers.isEmpty()) updateRunningStatistics(og.getOutputs(), (long) n * h * w);
            if (adversary != null) {
                lastMse = og.getOutputs().get(MSE).getDouble(0);
                lastAdversarial = og.getOutputs().get(ADV).getDouble(0);
                if (lastFake != null) lastFake.close();
                lastFake = og.getOutputs().remove(FAKE).dup();
            } else {
                lastMse = loss;
            }
            for (INDArray o : og.getOutputs().values()) o.close();
            step++;
            // ND4J frees the off-heap arrays of a step only when the JVM collects their Java objects; with
            // few Java objects that happens late and native memory grew to the heap limit with steps
            // slowing from ~2.4 s to 5-8 s. A collection per step (~10 ms) keeps them at ~2.4 s
            System.gc();
            return loss;
        }
    }

    /**
     * The placeholders of a step: inputs and targets, and with an adversary this step's weight, instance
     * noise, and the mask or pair matrix of its loss.
     */
    private Map<String, INDArray> feed(INDArray in, INDArray target) {
        long n = in.size(0);
        Map<String, INDArray> feed = new java.util.HashMap<>(Map.of(LR, in, HR, target));
        if (adversary == null) return feed;
        feed.put(ADV_WEIGHT, Nd4j.scalar(DataType.FLOAT, (float) adversary.weightAt(step)));
        if (noise.enabled()) {
            long[] shape = target.shape().clone();
            if (mixedBatch) shape[0] = 2 * n;
            feed.put(ADV_NOISE, noise.sample(shape, step));
        }
        if (adversary.relativistic()) { // generated row i minus real row n + i
            feed.put(ADV_PAIRS, io.github.superresolve.nn.Discriminator.pairDifferences(n));
        } else if (mixedBatch) { // 1 for the generated rows (first n), 0 for the real ones
            feed.put(ADV_MASK, Nd4j.vstack(Nd4j.ones(DataType.FLOAT, n, 1), Nd4j.zeros(DataType.FLOAT, n, 1)));
        }
        return feed;
    }

    /** Closes the arrays {@link #feed} made beside the caller's inputs and targets. */
    private static void closeExtras(Map<String, INDArray> feed) {
        for (Map.Entry<String, INDArray> e : feed.entrySet())
            if (!e.getKey().equals(LR) && !e.getKey().equals(HR)) e.getValue().close();
    }

    /**
     * The graph's gradients of the loss (pixel MSE, plus the adversarial term of the next step) on a
     * batch, by model-file name, without an update (for comparing other engines with this graph); the
     * loss is under {@code "loss"}.
     */
    Map<String, INDArray> gradients(float[] lr, float[] hr, int n, int h, int w) {
        int c = config.channels(), s = config.scale();
        try (INDArray in = Nd4j.create(lr, new long[]{n, c, h, w}, 'c');
             INDArray target = Nd4j.create(hr, new long[]{n, c, (long) h * s, (long) w * s}, 'c')) {
            Map<String, INDArray> feed = feed(in, target);
            OutAndGrad og = sd.calculateGradientsAndOutputs(feed, outputs, trained);
            closeExtras(feed);
            Map<String, INDArray> result = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : varNames.entrySet()) {
                INDArray g = og.getGradients().get(e.getValue());
                if (g != null) result.put(e.getKey(), g.dup());
            }
            result.put(LOSS, og.getOutputs().get(LOSS).dup());
            return result;
        }
    }

    private void updateRunningStatistics(Map<String, INDArray> out, long count) {
        // every batch-norm layer sits in the trunk, at input resolution: n*h*w values per channel
        double unbias = count > 1 ? count / (count - 1.0) : 1.0;
        for (String bn : bnLayers) {
            INDArray mean = out.get(SrResNet.batchMeanName(bn)).reshape(-1);
            INDArray var = out.get(SrResNet.batchVarName(bn)).reshape(-1).mul(unbias);
            running.get(bn + "/mean").muli(1 - BN_MOMENTUM).addi(mean.mul(BN_MOMENTUM));
            running.get(bn + "/var").muli(1 - BN_MOMENTUM).addi(var.mul(BN_MOMENTUM));
        }
    }

    /** Pixel MSE of the last step (equal to its loss without an adversary). */
    public double lastMse() {
        return lastMse;
    }

    /** The adversarial weight of the last step (after a ramp's share), NaN without an adversary. */
    public double lastAdversarialWeight() {
        return adversary == null || step == 0 ? Double.NaN : adversary.weightAt(step - 1);
    }

    /** Adversarial term -log D(G(x)) of the last step (unweighted), NaN without an adversary. */
    public double lastAdversarial() {
        return lastAdversarial;
    }

    /** The generator's outputs of the last step (n, C, H, W), for the discriminator's step; null without an adversary. */
    public INDArray lastFake() {
        return lastFake;
    }

    /** Current parameters (copies), with batch-norm running statistics: a model file's content. */
    public Map<String, INDArray> params() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : varNames.entrySet()) p.put(e.getKey(), sd.getVariable(e.getValue()).getArr().dup());
        for (Map.Entry<String, INDArray> e : running.entrySet()) p.put(e.getKey(), e.getValue().dup());
        return p;
    }

    /** Optimiser state (copies), keyed {@code adam/PARAM}: with {@link #step()} enough to resume exactly. */
    public Map<String, INDArray> optimizerState() {
        return optimizer.snapshot();
    }

    /** Restores the optimiser state and step count saved by {@link #optimizerState()}. */
    public void restore(Map<String, INDArray> state, long step) {
        optimizer.restore(state, "generator");
        this.step = step;
    }

    /** The array a graph variable holds (for tests of array sharing). */
    INDArray variableArray(String graphName) {
        return sd.getVariable(graphName).getArr();
    }

    /** Graph parameters by model-file name (for tests). */
    int parameterTensors() {
        return varNames.size();
    }

    @Override
    public void close() {
        // releases the off-heap buffers now instead of at garbage collection; the trainer is unusable afterwards
        for (String v : varNames.values()) sd.getVariable(v).getArr().close();
        optimizer.close();
    }
}
