package io.github.superresolve.nn;

import io.github.superresolve.image.Luminance;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterTransferTest {

    private static float[] run(SameDiff sd, float[] in, int c, int h, int w) {
        INDArray out = sd.outputSingle(Map.of(SrResNet.INPUT, Nd4j.create(in, new long[]{1, c, h, w}, 'c')), SrResNet.OUTPUT);
        return out.dup('c').data().asFloat();
    }

    /** A "trained" network: random output convolution and biases, so that nothing is trivially zero. */
    private static Map<String, INDArray> trained(GeneratorConfig c) {
        Map<String, INDArray> p = SrResNet.initParams(c, 7);
        p.put("conv_out/W", Nd4j.randn(3L, p.get("conv_out/W").shape()).castTo(DataType.FLOAT).muli(0.05));
        p.put("conv_out/b", Nd4j.randn(4L, p.get("conv_out/b").shape()).castTo(DataType.FLOAT).muli(0.1));
        p.put("conv_in/b", Nd4j.randn(5L, p.get("conv_in/b").shape()).castTo(DataType.FLOAT).muli(0.1));
        return p;
    }

    private static float[] grey(int n) {
        Random r = new Random(11);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = r.nextFloat();
        return f;
    }

    /** A grey plane as R = G = B planes. */
    private static float[] asRgb(float[] y) {
        float[] rgb = new float[3 * y.length];
        for (int c = 0; c < 3; c++) System.arraycopy(y, 0, rgb, c * y.length, y.length);
        return rgb;
    }

    @Test
    void rgbToGreyGivesTheLuminanceOfTheRgbOutputOnGreyImages() {
        GeneratorConfig rgb = new GeneratorConfig(3, 2, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = trained(rgb);
        ParameterTransfer.Result t = ParameterTransfer.adapt(rgb, p, 1, 2, 1);
        assertEquals(1, t.config().channels());
        int h = 10, w = 12;
        float[] y = grey(h * w);
        float[] replicated = asRgb(y);
        float[] outRgb = run(SrResNet.inferenceGraph(rgb, p), replicated, 3, h, w);
        float[] outGrey = run(SrResNet.inferenceGraph(t.config(), t.params()), y, 1, h, w);
        int n = 4 * h * w;
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) expected[i] = Luminance.of(outRgb[i], outRgb[n + i], outRgb[2 * n + i]);
        assertArrayEquals(expected, outGrey, 1e-4f);
        assertTrue(String.join(" ", t.notes()).contains("RGB to grey"), t.notes().toString());
    }

    @Test
    void greyToRgbRepeatsTheGreyOutputOnGreyImages() {
        GeneratorConfig grey = new GeneratorConfig(1, 2, 1, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = trained(grey);
        ParameterTransfer.Result t = ParameterTransfer.adapt(grey, p, 3, 2, 1);
        int h = 9, w = 11;
        float[] y = grey(h * w);
        float[] replicated = asRgb(y);
        float[] outGrey = run(SrResNet.inferenceGraph(grey, p), y, 1, h, w);
        float[] outRgb = run(SrResNet.inferenceGraph(t.config(), t.params()), replicated, 3, h, w);
        int n = 4 * h * w;
        for (int c = 0; c < 3; c++)
            assertArrayEquals(outGrey, java.util.Arrays.copyOfRange(outRgb, c * n, (c + 1) * n), 1e-4f, "channel " + c);
    }

    @Test
    void x4ToX2KeepsTheTrunkAndStartsAsBicubic() {
        GeneratorConfig x4 = new GeneratorConfig(3, 4, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = trained(x4);
        ParameterTransfer.Result t = ParameterTransfer.adapt(x4, p, 3, 2, 1);
        assertEquals(2, t.config().scale());
        for (String name : t.params().keySet()) {
            if (name.startsWith("conv_out")) assertEquals(0.0, t.params().get(name).amaxNumber().doubleValue(), name);
            else assertEquals(p.get(name), t.params().get(name), name);
        }
        assertTrue(!t.params().containsKey("up2_conv/W"));
        GeneratorConfig bicubicOnly = t.config();
        Map<String, INDArray> zero = SrResNet.initParams(bicubicOnly, 3); // zero output conv: plain bicubic
        float[] in = grey(3 * 8 * 8);
        assertArrayEquals(run(SrResNet.inferenceGraph(bicubicOnly, zero), in, 3, 8, 8),
                run(SrResNet.inferenceGraph(t.config(), t.params()), in, 3, 8, 8), 1e-6f);
    }

    @Test
    void x2ToX4AddsAFreshStageAndKeepsTheRest() {
        GeneratorConfig x2 = new GeneratorConfig(1, 2, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = trained(x2);
        ParameterTransfer.Result t = ParameterTransfer.adapt(x2, p, 1, 4, 1);
        assertEquals(SrResNet.initParams(t.config(), 1).keySet(), t.params().keySet());
        assertEquals(p.get("up1_conv/W"), t.params().get("up1_conv/W"));
        assertEquals(p.get("res2_conv2/W"), t.params().get("res2_conv2/W"));
        assertEquals(SrResNet.initParams(t.config(), 1).get("up2_conv/W"), t.params().get("up2_conv/W"));
        assertEquals(16 * 16, run(SrResNet.inferenceGraph(t.config(), t.params()), grey(4 * 4), 1, 4, 4).length);
    }

    @Test
    void anotherArchitectureIsRefusedWithASentence() {
        GeneratorConfig small = new GeneratorConfig(3, 2, 1, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = trained(small);
        p.remove("res1_conv1/W");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParameterTransfer.adapt(small, p, 1, 2, 1));
        assertTrue(e.getMessage().startsWith("The model's parameter res1_conv1/W does not fit"), e.getMessage());
    }
}
