package io.github.superresolve.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The eager discriminator pass against {@link Discriminator#logits}' SameDiff graph: the same logits,
 * the same gradient of every parameter tensor and of the images (relative error at most 1e-3 each), for
 * every convolutional kind, from a loss sum(r * logits) with random r.
 */
class DiscriminatorPassTest {

    static final int C = 3, SIZE = 32, SCALE = 4, M = 6;

    /** Parameters with every layer non-trivial: biases, batch-norm scales and shifts. */
    static Map<String, INDArray> params(Discriminator.Kind kind, long seed) {
        Random r = new Random(seed);
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : Discriminator.initParams(kind, C, SIZE, seed).entrySet()) {
            INDArray a = e.getValue().castTo(DataType.FLOAT).dup('c');
            String k = e.getKey();
            if (k.endsWith("/b") || k.endsWith("/beta")) a.assign(Nd4j.create(gaussian(r, a.length(), 0, 0.1), a.shape(), 'c'));
            if (k.endsWith("/gamma")) a.assign(Nd4j.create(gaussian(r, a.length(), 1, 0.3), a.shape(), 'c'));
            p.put(k, a);
        }
        return p;
    }

    static float[] gaussian(Random r, long n, double mean, double sd) {
        float[] f = new float[(int) n];
        for (int i = 0; i < f.length; i++) f[i] = (float) (mean + sd * r.nextGaussian());
        return f;
    }

    /** Images with detail above the strong filter's threshold: smooth gradients plus texture. */
    static INDArray images(long seed) {
        Random r = new Random(seed);
        float[] v = new float[M * C * SIZE * SIZE];
        for (int i = 0; i < v.length; i++) {
            int x = i % SIZE, y = (i / SIZE) % SIZE;
            v[i] = (float) (0.5 + 0.3 * Math.sin(0.3 * x + 0.2 * y + i / (SIZE * SIZE)) + 0.08 * r.nextGaussian());
        }
        return Nd4j.create(v, new long[]{M, C, SIZE, SIZE}, 'c');
    }

    @ParameterizedTest
    @EnumSource(value = Discriminator.Kind.class, names = "FFT", mode = EnumSource.Mode.EXCLUDE)
    void gradientsEqualTheGraphs(Discriminator.Kind kind) {
        Map<String, INDArray> p = params(kind, 3);
        INDArray x = images(5);
        INDArray inputs = Nd4j.create(gaussian(new Random(11), (long) M * C * (SIZE / SCALE) * (SIZE / SCALE), 0.5, 0.2),
                new long[]{M, C, SIZE / SCALE, SIZE / SCALE}, 'c');
        INDArray r = Nd4j.create(gaussian(new Random(7), M, 0, 1), new long[]{M, 1}, 'c');

        // the graph: parameters as variables, the images as a placeholder differentiated too
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, C, SIZE, SIZE);
        SDVariable cond = kind.conditional()
                ? Discriminator.condition(sd, sd.placeHolder("lr", DataType.FLOAT, -1, C, -1, -1), C, SCALE) : null;
        Map<String, String> names = new HashMap<>();
        SDVariable logits = Discriminator.logits(sd, in, cond, kind, C, SIZE, name -> {
            String v = name.replace('/', '_');
            names.put(name, v);
            return sd.hasVariable(v) ? sd.getVariable(v) : sd.var(v, p.get(name).dup());
        });
        sd.updateVariableNameAndReference(logits, "logits");
        SDVariable loss = logits.mul(sd.constant("r", r)).sum();
        sd.updateVariableNameAndReference(loss, "loss");
        sd.setLossVariables("loss");
        sd.createGradFunction("x");
        Map<String, INDArray> feed = new HashMap<>(Map.of("x", x));
        if (kind.conditional()) feed.put("lr", inputs);
        java.util.List<String> wanted = new java.util.ArrayList<>(names.values());
        wanted.add("x");
        var og = sd.calculateGradientsAndOutputs(feed, java.util.List.of("logits"), wanted);

        Map<String, INDArray> grads = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : p.entrySet()) grads.put(e.getKey(), Nd4j.create(DataType.FLOAT, e.getValue().shape()));
        try (DiscriminatorPass pass = new DiscriminatorPass(kind, C, SIZE, SCALE, p, grads)) {
            pass.images(M).assign(x.permute(0, 2, 3, 1));
            INDArray l = pass.forward(inputs);
            INDArray want = og.getOutputs().get("logits");
            assertTrue(want.sub(l).norm2Number().doubleValue() <= 1e-4 * want.norm2Number().doubleValue(),
                    "logits " + l + " vs the graph's " + want);
            INDArray gx = pass.backward(r, true);
            assertRelative("images", og.getGradients().get("x").permute(0, 2, 3, 1), gx, 1e-3);
            double weightScale = 0;
            for (String k : p.keySet())
                if (k.endsWith("/W")) weightScale = Math.max(weightScale, og.getGradients().get(names.get(k)).amaxNumber().doubleValue());
            for (String k : p.keySet()) {
                INDArray w = og.getGradients().get(names.get(k)), got = grads.get(k);
                if (k.endsWith("/b") && p.containsKey(k.replace("/b", "_bn/gamma"))) { // rounding noise around zero in both
                    assertTrue(w.amaxNumber().doubleValue() < 1e-4 * weightScale, k + " graph " + w.amaxNumber());
                    assertTrue(got.amaxNumber().doubleValue() < 1e-4 * weightScale, k + " eager " + got.amaxNumber());
                    continue;
                }
                assertRelative(k, w.reshape(got.shape()), got, 1e-3);
            }
        }
    }

    static void assertRelative(String what, INDArray want, INDArray got, double tolerance) {
        double ref = want.norm2Number().doubleValue();
        assertTrue(ref > 0, what + " has a zero gradient: the test would not see mistakes");
        double rel = want.sub(got).norm2Number().doubleValue() / ref;
        assertTrue(rel <= tolerance, what + ": relative error " + rel + " (|g| = " + ref + ")");
    }

    @Test
    void stepsReuseTheirBuffers() {
        Map<String, INDArray> p = params(Discriminator.Kind.HIGHPASS_STRONG, 3);
        try (DiscriminatorPass pass = new DiscriminatorPass(Discriminator.Kind.HIGHPASS_STRONG, C, SIZE, SCALE, p, null)) {
            INDArray r = Nd4j.ones(DataType.FLOAT, M, 1);
            long after1 = 0;
            for (int s = 0; s < 4; s++) {
                pass.images(M).assign(images(s).permute(0, 2, 3, 1));
                pass.forward(null);
                pass.backward(r, true);
                if (s == 0) after1 = pass.bufferBytes();
            }
            assertTrue(after1 > 0);
            assertEquals(after1, pass.bufferBytes(), "buffers allocated after the first step");
        }
    }

    @Test
    void refusesTheFftDiscriminatorAndSidesNotAMultipleOf16() {
        Map<String, INDArray> p = params(Discriminator.Kind.CONV_LIGHT, 3);
        assertThrows(IllegalArgumentException.class, () -> new DiscriminatorPass(Discriminator.Kind.FFT, C, SIZE, SCALE, p, null));
        assertThrows(IllegalArgumentException.class, () -> new DiscriminatorPass(Discriminator.Kind.CONV_LIGHT, C, 40, SCALE, p, null));
    }
}
