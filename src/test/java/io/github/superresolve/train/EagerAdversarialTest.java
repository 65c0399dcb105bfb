package io.github.superresolve.train;

import io.github.superresolve.nn.Discriminator;
import io.github.superresolve.nn.GeneratorConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.github.superresolve.train.EagerGeneratorTrainerTest.Batch;
import static io.github.superresolve.train.EagerGeneratorTrainerTest.norm;
import static io.github.superresolve.train.EagerGeneratorTrainerTest.varied;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The eager engine's adversarial training ({@link AdversarialTerm}) against the SameDiff graph's
 * ({@link GeneratorTrainer} with an adversary): the same gradient per parameter tensor for every kind
 * of discriminator and loss, and the same parameters of generator and discriminator after alternating
 * steps with a {@link DiscriminatorTrainer}, as {@code TrainingRun} takes them.
 */
class EagerAdversarialTest {

    private static final GeneratorTrainer.AdamSettings ADAM = GeneratorTrainer.AdamSettings.of(1e-3);

    static GeneratorConfig config(int channels) {
        return config(channels, 4);
    }

    static GeneratorConfig config(int channels, int scale) {
        return new GeneratorConfig(channels, scale, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
    }

    /** A discriminator's parameters with a strong enough weight that the adversarial term matters in the gradient. */
    static Map<String, INDArray> discriminator(Discriminator.Kind kind, int channels, int patch) {
        Map<String, INDArray> d = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : Discriminator.initParams(kind, channels, patch, 17).entrySet())
            d.put(e.getKey(), e.getValue().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup());
        return d;
    }

    @ParameterizedTest(name = "{0}, weight {1}, ramp {2}, noise {3}, relativistic {4}, {5} channel(s), x{6}")
    @CsvSource({
            "CONV_LIGHT, 0.05, 0, 0, false, 3, 4",
            "CONV, 0.05, 4, 0, false, 3, 4",
            "HIGHPASS_STRONG, 0.1, 0, 0, true, 3, 4",
            "HIGHPASS_STRONG, 0.05, 0, 0.01, true, 3, 2",
            "CONDITIONAL_STRONG, 0.05, 0, 0.01, false, 3, 4",
            "CONDITIONAL_STRONG, 0.05, 0, 0, true, 3, 2",
            "CONDITIONAL, 0.05, 0, 0, true, 1, 4",
            "FFT, 0.05, 0, 0, false, 3, 4",
            "HIGHPASS_BAND, 0.05, 0, 0.02, true, 1, 4"})
    void gradientsEqualTheGraphs(Discriminator.Kind kind, double weight, int ramp, double noise, boolean relativistic, int channels,
                                 int scale) {
        GeneratorConfig c = config(channels, scale);
        Map<String, INDArray> p = varied(c, 5);
        Map<String, INDArray> d = discriminator(kind, channels, 16);
        GeneratorTrainer.Adversary adversary = new GeneratorTrainer.Adversary(kind, d, 16, weight, ramp, noise, relativistic);
        Batch b = Batch.of(c, 3, 16 / scale, 16 / scale, 9);
        try (GeneratorTrainer graph = new GeneratorTrainer(c, p, ADAM, adversary);
             EagerGeneratorTrainer eager = new EagerGeneratorTrainer(c, p, ADAM, adversary, false);
             GeneratorTrainer mseOnly = new GeneratorTrainer(c, p, ADAM)) {
            Map<String, INDArray> expected = graph.gradients(b.lr(), b.hr(), b.n(), b.h(), b.w());
            Map<String, INDArray> pixel = mseOnly.gradients(b.lr(), b.hr(), b.n(), b.h(), b.w());
            double mse = eager.gradients(b.lr(), b.hr(), b.n(), b.h(), b.w());
            double loss = mse + adversary.weightAt(0) * eager.lastAdversarial();
            assertEquals(expected.remove(GeneratorTrainer.LOSS).getDouble(0), loss, 1e-5 * loss);
            assertEquals(pixel.remove(GeneratorTrainer.LOSS).getDouble(0), mse, 1e-5 * mse);
            Map<String, INDArray> actual = eager.gradientArrays();
            assertEquals(expected.keySet(), actual.keySet());
            double advShare = 0;
            for (Map.Entry<String, INDArray> e : expected.entrySet()) {
                String k = e.getKey();
                INDArray want = e.getValue(), got = actual.get(k);
                double ref = norm(want);
                assertTrue(ref > 0, k + " has a zero gradient: the test would not see mistakes");
                double rel = norm(want.sub(got)) / ref;
                assertTrue(rel <= 1e-3, k + ": relative error " + rel + " (|g| = " + ref + ")");
                advShare = Math.max(advShare, norm(want.sub(pixel.get(k))) / ref);
            }
            // the adversarial term must change the gradients well beyond the tolerance, or the test proves nothing
            assertTrue(advShare > 1e-2, "the adversarial term moves the gradients by only " + advShare);
        }
    }

