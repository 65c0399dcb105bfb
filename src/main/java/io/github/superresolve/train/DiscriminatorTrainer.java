package io.github.superresolve.train;

import io.github.superresolve.nn.Discriminator;
import io.github.superresolve.nn.NativeBackend;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a discriminator with binary cross-entropy: 1 for ground truth, 0 for generated images. Its
 * parameter arrays are the ones given (updated in place), so a generator trainer holding the same
 * arrays sees each update. Adam state is kept per parameter for checkpoints, as in
 * {@link GeneratorTrainer}.
 */
public final class DiscriminatorTrainer implements DiscriminatorTraining {

    static {
        NativeBackend.init();
    }

    static final String IMAGES = "d_images";
    static final String LABELS = "d_labels";
    static final String LOSS = "d_loss";
    static final String LOGITS = "d_logits";
    static final String INPUTS = "d_generator_inputs";
    static final String PAIRS = "d_pairs";
    /** the instance noise's seed of the discriminator's own steps */
    static final long NOISE_SEED = 0x5eed_d15cL;

    private final SameDiff sd = SameDiff.create();
    private final Map<String, INDArray> params;
    private final Map<String, String> varNames = new LinkedHashMap<>();
    private final AdamState optimizer;
    private long step;
    private double lastAccuracy = Double.NaN;
    private final boolean conditional;
    /** pairs (real i, generated i) scored by the difference of their logits instead of each image alone */
    private final boolean relativistic;
    private final InstanceNoise noise;

    /**
     * @param params the discriminator's parameters: trained in place (share them with the generator's trainer)
     */
    public DiscriminatorTrainer(Discriminator.Kind kind, int channels, int patch, Map<String, INDArray> params,
                                GeneratorTrainer.AdamSettings adam) {
        this(kind, channels, patch, 0, params, adam);
    }

    /**
     * @param scale  the generator's factor (its inputs are {@code patch / scale} wide): needed by a
     *               conditional discriminator, which sees them upsampled beside each image
     * @param params the discriminator's parameters: trained in place (share them with the generator's trainer)
     */
    public DiscriminatorTrainer(Discriminator.Kind kind, int channels, int patch, int scale, Map<String, INDArray> params,
                                GeneratorTrainer.AdamSettings adam) {
        this(kind, channels, patch, scale, params, adam, 0);
    }

    /**
     * The same, every image it is shown (real and generated alike) first given Gaussian noise of standard
     * deviation {@code instanceNoise} (intensities ~[0, 1]; 0: none), new noise each step
     * ({@link InstanceNoise}).
     */
    public DiscriminatorTrainer(Discriminator.Kind kind, int channels, int patch, int scale, Map<String, INDArray> params,
                                GeneratorTrainer.AdamSettings adam, double instanceNoise) {
        this(kind, channels, patch, scale, params, adam, instanceNoise, false);
    }

    /**
     * The same; {@code relativistic}: trained on pairs, each ground-truth image against the image generated
     * from its own input, to give the real one the higher logit: loss mean -log sigmoid(C(real_i) - C(fake_i))
     * (relativistic standard GAN, Jolicoeur-Martineau 2018, its pairs matched by input). Accuracy is then
     * the fraction of pairs ordered right.
     */
    public DiscriminatorTrainer(Discriminator.Kind kind, int channels, int patch, int scale, Map<String, INDArray> params,
                                GeneratorTrainer.AdamSettings adam, double instanceNoise, boolean relativistic) {
        this.params = params;
        this.relativistic = relativistic;
        this.noise = new InstanceNoise(instanceNoise, NOISE_SEED);
        this.conditional = kind.conditional();
        if (conditional && scale < 2) throw new IllegalArgumentException("A conditional discriminator needs the generator's scale.");
        SDVariable images = sd.placeHolder(IMAGES, DataType.FLOAT, -1, channels, patch, patch);
        SDVariable labels = relativistic ? null : sd.placeHolder(LABELS, DataType.FLOAT, -1, 1);
        SDVariable condition = null;
        if (conditional) { // the same generator inputs for the real images and the generated ones
            SDVariable up = Discriminator.condition(sd, sd.placeHolder(INPUTS, DataType.FLOAT, -1, channels, -1, -1), channels, scale);
            condition = sd.concat(0, up, up);
        }
        SDVariable logits = Discriminator.logits(sd, images, condition, kind, channels, patch, name -> {
            String v = varNames.get(name);
            if (v != null) return sd.getVariable(v);
            INDArray a = params.get(name);
            if (a == null) throw new IllegalArgumentException("The discriminator lacks parameter " + name + ".");
            v = name.replace('/', '_');
            varNames.put(name, v);
            return sd.var(v, a);
        });
        sd.updateVariableNameAndReference(logits, LOGITS);
        SDVariable loss;
        if (relativistic) { // -log sigmoid(C(real_i) - C(fake_i)), the differences by a pair matrix
            SDVariable pairs = sd.placeHolder(PAIRS, DataType.FLOAT, -1, -1);
            loss = Discriminator.softplus(sd, pairs.mmul(logits).neg()).mean();
        } else { // binary cross-entropy with logits: softplus(l) - y*l
            loss = Discriminator.softplus(sd, logits).sub(labels.mul(logits)).mean();
        }
        sd.updateVariableNameAndReference(loss, LOSS);
        sd.setLossVariables(LOSS);
        AdamState.buildGradientsQuietly(sd);
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (String name : varNames.keySet()) arrays.put(name, params.get(name));
        optimizer = new AdamState(arrays, adam);
    }

