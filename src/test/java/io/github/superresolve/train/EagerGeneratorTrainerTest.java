package io.github.superresolve.train;

import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.SrResNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The eager trainer against the SameDiff graph trainer: the same gradients (per parameter tensor), the
 * same parameters after several steps, and checkpoints that resume in either. Finite differences are
 * checked in double precision in {@code nn.TrainingPassTest} (in float, rounding of the loss and PReLU's
 * kinks leave central differences of the first layer 0.1-1% off whatever the step).
 */
class EagerGeneratorTrainerTest {

    private static final GeneratorTrainer.AdamSettings ADAM = GeneratorTrainer.AdamSettings.of(1e-3);

    /** Parameters with every layer non-trivial: biases, slopes in [0, 1], batch-norm scales and shifts, running statistics. */
    static Map<String, INDArray> varied(GeneratorConfig c, long seed) {
        Map<String, INDArray> p = SrResNet.initParams(c, seed, 0.5);
        Random r = new Random(seed);
        for (Map.Entry<String, INDArray> e : p.entrySet()) {
            String k = e.getKey();
            int n = (int) e.getValue().length();
            float[] v = new float[n];
            if (k.endsWith("/b") || k.endsWith("/beta") || k.endsWith("/mean")) {
                for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * 0.1);
            } else if (k.endsWith("/gamma")) {
                for (int i = 0; i < n; i++) v[i] = (float) (0.5 + r.nextDouble());
            } else if (k.endsWith("/var")) {
                for (int i = 0; i < n; i++) v[i] = (float) (0.2 + 2 * r.nextDouble());
            } else if (k.endsWith("/alpha")) {
                for (int i = 0; i < n; i++) v[i] = (float) (0.05 + 0.9 * r.nextDouble());
            } else continue;
            e.setValue(Nd4j.create(v, e.getValue().shape(), 'c'));
        }
        return p;
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = r.nextFloat();
        return f;
    }

    /** A batch: inputs and targets (n, C, h, w) and (n, C, h*s, w*s). */
    record Batch(float[] lr, float[] hr, int n, int h, int w) {
        static Batch of(GeneratorConfig c, int n, int h, int w, long seed) {
            int s = c.scale();
            return new Batch(random(n * c.channels() * h * w, seed), random(n * c.channels() * h * s * w * s, seed + 1000), n, h, w);
        }
    }

    /** A conv bias right before batch-norm: its gradient is zero but for rounding (the normalisation removes it). */
    static boolean beforeBatchNorm(GeneratorConfig c, String name) {
        return c.batchNorm() && name.endsWith("/b") && (name.startsWith("res") || name.startsWith("mid_conv"));
    }

    static double norm(INDArray a) {
        return a.norm2Number().doubleValue();
    }

    @ParameterizedTest(name = "{0} ch x{1}, {2} blocks, bn {3}, residual x{4}, skip {5}, {6}")
    @CsvSource({
            "3, 4, 2, false, 0.1, true, SUBPIXEL",   // the fast recipe
            "3, 4, 2, true, 1.0, false, SUBPIXEL",   // the study's recipe: batch-norm
            "1, 2, 2, true, 0.5, true, SUBPIXEL",
            "3, 8, 1, false, 0.1, true, SUBPIXEL",
            "3, 2, 2, false, 0.1, true, DECONV",
            "1, 4, 1, true, 1.0, false, DECONV"})
    void gradientsEqualTheGraphs(int channels, int scale, int blocks, boolean bn, double residual, boolean skip,
                                 GeneratorConfig.Upsampling up) {
        GeneratorConfig c = new GeneratorConfig(channels, scale, blocks, 8, bn, residual, skip, up);
        Map<String, INDArray> p = varied(c, 5);
        Batch b = Batch.of(c, 3, 7, 6, 9);
        try (GeneratorTrainer graph = new GeneratorTrainer(c, p, ADAM);
             EagerGeneratorTrainer eager = new EagerGeneratorTrainer(c, p, ADAM)) {
            Map<String, INDArray> expected = graph.gradients(b.lr(), b.hr(), b.n(), b.h(), b.w());
            double loss = eager.gradients(b.lr(), b.hr(), b.n(), b.h(), b.w());
            assertEquals(expected.remove(GeneratorTrainer.LOSS).getDouble(0), loss, 1e-5 * loss);
            Map<String, INDArray> actual = eager.gradientArrays();
            assertEquals(expected.keySet(), actual.keySet());
            double weightScale = 0;
            for (Map.Entry<String, INDArray> e : expected.entrySet())
                if (e.getKey().endsWith("/W")) weightScale = Math.max(weightScale, e.getValue().amaxNumber().doubleValue());
            for (Map.Entry<String, INDArray> e : expected.entrySet()) {
                String k = e.getKey();
                INDArray want = e.getValue(), got = actual.get(k);
                assertArrayEquals(want.shape(), got.shape(), k);
                if (beforeBatchNorm(c, k)) {
                    // both are rounding noise around zero: compare them with the other gradients' scale
                    assertTrue(want.amaxNumber().doubleValue() < 1e-4 * weightScale, k + " graph " + want.amaxNumber());
                    assertTrue(got.amaxNumber().doubleValue() < 1e-4 * weightScale, k + " eager " + got.amaxNumber());
                    continue;
                }
                double ref = norm(want);
                assertTrue(ref > 0, k + " has a zero gradient: the test would not see mistakes");
                double rel = norm(want.sub(got)) / ref;
                assertTrue(rel <= 1e-3, k + ": relative error " + rel + " (|g| = " + ref + ")");
            }
        }
    }

    @ParameterizedTest(name = "bn {0}")
    @CsvSource({"false", "true"})
    void severalStepsGiveTheGraphTrainersParameters(boolean bn) {
        GeneratorConfig c = bn ? new GeneratorConfig(3, 4, 2, 8, true, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL)
                : new GeneratorConfig(3, 4, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = varied(c, 8);
        try (GeneratorTrainer graph = new GeneratorTrainer(c, p, ADAM);
             EagerGeneratorTrainer eager = new EagerGeneratorTrainer(c, p, ADAM)) {
            for (int s = 0; s < 4; s++) {
                Batch b = Batch.of(c, 4, 6, 6, 100 + s);
                double lg = graph.step(b.lr(), b.hr(), b.n(), b.h(), b.w());
                double le = eager.step(b.lr(), b.hr(), b.n(), b.h(), b.w());
                assertEquals(lg, le, 1e-4 * lg, "loss at step " + s);
                assertEquals(le, eager.lastMse());
            }
            assertEquals(4, eager.step());
            assertSameParameters(c, graph.params(), eager.params(), 4);
        }
    }

    /**
     * Parameters of two runs agree within float tolerance: Adam moves every weight by about the learning
     * rate per step whatever its gradient's size, so entries whose gradients are rounding noise (conv
     * biases before batch-norm) may differ by up to steps x lr; all others by far less.
     */
    static void assertSameParameters(GeneratorConfig c, Map<String, INDArray> a, Map<String, INDArray> b, int steps) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            double tol = beforeBatchNorm(c, k) ? 2 * steps * ADAM.learningRate() : 2e-2 * steps * ADAM.learningRate();
            double d = a.get(k).sub(b.get(k)).amaxNumber().doubleValue();
            assertTrue(d <= tol, k + " differs by " + d + " (tolerance " + tol + ")");
        }
    }

    @Test
    void aCheckpointResumesInEitherTrainer() {
        GeneratorConfig c = new GeneratorConfig(3, 2, 2, 8, true, 0.5, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = varied(c, 12);
        List<Batch> batches = new ArrayList<>();
        for (int s = 0; s < 4; s++) batches.add(Batch.of(c, 3, 6, 7, 40 + s));
        Map<String, INDArray> uninterrupted;
        try (EagerGeneratorTrainer t = new EagerGeneratorTrainer(c, p, ADAM)) {
            for (Batch b : batches) t.step(b.lr(), b.hr(), b.n(), b.h(), b.w());
            uninterrupted = t.params();
        }
        // two steps, checkpoint (parameters, optimiser state, step), two more steps in a fresh trainer
        Map<String, INDArray> saved, state;
        try (EagerGeneratorTrainer t = new EagerGeneratorTrainer(c, p, ADAM)) {
            for (Batch b : batches.subList(0, 2)) t.step(b.lr(), b.hr(), b.n(), b.h(), b.w());
            saved = t.params();
            state = t.optimizerState();
        }
        try (EagerGeneratorTrainer t = new EagerGeneratorTrainer(c, saved, ADAM)) {
            t.restore(state, 2);
            for (Batch b : batches.subList(2, 4)) t.step(b.lr(), b.hr(), b.n(), b.h(), b.w());
            assertEquals(4, t.step());
            Map<String, INDArray> resumed = t.params();
            for (String k : uninterrupted.keySet())
                assertTrue(uninterrupted.get(k).equalsWithEps(resumed.get(k), 1e-6), k + " differs after resuming in the eager trainer");
        }
        try (GeneratorTrainer t = new GeneratorTrainer(c, saved, ADAM)) {
            t.restore(state, 2);
            for (Batch b : batches.subList(2, 4)) t.step(b.lr(), b.hr(), b.n(), b.h(), b.w());
            assertSameParameters(c, uninterrupted, t.params(), 2);
        }
        // and the graph trainer's checkpoint in the eager trainer
        Map<String, INDArray> gSaved, gState, gFinal;
        try (GeneratorTrainer t = new GeneratorTrainer(c, p, ADAM)) {
            for (Batch b : batches.subList(0, 2)) t.step(b.lr(), b.hr(), b.n(), b.h(), b.w());
            gSaved = t.params();
            gState = t.optimizerState();
            for (Batch b : batches.subList(2, 4)) t.step(b.lr(), b.hr(), b.n(), b.h(), b.w());
            gFinal = t.params();
        }
        try (EagerGeneratorTrainer t = new EagerGeneratorTrainer(c, gSaved, ADAM)) {
            t.restore(gState, 2);
            assertEquals(gState.keySet(), t.optimizerState().keySet());
            for (Batch b : batches.subList(2, 4)) t.step(b.lr(), b.hr(), b.n(), b.h(), b.w());
            assertSameParameters(c, gFinal, t.params(), 2);
        }
    }

    @Test
    void aFrozenTrunkTrainsOnlyTheTailWithTheGraphsGradients() {
        GeneratorConfig c = new GeneratorConfig(3, 4, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = varied(c, 14);
        Batch b = Batch.of(c, 2, 6, 6, 77);
        try (GeneratorTrainer graph = new GeneratorTrainer(c, p, ADAM, null, true);
             EagerGeneratorTrainer eager = new EagerGeneratorTrainer(c, p, ADAM, true)) {
            Map<String, INDArray> expected = graph.gradients(b.lr(), b.hr(), b.n(), b.h(), b.w());
            expected.remove(GeneratorTrainer.LOSS);
            eager.gradients(b.lr(), b.hr(), b.n(), b.h(), b.w());
            assertEquals(expected.keySet(), eager.gradientArrays().keySet());
            for (String k : expected.keySet()) {
                assertTrue(GeneratorTrainer.isTail(k), k);
                double rel = norm(expected.get(k).sub(eager.gradientArrays().get(k))) / norm(expected.get(k));
                assertTrue(rel <= 1e-3, k + ": relative error " + rel);
            }
            for (int s = 0; s < 2; s++) eager.step(b.lr(), b.hr(), b.n(), b.h(), b.w());
            // the checkpoint holds every parameter's state, the frozen ones' untouched
            Map<String, INDArray> state = eager.optimizerState();
            assertEquals(graph.optimizerState().keySet(), state.keySet());
            assertEquals(0, state.get("adam/res1_conv1/W").amaxNumber().doubleValue());
            assertTrue(state.get("adam/conv_out/W").amaxNumber().doubleValue() > 0);
            Map<String, INDArray> after = eager.params();
            for (String k : p.keySet())
                if (!GeneratorTrainer.isTail(k)) assertEquals(p.get(k), after.get(k), k + " is in the frozen trunk");
                else if (k.endsWith("/W")) assertNotEquals(p.get(k), after.get(k), k + " was trained");
        }
    }

    /**
     * Data-parallel workers (each a single-threaded pass over a share of the batch) give the graph's
     * gradients and, step after step, one pass's parameters; an odd batch splits unevenly.
     */
    @Test
    void workersSplittingTheBatchGiveTheSameGradientsAndSteps() {
        GeneratorConfig c = new GeneratorConfig(3, 4, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = varied(c, 31);
        Batch b = Batch.of(c, 3, 7, 6, 19);
        try (GeneratorTrainer graph = new GeneratorTrainer(c, p, ADAM);
             EagerGeneratorTrainer one = new EagerGeneratorTrainer(c, p, ADAM, false, 1);
             EagerGeneratorTrainer two = new EagerGeneratorTrainer(c, p, ADAM, false, 2)) {
            assertEquals(2, two.workers());
            Map<String, INDArray> expected = graph.gradients(b.lr(), b.hr(), b.n(), b.h(), b.w());
            double loss = two.gradients(b.lr(), b.hr(), b.n(), b.h(), b.w());
            assertEquals(expected.remove(GeneratorTrainer.LOSS).getDouble(0), loss, 1e-5 * loss);
            for (String k : expected.keySet()) {
                double rel = norm(expected.get(k).sub(two.gradientArrays().get(k))) / norm(expected.get(k));
                assertTrue(rel <= 1e-3, k + ": relative error " + rel);
            }
            for (int s = 0; s < 3; s++) {
                Batch bs = Batch.of(c, 3, 6, 6, 200 + s);
                assertEquals(one.step(bs.lr(), bs.hr(), bs.n(), bs.h(), bs.w()), two.step(bs.lr(), bs.hr(), bs.n(), bs.h(), bs.w()), 1e-6);
            }
            assertSameParameters(c, one.params(), two.params(), 3);
            long held = two.activationBytes();
            Batch again = Batch.of(c, 3, 6, 6, 300);
            two.step(again.lr(), again.hr(), again.n(), again.h(), again.w());
            assertEquals(held, two.activationBytes(), "the workers reuse their buffers");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EagerGeneratorTrainer(
                new GeneratorConfig(3, 2, 1, 8, true, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL),
                varied(new GeneratorConfig(3, 2, 1, 8, true, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL), 1), ADAM, false, 2));
        assertEquals("Batch-norm trains on one worker (whole-batch statistics), not 2.", e.getMessage());
    }

    /** After the first step of a batch shape, a step takes its buffers from the pool: what it holds does not grow. */
    @Test
    void stepsReuseTheirBuffers() {
        GeneratorConfig c = new GeneratorConfig(3, 4, 2, 8, true, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL);
        Batch b = Batch.of(c, 4, 8, 8, 1);
        try (EagerGeneratorTrainer t = new EagerGeneratorTrainer(c, varied(c, 2), ADAM)) {
            t.step(b.lr(), b.hr(), b.n(), b.h(), b.w());
            long first = t.activationBytes();
            assertTrue(first > 0);
            for (int s = 0; s < 3; s++) t.step(b.lr(), b.hr(), b.n(), b.h(), b.w());
            assertEquals(first, t.activationBytes());
        }
    }
}
