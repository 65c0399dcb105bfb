package io.github.superresolve.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Adam over parameters stored back to back: AdamState's updates and AdamState's checkpoint layout. */
class FlatAdamTest {

    private static final GeneratorTrainer.AdamSettings ADAM = new GeneratorTrainer.AdamSettings(1e-2, 0.9, 0.99, 1e-8);

    @Test
    void updatesAndStateAreAdamStatesPerParameter() {
        Map<String, INDArray> shapes = new LinkedHashMap<>();
        shapes.put("conv/W", Nd4j.zeros(DataType.FLOAT, 2, 3));
        shapes.put("conv/b", Nd4j.zeros(DataType.FLOAT, 3));
        Map<String, long[]> ranges = new LinkedHashMap<>();
        ranges.put("conv/W", new long[]{0, 6});
        ranges.put("conv/b", new long[]{6, 3});
        Random r = new Random(4);
        try (AdamState reference = new AdamState(shapes, ADAM); FlatAdam flat = new FlatAdam(ranges, 9, ADAM)) {
            for (int step = 0; step < 4; step++) {
                float[] g = new float[9];
                for (int i = 0; i < 9; i++) g[i] = (float) (r.nextGaussian() * (i + 1));
                INDArray w = Nd4j.create(java.util.Arrays.copyOfRange(g, 0, 6), new long[]{2, 3}, 'c');
                INDArray b = Nd4j.create(java.util.Arrays.copyOfRange(g, 6, 9), new long[]{3}, 'c');
                reference.update("conv/W", w, step);
                reference.update("conv/b", b, step);
                INDArray all = Nd4j.create(g, new long[]{9}, 'c');
                flat.update(all, step);
                assertArrayEquals(w.reshape(-1).toFloatVector(), all.get(NDArrayIndex.interval(0, 6)).toFloatVector(), 1e-7f, "step " + step);
                assertArrayEquals(b.toFloatVector(), all.get(NDArrayIndex.interval(6, 9)).toFloatVector(), 1e-7f, "step " + step);
            }
            Map<String, INDArray> a = reference.snapshot(), f = flat.snapshot();
            assertEquals(a.keySet(), f.keySet());
            for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatVector(), f.get(k).toFloatVector(), 1e-7f, k);
            try (FlatAdam restored = new FlatAdam(ranges, 9, ADAM)) {
                restored.restore(a, "generator");
                for (String k : a.keySet()) assertEquals(a.get(k), restored.snapshot().get(k), k);
                Map<String, INDArray> broken = new LinkedHashMap<>(a);
                broken.put("adam/conv/b", Nd4j.zeros(DataType.FLOAT, 1, 4));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> restored.restore(broken, "generator"));
                assertEquals("The checkpoint's generator optimiser state does not match parameter conv/b.", e.getMessage());
            }
        }
    }

    /**
     * A warm-up of W steps scales step s's update by (s + 1) / W and leaves the moments alone (they see the
     * gradients, not the rate), so from step W - 1 on the updates are the plain ones; both Adams agree.
     */
    @Test
    void warmupScalesTheFirstUpdatesOnly() {
        int warmup = 4;
        Map<String, long[]> ranges = Map.of("p", new long[]{0, 5});
        Map<String, INDArray> shapes = Map.of("p", Nd4j.zeros(DataType.FLOAT, 5));
        Random r = new Random(7);
        try (FlatAdam plain = new FlatAdam(ranges, 5, ADAM); FlatAdam warm = new FlatAdam(ranges, 5, ADAM.withWarmup(warmup));
             AdamState warmState = new AdamState(shapes, ADAM.withWarmup(warmup))) {
            for (int step = 0; step < 7; step++) {
                float[] g = new float[5];
                for (int i = 0; i < 5; i++) g[i] = (float) r.nextGaussian();
                INDArray a = Nd4j.create(g.clone(), new long[]{5}, 'c'), b = Nd4j.create(g.clone(), new long[]{5}, 'c'),
                        c = Nd4j.create(g.clone(), new long[]{5}, 'c');
                plain.update(a, step);
                warm.update(b, step);
                warmState.update("p", c, step);
                double f = Math.min(1.0, (step + 1) / (double) warmup);
                assertArrayEquals(a.mul(f).toFloatVector(), b.toFloatVector(), 1e-9f, "step " + step);
                assertArrayEquals(b.toFloatVector(), c.toFloatVector(), 1e-9f, "step " + step);
                if (step == 0) assertEquals(ADAM.learningRate() / warmup, Math.abs(b.getDouble(0)), 1e-6 * ADAM.learningRate(),
                        "Adam's first update is the rate times the gradient's sign: a quarter of it with 4 warm-up steps");
            }
            assertEquals(plain.snapshot().get("adam/p"), warm.snapshot().get("adam/p"), "the moments do not depend on the rate");
        }
        assertThrows(IllegalArgumentException.class, () -> ADAM.withWarmup(-1));
    }
}
