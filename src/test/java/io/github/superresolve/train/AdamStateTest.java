package io.github.superresolve.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The optimiser by its definition (Kingma and Ba, Algorithm 1), and its state across a checkpoint. */
public class AdamStateTest {

    private static final GeneratorTrainer.AdamSettings ADAM = new GeneratorTrainer.AdamSettings(1e-2, 0.9, 0.99, 1e-8);

    private static Map<String, INDArray> shapes() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("conv/W", Nd4j.zeros(DataType.FLOAT, 2, 3));
        m.put("conv/b", Nd4j.zeros(DataType.FLOAT, 3));
        return m;
    }

    private static float[] gradient(Random r, int n) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) g[i] = (float) (r.nextGaussian() * (i + 1) * 0.1);
        return g;
    }

    @Test
    void updatesAreAdamsByDefinitionWithBiasCorrection() {
        Random r = new Random(1);
        double[] m = new double[6], v = new double[6];
        try (AdamState adam = new AdamState(shapes(), ADAM)) {
            for (int step = 0; step < 5; step++) {
                float[] g = gradient(r, 6);
                INDArray grad = Nd4j.createFromArray(g).reshape(2, 3);
                adam.update("conv/W", grad, step);
                int t = step + 1;
                for (int i = 0; i < 6; i++) {
                    m[i] = ADAM.beta1() * m[i] + (1 - ADAM.beta1()) * g[i];
                    v[i] = ADAM.beta2() * v[i] + (1 - ADAM.beta2()) * g[i] * g[i];
                    double mHat = m[i] / (1 - Math.pow(ADAM.beta1(), t)), vHat = v[i] / (1 - Math.pow(ADAM.beta2(), t));
                    double expected = ADAM.learningRate() * mHat / (Math.sqrt(vHat) + ADAM.epsilon());
                    assertEquals(expected, grad.getDouble(i / 3, i % 3), 1e-5 * Math.abs(expected) + 1e-9, "step " + step + " value " + i);
                }
            }
            // the bias term's state is its own: untouched by the weight's updates
            assertEquals(0, adam.snapshot().get("adam/conv/b").sumNumber().doubleValue());
        }
    }

    @Test
    void aRestoredStateContinuesExactlyAsTheOriginal() {
        Random r = new Random(2);
        try (AdamState a = new AdamState(shapes(), ADAM); AdamState b = new AdamState(shapes(), ADAM)) {
            for (int step = 0; step < 3; step++) {
                a.update("conv/W", Nd4j.createFromArray(gradient(r, 6)).reshape(2, 3), step);
                a.update("conv/b", Nd4j.createFromArray(gradient(r, 3)), step);
            }
            Map<String, INDArray> saved = a.snapshot();
            assertEquals(2, saved.size());
            assertEquals(12, saved.get("adam/conv/W").length(), "first and second moments");
            b.restore(saved, "generator");
            float[] g = gradient(r, 6);
            INDArray ga = Nd4j.createFromArray(g).reshape(2, 3), gb = Nd4j.createFromArray(g).reshape(2, 3);
            a.update("conv/W", ga, 3);
            b.update("conv/W", gb, 3);
            assertEquals(ga, gb);
            // the snapshot is a copy: the update after it did not change it
            assertNotEquals(saved.get("adam/conv/W"), a.snapshot().get("adam/conv/W"));
            // a fresh state's update differs (the moments mattered)
            try (AdamState fresh = new AdamState(shapes(), ADAM)) {
                INDArray gf = Nd4j.createFromArray(g).reshape(2, 3);
                fresh.update("conv/W", gf, 3);
                assertNotEquals(ga, gf);
            }
        }
    }

    @Test
    void aStateOfOtherParametersIsRefusedNamingTheParameter() {
        try (AdamState a = new AdamState(shapes(), ADAM)) {
            Map<String, INDArray> saved = a.snapshot();
            saved.put("adam/conv/b", Nd4j.zeros(DataType.FLOAT, 1, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.restore(saved, "discriminator"));
            assertEquals("The checkpoint's discriminator optimiser state does not match parameter conv/b.", e.getMessage());
            saved.remove("adam/conv/b");
            e = assertThrows(IllegalArgumentException.class, () -> a.restore(saved, "generator"));
            assertTrue(e.getMessage().contains("generator") && e.getMessage().contains("conv/b"), e.getMessage());
        }
    }
}
