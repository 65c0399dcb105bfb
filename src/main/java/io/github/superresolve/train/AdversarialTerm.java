package io.github.superresolve.train;

import io.github.superresolve.nn.Discriminator;
import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.DiscriminatorPass;
import io.github.superresolve.nn.NativeBackend;
import io.github.superresolve.nn.TrainingPass;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The generator's adversarial term for the eager engine ({@link EagerGeneratorTrainer}): the eager pass
 * hands it the generator's output between forward and backward ({@link TrainingPass.OutputTerm}); it
 * adds {@code weight * d(adversarial)/d(output)} to the MSE's gradient, and the pass carries the sum back
 * through the generator. The maths of {@link GeneratorTrainer}'s adversarial term, term for term: the
 * same mixed batch of generated and real images (a batch-norm discriminator must see the mix it was
 * trained on), instance noise, conditional inputs, relativistic pairs and weight ramp; the
 * discriminator's parameter arrays are shared with its trainer, which updates them in place.
 *
 * <p>The convolutional discriminators run on the eager layers ({@link DiscriminatorPass}); the FFT
 * discriminator (two dense layers behind fixed transforms, 0.12 s a step as a graph) keeps its SameDiff
 * graph, differentiated by its input only.
 */
final class AdversarialTerm implements TrainingPass.OutputTerm, AutoCloseable {

    static {
        NativeBackend.init();
    }

    static final String FAKE = "fake";
    static final String NOISE = "instance_noise";
    static final String PAIRS = "adversarial_pairs";
    static final String ADV = "adversarial";

    private final GeneratorTrainer.Adversary adversary;
    /** the convolutional kinds' eager pass, or (FFT) the graph */
    private final DiscriminatorPass pass;
    private final boolean ownPass;
    private final SameDiff sd;
    /** the instance noise's seed of the generator's term (as GeneratorTrainer's) */
    static final long NOISE_SEED = 0x9e4e_7a70L;
    private final InstanceNoise noise;
    private final boolean mixedBatch;
    private INDArray inputs, truth, fake;
    private long step;
    private double last = Double.NaN;

    /**
     * @param shared the discriminator trainer's pass to run on (its buffers serve both in turn), or null
     *               for a pass of its own
     */
    AdversarialTerm(GeneratorConfig config, GeneratorTrainer.Adversary adversary, DiscriminatorPass shared) {
        this.adversary = adversary;
        int c = config.channels(), p = adversary.patch();
        Discriminator.Kind kind = adversary.kind();
        // see GeneratorTrainer: a batch-norm discriminator judges generated images in a batch with real ones
        mixedBatch = kind != Discriminator.Kind.FFT;
        noise = new InstanceNoise(adversary.instanceNoise(), NOISE_SEED);
        if (kind != Discriminator.Kind.FFT) {
            ownPass = shared == null;
            pass = ownPass ? new DiscriminatorPass(kind, c, p, config.scale(), adversary.sharedParams(), null) : shared;
            sd = null;
            return;
        }
        pass = null;
        ownPass = false;
        sd = SameDiff.create();
        SDVariable fakeIn = sd.placeHolder(FAKE, DataType.FLOAT, -1, c, p, p);
        SDVariable dIn = fakeIn;
        if (noise.enabled()) dIn = dIn.add(sd.placeHolder(NOISE, DataType.FLOAT, -1, c, p, p));
        SDVariable logits = Discriminator.logits(sd, dIn, null, kind, c, p, name -> {
            String v = "D_" + name.replace('/', '_');
            if (sd.hasVariable(v)) return sd.getVariable(v);
            INDArray a = adversary.sharedParams().get(name);
            if (a == null) throw new IllegalArgumentException("The discriminator lacks " + name + ".");
            return sd.var(v, a); // shared array: the discriminator's updates are seen here
        });
        // the generator wants D(G(x)) = 1: -log sigmoid(l) = softplus(-l)
        SDVariable adv = adversary.relativistic()
                ? Discriminator.softplus(sd, sd.placeHolder(PAIRS, DataType.FLOAT, -1, -1).mmul(logits).neg()).mean()
                : Discriminator.softplus(sd, logits.neg()).mean();
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
        INDArray g = pass != null ? eager(output, n) : graph(n);
        if (pass == null) { // the graph's gradient is NCHW
            g.muli(weight());
            gradient.addi(g.permute(0, 2, 3, 1));
            g.close();
        } else {
            Nd4j.exec(new ScalarMultiplication(g, null, g, weight()));
            Nd4j.exec(new AddOp(gradient, g, gradient));
        }
    }

    /** The convolutional kinds: generated then real images in one batch through the eager pass; the generated rows' gradient (a view). */
    private INDArray eager(INDArray output, long n) {
        INDArray images = pass.images(2 * n);
        images.get(NDArrayIndex.interval(0, n)).assign(output);
        images.get(NDArrayIndex.interval(n, 2 * n)).assign(truth.permute(0, 2, 3, 1));
        if (noise.enabled()) { // the graph's noise: drawn in NCHW order over (generated, real)
            long[] shape = truth.shape().clone();
            shape[0] = 2 * n;
            try (INDArray z = noise.sample(shape, step)) {
                images.addi(z.permute(0, 2, 3, 1));
            }
        }
        INDArray conditions = adversary.kind().conditional() ? Nd4j.concat(0, inputs, inputs) : null;
        INDArray logits = pass.forward(conditions);
        if (conditions != null) conditions.close();
        AdversarialLoss loss = AdversarialLoss.generator(logits, (int) n, adversary.relativistic());
        last = loss.value();
        INDArray g = pass.backward(loss.gradient(), true);
        loss.gradient().close();
        return g.get(NDArrayIndex.interval(0, n));
    }

    /** FFT: the generated images alone through the graph; their gradient (NCHW, to close). */
    private INDArray graph(long n) {
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(FAKE, fake);
        if (noise.enabled()) feed.put(NOISE, noise.sample(truth.shape(), step));
        if (adversary.relativistic()) feed.put(PAIRS, Discriminator.pairDifferences(n));
        OutAndGrad og = sd.calculateGradientsAndOutputs(feed, List.of(ADV), List.of(FAKE));
        for (Map.Entry<String, INDArray> e : feed.entrySet()) if (!e.getKey().equals(FAKE)) e.getValue().close();
        last = og.getOutputs().get(ADV).getDouble(0);
        INDArray g = og.getGradients().get(FAKE);
        for (INDArray o : og.getOutputs().values()) o.close();
        // the graph's per-call arrays are freed when their Java objects are collected (GeneratorTrainer#step)
        System.gc();
        return g;
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
        if (ownPass) pass.close();
    }
}