    @ParameterizedTest(name = "{0}, relativistic {1}")
    @CsvSource({"HIGHPASS_STRONG, true", "CONV_LIGHT, false", "FFT, false", "CONDITIONAL_STRONG, false", "CONV, true"})
    void alternatingStepsGiveTheGraphsParameters(Discriminator.Kind kind, boolean relativistic) {
        GeneratorConfig c = config(3);
        Map<String, INDArray> p = varied(c, 8);
        Map<String, INDArray> dGraph = discriminator(kind, 3, 16), dEager = discriminator(kind, 3, 16), d0 = discriminator(kind, 3, 16);
        GeneratorTrainer.AdamSettings dAdam = GeneratorTrainer.AdamSettings.of(2e-4);
        // as TrainingRun builds them: the critic first, the eager generator's term on its pass
        try (GeneratorTrainer graph = new GeneratorTrainer(c, p, ADAM,
                new GeneratorTrainer.Adversary(kind, dGraph, 16, 0.05, 2, 0.01, relativistic));
             DiscriminatorTrainer criticGraph = new DiscriminatorTrainer(kind, 3, 16, 4, dGraph, dAdam, 0.01, relativistic);
             DiscriminatorTraining criticEager = EagerDiscriminatorTrainer.create(kind, 3, 16, 4, dEager, dAdam, 0.01, relativistic);
             EagerGeneratorTrainer eager = new EagerGeneratorTrainer(c, p, ADAM,
                     new GeneratorTrainer.Adversary(kind, dEager, 16, 0.05, 2, 0.01, relativistic), false, criticEager)) {
            for (int s = 0; s < 3; s++) {
                Batch b = Batch.of(c, 4, 4, 4, 100 + s);
                double lg = graph.step(b.lr(), b.hr(), b.n(), b.h(), b.w());
                double le = eager.step(b.lr(), b.hr(), b.n(), b.h(), b.w());
                assertEquals(lg, le, 1e-4 * lg, "loss at step " + s);
                assertEquals(graph.lastMse(), eager.lastMse(), 1e-4 * lg);
                assertEquals(graph.lastAdversarial(), eager.lastAdversarial(), 1e-4 * Math.abs(graph.lastAdversarial()));
                assertEquals(graph.lastAdversarialWeight(), eager.lastAdversarialWeight(), 1e-12);
                assertEquals(0, graph.lastFake().sub(eager.lastFake()).amaxNumber().doubleValue(), 1e-4);
                try (INDArray real = Nd4j.create(b.hr(), new long[]{4, 3, 16, 16}, 'c');
                     INDArray in = Nd4j.create(b.lr(), new long[]{4, 3, 4, 4}, 'c')) {
                    double a = criticGraph.step(real, graph.lastFake(), in), e = criticEager.step(real, eager.lastFake(), in);
                    assertEquals(a, e, 1e-4 * a, "discriminator loss at step " + s);
                }
            }
            Map<String, INDArray> pg = graph.params(), pe = eager.params();
            // each tensor's whole change (see below): float rounding of two engines, amplified by Adam where a
            // gradient is small, leaves a few percent; a wiring mistake (noise, pairs, conditions, shared
            // arrays) changes the runs by their whole size
            for (String k : pg.keySet()) {
                INDArray moveGraph = pg.get(k).sub(p.get(k)), moveEager = pe.get(k).sub(p.get(k));
                double rel = norm(moveGraph.sub(moveEager)) / norm(moveGraph);
                assertTrue(rel <= 0.1, "generator " + k + ": the runs' changes differ by " + rel + " of the change");
            }
            // Adam moves an entry by about the learning rate whatever the size of its gradient, so where a
            // gradient is rounding noise (a bias before batch-norm, a weight of a rarely active unit) the two
            // runs may step either way: compare each tensor's whole change instead of its largest entry
            for (String k : dGraph.keySet()) {
                // rounding noise in both: a bias before batch-norm, and the last bias under the relativistic
                // loss (it cancels in C(real) - C(fake))
                if (k.endsWith("/b") && (dGraph.containsKey(k.replace("/b", "_bn/gamma")) || (relativistic && k.equals("dense2/b")))) {
                    double diff = dGraph.get(k).sub(dEager.get(k)).amaxNumber().doubleValue();
                    assertTrue(diff <= 2 * 3 * dAdam.learningRate(), "discriminator " + k + " differs by " + diff);
                    continue;
                }
                INDArray moveGraph = dGraph.get(k).sub(d0.get(k)), moveEager = dEager.get(k).sub(d0.get(k));
                double rel = norm(moveGraph.sub(moveEager)) / norm(moveGraph);
                assertTrue(rel <= 0.1, "discriminator " + k + ": the runs' changes differ by " + rel + " of the change");
            }
        }
    }
}
