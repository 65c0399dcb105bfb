package io.github.superresolve.train;

import io.github.superresolve.nn.Discriminator;
import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.NativeBackend;
import io.github.superresolve.nn.TrainingPass;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The generator's adversarial term for the eager engine ({@link EagerGeneratorTrainer}): the
 * discriminator as a SameDiff graph whose input is the generator's output, differentiated by that
 * input only. The eager pass hands it its output between forward and backward
 * ({@link TrainingPass.OutputTerm}); it adds {@code weight * d(adversarial)/d(output)} to the MSE's
 * gradient, and the pass carries the sum back through the generator. The maths of
 * {@link GeneratorTrainer}'s adversarial term, term for term: the same mixed batch of generated and real
 * images (a batch-norm discriminator must see the mix it was trained on), instance noise, conditional
 * inputs, mask or relativistic pairs, and weight ramp; the discriminator's parameter arrays are shared
 * with {@link DiscriminatorTrainer}, which updates them in place.
 *
 * <p>Why a graph here and kernels for the generator: the discriminator runs on the 96x96 outputs only
 * (eight convolutions, four of them strided), a small part of a step beside the generator's sixteen
 * blocks, and its ten kinds (fixed filters, thresholds, FFT matrices, conditions) are built once in
 * {@link Discriminator} for both of its users.
 */
final class AdversarialTerm implements TrainingPass.OutputTerm, AutoCloseable {

    static {
        NativeBackend.init();
    }

    static final String FAKE = "fake";
    static final String REAL = "real";
    static final String INPUTS = "generator_inputs";
    static final String NOISE = "instance_noise";
    static final String MASK = "adversarial_mask";
    static final String PAIRS = "adversarial_pairs";
    static final String ADV = "adversarial";

    private final GeneratorTrainer.Adversary adversary;
    private final SameDiff sd = SameDiff.create();
    private final InstanceNoise noise;
    private final boolean mixedBatch;
    private INDArray inputs, truth, fake;
    private long step;
    private double last = Double.NaN;

    AdversarialTerm(GeneratorConfig config, GeneratorTrainer.Adversary adversary) {
        this.adversary = adversary;
        int c = config.channels(), p = adversary.patch();
        Discriminator.Kind kind = adversary.kind();
        // see GeneratorTrainer: a batch-norm discriminator judges generated images in a batch with real ones
        mixedBatch = kind != Discriminator.Kind.FFT;
        SDVariable fakeIn = sd.placeHolder(FAKE, DataType.FLOAT, -1, c, p, p);
        SDVariable dIn = mixedBatch ? sd.concat(0, fakeIn, sd.placeHolder(REAL, DataType.FLOAT, -1, c, p, p)) : fakeIn;
        noise = new InstanceNoise(adversary.instanceNoise(), 0x9e4e_7a70L);
        if (noise.enabled()) dIn = dIn.add(sd.placeHolder(NOISE, DataType.FLOAT, -1, c, p, p));
        SDVariable condition = null;
        if (kind.conditional()) {
            SDVariable up = Discriminator.condition(sd, sd.placeHolder(INPUTS, DataType.FLOAT, -1, c, -1, -1), c, config.scale());
            condition = mixedBatch ? sd.concat(0, up, up) : up;
        }
        SDVariable logits = Discriminator.logits(sd, dIn, condition, kind, c, p, name -> {
            String v = "D_" + name.replace('/', '_');
            if (sd.hasVariable(v)) return sd.getVariable(v);
            INDArray a = adversary.sharedParams().get(name);
            if (a == null) throw new IllegalArgumentException("The discriminator lacks " + name + ".");
            return sd.var(v, a); // shared array: the discriminator's updates are seen here
        });
        SDVariable adv;
        if (adversary.relativistic()) { // each generated image against its own ground truth
            adv = Discriminator.softplus(sd, sd.placeHolder(PAIRS, DataType.FLOAT, -1, -1).mmul(logits).neg()).mean();
        } else { // the generator wants D(G(x)) = 1: -log sigmoid(l) = softplus(-l), over the generated rows
            SDVariable perImage = Discriminator.softplus(sd, logits.neg());
            if (mixedBatch) {
                SDVariable mask = sd.placeHolder(MASK, DataType.FLOAT, -1, 1);
                adv = perImage.mul(mask).sum().div(mask.sum());
            } else {
                adv = perImage.mean();
            }
        }
        sd.updateVariableNameAndReference(adv, ADV);
        sd.setLossVariables(ADV);
        java.io.PrintStream original = System.out; // M2.1 prints a line per differentiated op
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            sd.createGradFunction(FAKE);
        } finally {
            System.setOut(original);
        }
    }

    /**
     * The step about to run: its generator inputs and ground truth (NCHW; kept by reference until the
     * next call) and the number of steps taken before it (the ramp's and the noise's step).
     */
    void prepare(INDArray inputs, INDArray truth, long step) {
        this.inputs = inputs;
        this.truth = truth;
        this.step = step;
    }

    /** This step's weight (after the ramp). */
    double weight() {
        return adversary.weightAt(step);
    }

    @Override
    public void addGradient(INDArray output, INDArray gradient) {
        long n = output.size(0);
        if (fake == null || !java.util.Arrays.equals(fake.shape(), truth.shape())) {
            if (fake != null) fake.close();
            fake = Nd4j.create(DataType.FLOAT, truth.shape(), 'c');
        }
        fake.assign(output.permute(0, 3, 1, 2));
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(FAKE, fake);
        if (mixedBatch) feed.put(REAL, truth);
        if (adversary.kind().conditional()) feed.put(INPUTS, inputs);
        if (noise.enabled()) {
            long[] shape = truth.shape().clone();
            if (mixedBatch) shape[0] = 2 * n;
            feed.put(NOISE, noise.sample(shape, step));
        }
        if (adversary.relativistic()) feed.put(PAIRS, Discriminator.pairDifferences(n));
        else if (mixedBatch) feed.put(MASK, Nd4j.vstack(Nd4j.ones(DataType.FLOAT, n, 1), Nd4j.zeros(DataType.FLOAT, n, 1)));
        OutAndGrad og = sd.calculateGradientsAndOutputs(feed, List.of(ADV), List.of(FAKE));
        for (Map.Entry<String, INDArray> e : feed.entrySet())
            if (!e.getKey().equals(FAKE) && !e.getKey().equals(REAL) && !e.getKey().equals(INPUTS)) e.getValue().close();
        last = og.getOutputs().get(ADV).getDouble(0);
        INDArray g = og.getGradients().get(FAKE);
        g.muli(weight());
        gradient.addi(g.permute(0, 2, 3, 1));
        g.close();
        for (INDArray o : og.getOutputs().values()) o.close();
        // the graph's per-call arrays are freed when their Java objects are collected (GeneratorTrainer#step)
        System.gc();
    }

    /** The last step's term, unweighted. */
    double last() {
        return last;
    }

    /** The last step's generated images, NCHW (live: overwritten by the next step). */
    INDArray lastFake() {
        return fake;
    }

    @Override
    public void close() {
        if (fake != null) fake.close();
    }
}
