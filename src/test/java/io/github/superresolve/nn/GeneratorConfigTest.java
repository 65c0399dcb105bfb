package io.github.superresolve.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** A generator's configuration: its limits, its receptive field, its work and its description. */
public class GeneratorConfigTest {

    private static GeneratorConfig c(int channels, int scale, int blocks, int width, double residual, boolean skip,
                                     GeneratorConfig.Upsampling up) {
        return new GeneratorConfig(channels, scale, blocks, width, false, residual, skip, up);
    }

    private static final GeneratorConfig.Upsampling SUB = GeneratorConfig.Upsampling.SUBPIXEL, DECONV = GeneratorConfig.Upsampling.DECONV;

    @Test
    void limitsHoldAtTheirEdges() {
        for (int s : new int[]{2, 4, 8, 16}) assertEquals(s, c(1, s, 1, 1, 1, false, SUB).scale());
        for (int s : new int[]{0, 1, 3, 6, 32, -2})
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c(1, s, 1, 1, 1, false, SUB)).getMessage().contains("not " + s));
        assertEquals(0, c(1, 2, 0, 1, 1, false, SUB).blocks());
        assertEquals(256, c(1, 2, 256, 1, 1, false, SUB).blocks());
        assertThrows(IllegalArgumentException.class, () -> c(1, 2, -1, 1, 1, false, SUB));
        assertThrows(IllegalArgumentException.class, () -> c(1, 2, 257, 1, 1, false, SUB));
        assertEquals(1024, c(1, 2, 1, 1024, 1, false, SUB).width());
        assertThrows(IllegalArgumentException.class, () -> c(1, 2, 1, 0, 1, false, SUB));
        assertThrows(IllegalArgumentException.class, () -> c(1, 2, 1, 1025, 1, false, SUB));
        assertEquals(1.0, c(1, 2, 1, 1, 1.0, false, SUB).residualScale());
        for (double r : new double[]{0, -0.1, 1.0001, Double.NaN})
            assertThrows(IllegalArgumentException.class, () -> c(1, 2, 1, 1, r, false, SUB), "residual " + r);
        for (int ch : new int[]{0, 2, 4})
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c(ch, 2, 1, 1, 1, false, SUB)).getMessage().contains("not " + ch));
        assertEquals(SUB, c(3, 2, 1, 1, 1, false, null).upsampling());
        assertEquals(DECONV, GeneratorConfig.Upsampling.parse("DeConv"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GeneratorConfig.Upsampling.parse("nearest")).getMessage().contains("'nearest'"));
    }

    @Test
    void receptiveRadiusAddsEachConvolutionAtItsResolution() {
        // 9x9 in (4) + 2 per block + mid (1) + per x2 stage 1 (sub-pixel) or 2 (deconv) at its resolution + 9x9 out (4) at the output's
        assertEquals((int) Math.ceil(4 + 2 * 16 + 1 + 1 + 0.5 + 4 / 4.0), c(3, 4, 16, 64, 1, false, SUB).receptiveRadius());
        assertEquals((int) Math.ceil(4 + 0 + 1 + 2 + 4 / 2.0), c(3, 2, 0, 8, 1, false, DECONV).receptiveRadius());
        assertEquals(8, c(3, 2, 0, 8, 1, false, SUB).receptiveRadius());
    }

    @Test
    void flopsCountEveryConvolution() {
        GeneratorConfig g = c(3, 4, 16, 64, 1, false, SUB);
        double px = 10 * 20;
        double macs = px * (81 * 3 * 64 + 16 * 2 * 9 * 64 * 64 + 9 * 64 * 64 + 9 * 64 * 64 * 4 * (1 + 4) + 16 * 81 * 64 * 3);
        assertEquals(2 * macs, g.flops(10, 20), 1e-6 * macs);
        GeneratorConfig d = c(1, 2, 1, 8, 1, true, DECONV);
        double m2 = px * (81 * 8 + 2 * 9 * 64 + 9 * 64 + 16 * 64 + 4 * 81 * 8 + 25 * 4);
        assertEquals(2 * m2, d.flops(10, 20), 1e-6 * m2);
    }

    @Test
    void describeNamesWhatDiffersFromThePlainNetwork() {
        assertEquals("SRResNet 16x64 x4 RGB, batch-norm", GeneratorConfig.study(3, 4).describe());
        assertEquals("SRResNet 16x64 x2 grey, no batch-norm, residual x0.1, bicubic skip", GeneratorConfig.fast(1, 2).describe());
        assertEquals("SRResNet 2x8 x8 RGB, no batch-norm, deconvolution", c(3, 8, 2, 8, 1, false, DECONV).describe());
    }
}
