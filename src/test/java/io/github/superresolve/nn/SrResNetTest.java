package io.github.superresolve.nn;

import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SrResNetTest {

    private static float[] run(SameDiff sd, float[] in, int c, int h, int w) {
        INDArray out = sd.outputSingle(Map.of(SrResNet.INPUT, Nd4j.create(in, new long[]{1, c, h, w}, 'c')), SrResNet.OUTPUT);
        return out.dup('c').data().asFloat();
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = r.nextFloat();
        return f;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void fusedOutputStageEqualsPlainGraph(int scale) {
        GeneratorConfig c = new GeneratorConfig(3, scale, 2, 8, false, 0.5, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = SrResNet.initParams(c, 3);
        // non-trivial output weights (initParams zeroes them with a bicubic skip), slopes and biases
        p.put("conv_out/W", Nd4j.randn(5L, p.get("conv_out/W").shape()).castTo(DataType.FLOAT).muli(0.02));
        p.put("up" + c.upsamplingStages() + "_prelu/alpha", Nd4j.linspace(0.05, 0.9, 8, DataType.FLOAT));
        p.put("conv_out/b", Nd4j.create(new float[]{0.1f, -0.2f, 0.3f}));
        float[] in = random(3 * 13 * 11, 5);
        float[] fused = run(SrResNet.inferenceGraph(c, p, true), in, 3, 13, 11);
        float[] plain = run(SrResNet.inferenceGraph(c, p, false), in, 3, 13, 11);
        assertEquals(3 * 13 * scale * 11 * scale, fused.length);
        assertArrayEquals(plain, fused, 1e-4f);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"1,4", "3,2", "3,4"})
    void bicubicSkipEqualsPillowBicubicAwayFromTheBorder(int channels, int scale) {
        int h = 12, w = 16;
        GeneratorConfig c = new GeneratorConfig(channels, scale, 0, 4, false, 1.0, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = SrResNet.initParams(c, 1);
        for (Map.Entry<String, INDArray> e : p.entrySet()) if (e.getKey().startsWith("conv_out")) e.getValue().assign(0);
        float[] in = random(channels * h * w, 9);
        float[] net = run(SrResNet.inferenceGraph(c, p), in, channels, h, w);
        int W = w * scale, H = h * scale;
        for (int ch = 0; ch < channels; ch++) {
            float[] plane = java.util.Arrays.copyOfRange(in, ch * h * w, (ch + 1) * h * w);
            float[] ref = Resampler.upscale(plane, w, h, scale, Kernel.BICUBIC);
            for (int y = 3 * scale; y < (h - 3) * scale; y++)
                for (int x = 3 * scale; x < (w - 3) * scale; x++)
                    assertEquals(ref[y * W + x], net[ch * W * H + y * W + x], 1e-5f, "channel " + ch + " pixel " + x + "," + y);
        }
    }

    @Test
    void batchNormIsFoldedIntoTheConvolutions() {
        GeneratorConfig bn = new GeneratorConfig(1, 2, 2, 8, true, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL);
        GeneratorConfig plain = new GeneratorConfig(1, 2, 2, 8, false, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = SrResNet.initParams(bn, 4);
        Map<String, INDArray> q = new LinkedHashMap<>();
        Random r = new Random(2);
        for (Map.Entry<String, INDArray> e : p.entrySet()) {
            String k = e.getKey();
            if (!k.contains("_bn")) {
                q.put(k, e.getValue().dup());
                continue;
            }
            String conv = k.substring(0, k.indexOf('/')).replace("_bn", "_conv").replace("mid_conv", "mid_conv");
            if (k.endsWith("/gamma")) e.getValue().assign(2.0);
            if (k.endsWith("/var")) e.getValue().assign(1 - SrResNet.BN_EPS);
            if (k.endsWith("/mean")) e.getValue().assign(0.25);
            if (k.endsWith("/beta")) e.getValue().assign(r.nextFloat());
        }
        // expected: conv' = 2 * conv, bias' = 2 * (b - 0.25) + beta
        for (String k : p.keySet()) {
            if (!k.contains("_bn") || !k.endsWith("/gamma")) continue;
            String bnName = k.substring(0, k.indexOf('/'));
            String conv = bnName.startsWith("mid") ? "mid_conv" : bnName.replace("_bn", "_conv");
            q.put(conv + "/W", p.get(conv + "/W").mul(2));
            q.put(conv + "/b", p.get(conv + "/b").sub(0.25).mul(2).add(p.get(bnName + "/beta")));
        }
        float[] in = random(9 * 10, 11);
        float[] a = run(SrResNet.inferenceGraph(bn, p), in, 1, 9, 10);
        float[] b = run(SrResNet.inferenceGraph(plain, q), in, 1, 9, 10);
        assertArrayEquals(b, a, 1e-4f);
    }

    @Test
    void receptiveRadiusOfTheStudyNetwork() {
        assertEquals(40, GeneratorConfig.study(3, 4).receptiveRadius());
        assertEquals(72.69e9, GeneratorConfig.study(3, 4).flops(128, 128), 0.01e9);
        assertTrue(GeneratorConfig.fast(3, 2).receptiveRadius() >= 38);
    }

    /** The training graph (PReLU through a diagonal 1x1 convolution) computes what inference computes, with correct slope gradients. */
    @Test
    void trainingGraphMatchesInferenceAndItsSlopeGradientIsRight() {
        GeneratorConfig c = new GeneratorConfig(1, 2, 1, 4, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = SrResNet.initParams(c, 3, 0.5);
        p.put("res1_prelu/alpha", Nd4j.create(new float[]{0.1f, 0.3f, 0.6f, 0.9f}));
        float[] in = random(9 * 7, 2), target = random(18 * 14, 3);
        SameDiff sd = SameDiff.create();
        var x = sd.placeHolder("x", DataType.FLOAT, -1, 1, -1, -1);
        var t = sd.placeHolder("t", DataType.FLOAT, -1, 1, -1, -1);
        Map<String, org.nd4j.autodiff.samediff.SDVariable> vars = new LinkedHashMap<>();
        var out = SrResNet.generator(sd, x, c, n -> vars.computeIfAbsent(n, k -> sd.var(k.replace('/', '_'), p.get(k).dup())), true);
        sd.updateVariableNameAndReference(out, "out");
        var d = out.sub(t);
        var loss = d.mul(d).sum();
        sd.updateVariableNameAndReference(loss, "loss");
        sd.setLossVariables("loss");
        INDArray xi = Nd4j.create(in, new long[]{1, 1, 7, 9}, 'c'), ti = Nd4j.create(target, new long[]{1, 1, 14, 18}, 'c');
        float[] trained = sd.outputSingle(Map.of("x", xi, "t", ti), "out").dup().data().asFloat();
        assertArrayEquals(run(SrResNet.inferenceGraph(c, p, false), in, 1, 7, 9), trained, 1e-5f);
        INDArray g = sd.calculateGradients(Map.of("x", xi, "t", ti), "res1_prelu_alpha").get("res1_prelu_alpha");
        INDArray alpha = sd.getVariable("res1_prelu_alpha").getArr();
        for (int k = 0; k < 4; k++) {
            double a0 = alpha.getDouble(k), h = 1e-2;
            alpha.putScalar(k, a0 + h);
            double up = sd.outputSingle(Map.of("x", xi, "t", ti), "loss").getDouble(0);
            alpha.putScalar(k, a0 - h);
            double down = sd.outputSingle(Map.of("x", xi, "t", ti), "loss").getDouble(0);
            alpha.putScalar(k, a0);
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, g.getDouble(k), 1e-3 + 0.02 * Math.abs(numeric), "d loss / d alpha[" + k + "]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SUBPIXEL", "DECONV"})
    void freshParametersFollowTheirInitialisationAndShapes(String up) {
        GeneratorConfig c = new GeneratorConfig(3, 4, 2, 32, true, 1.0, false, GeneratorConfig.Upsampling.valueOf(up));
        Map<String, INDArray> p = SrResNet.initParams(c, 3, 0.5);
        Map<String, long[]> shapes = SrResNet.paramShapes(c);
        assertEquals(new java.util.ArrayList<>(shapes.keySet()), new java.util.ArrayList<>(p.keySet()), "same names in the same order");
        for (Map.Entry<String, INDArray> e : p.entrySet()) {
            String k = e.getKey();
            INDArray a = e.getValue();
            assertArrayEquals(shapes.get(k), a.shape(), k);
            assertEquals(DataType.FLOAT, a.dataType(), k);
            double mean = a.meanNumber().doubleValue(), std = a.stdNumber().doubleValue();
            if (k.endsWith("/W")) {
                long[] s = a.shape(); // [kH, kW, in, out]; transposed: [kH, kW, out, in] with fan-in 16 w / 4
                double fanIn = k.contains("deconv") ? 16 * 32 / 4.0 : s[0] * s[1] * s[2];
                double gain = k.startsWith("conv_out") ? 0.5 : SrResNet.HIDDEN_GAIN;
                double expected = gain * Math.sqrt(2 / fanIn);
                assertEquals(expected, std, 0.08 * expected, k + ": He-normal x gain");
                assertEquals(0, mean, 0.1 * expected, k);
            } else if (k.endsWith("/alpha")) {
                assertEquals(0.25, mean, 1e-7, k);
                assertEquals(0, std, 1e-7, k);
            } else if (k.endsWith("/gamma") || k.endsWith("/var")) {
                assertEquals(1, mean, 1e-7, k);
                assertEquals(0, std, 1e-7, k);
            } else {
                assertEquals(0, a.amaxNumber().doubleValue(), 0, k + " starts at zero");
            }
        }
        // the same seed, the same weights; another seed, others
        assertEquals(p.get("res1_conv1/W"), SrResNet.initParams(c, 3, 0.5).get("res1_conv1/W"));
        assertTrue(!p.get("res1_conv1/W").equals(SrResNet.initParams(c, 4, 0.5).get("res1_conv1/W")));
    }
}