    /**
     * One step on ground-truth and generated images of the same shape (n, C, P, P).
     *
     * @return the cross-entropy before the update
     */
    public double step(INDArray real, INDArray fake) {
        return step(real, fake, null);
    }

    /**
     * One step on ground-truth images, the images generated from {@code inputs}, and those inputs (n, C,
     * P/scale, P/scale; a conditional discriminator's, ignored otherwise): real image i and generated
     * image i share input i.
     *
     * @return the cross-entropy before the update
     */
    @Override
    public double step(INDArray real, INDArray fake, INDArray inputs) {
        long n = real.size(0);
        if (conditional && (inputs == null || inputs.size(0) != n || fake.size(0) != n))
            throw new IllegalArgumentException("A conditional discriminator needs the generator's inputs of each real and generated pair.");
        try (INDArray images = noise.addTo(Nd4j.concat(0, real, fake), step);
             INDArray labels = Nd4j.vstack(Nd4j.ones(DataType.FLOAT, n, 1), Nd4j.zeros(DataType.FLOAT, fake.size(0), 1))) {
            Map<String, INDArray> feed = new java.util.HashMap<>(Map.of(IMAGES, images));
            INDArray pairs = null;
            if (relativistic) {
                if (fake.size(0) != n) throw new IllegalArgumentException("A relativistic discriminator needs one generated image per real one.");
                feed.put(PAIRS, pairs = Discriminator.pairDifferences(n));
            } else {
                feed.put(LABELS, labels);
            }
            if (conditional) feed.put(INPUTS, inputs);
            OutAndGrad og = sd.calculateGradientsAndOutputs(feed, List.of(LOSS, LOGITS), varNames.values());
            double loss = og.getOutputs().get(LOSS).getDouble(0);
            if (!Double.isFinite(loss))
                throw new IllegalStateException("The discriminator's loss became " + loss + ": lower its learning rate.");
            INDArray l = og.getOutputs().get(LOGITS);
            int right = 0;
            if (relativistic) {
                for (int i = 0; i < n; i++) if (l.getDouble(i, 0) > l.getDouble(n + i, 0)) right++;
                lastAccuracy = right / (double) n;
                pairs.close();
            } else {
                for (int i = 0; i < l.size(0); i++) if ((l.getDouble(i, 0) > 0) == (i < n)) right++;
                lastAccuracy = right / (double) l.size(0);
            }
            for (Map.Entry<String, String> e : varNames.entrySet()) {
                INDArray g = og.getGradients().get(e.getValue());
                optimizer.update(e.getKey(), g, step);
                params.get(e.getKey()).subi(g);
                g.close();
            }
            for (INDArray o : og.getOutputs().values()) o.close();
            step++;
            System.gc(); // frees the step's native arrays now, see GeneratorTrainer#step
            return loss;
        }
    }

    /** Fraction of the last step's images classified right (logit > 0 for ground truth). */
    @Override
    public double lastAccuracy() {
        return lastAccuracy;
    }

    @Override
    public long step() {
        return step;
    }

    /** Optimiser state (copies), keyed {@code adam/PARAM}. */
    @Override
    public Map<String, INDArray> optimizerState() {
        return optimizer.snapshot();
    }

    /** Restores what {@link #optimizerState()} saved. */
    @Override
    public void restore(Map<String, INDArray> state, long step) {
        optimizer.restore(state, "discriminator");
        this.step = step;
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
