package io.github.superresolve.image;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.github.superresolve.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our resampling against Pillow 9.4's {@code Image.resize} (fixtures made by
 * benchmarks/make_reference_fixtures.py): float mode to float rounding; Pillow's 8-bit mode, which
 * rounds and clips its intermediate image between the two passes, to one grey level (Pillow computes
 * in fixed point). Our upscalers keep the intermediate in float (no clipping of overshoot before the
 * second pass), so on 8-bit images they differ from Pillow by a few levels at strong edges.
 */
class ResamplerTest {

    @ParameterizedTest
    @CsvSource({"bicubic_up2,BICUBIC,128,96", "bicubic_up3,BICUBIC,192,144", "bicubic_up4,BICUBIC,256,192",
            "bicubic_down2,BICUBIC,32,24", "bicubic_down4,BICUBIC,16,12", "lanczos_up2,LANCZOS3,128,96",
            "lanczos_down2,LANCZOS3,32,24"})
    void floatModeMatchesPillow(String op, Kernel kernel, int w, int h) throws IOException {
        ImageProcessor src = TestData.open("reference/camera-crop.png").getProcessor();
        float[] in = (float[]) src.convertToFloat().getPixels();
        float[] ours = Resampler.resize(in, src.getWidth(), src.getHeight(), w, h, kernel);
        float[] pillow = readF32("reference/camera-crop_" + op + ".f32", w * h);
        double maxDiff = 0;
        for (int i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - pillow[i]));
        assertTrue(maxDiff < 2e-3, op + ": max difference to Pillow " + maxDiff);
    }

    @ParameterizedTest
    @CsvSource({"bicubic_up2,BICUBIC,2", "bicubic_up3,BICUBIC,3", "bicubic_up4,BICUBIC,4", "bicubic_down2,BICUBIC,-2",
            "bicubic_down4,BICUBIC,-4", "lanczos_up2,LANCZOS3,2", "lanczos_down2,LANCZOS3,-2"})
    void rgbEightBitPathMatchesPillowWithinOneLevel(String op, Kernel kernel, int factor) {
        ColorProcessor src = (ColorProcessor) TestData.open("reference/astronaut-crop.png").getProcessor();
        ImagePlus ref = TestData.open("reference/astronaut-crop_" + op + ".png");
        int w = src.getWidth(), h = src.getHeight();
        int ow = factor > 0 ? w * factor : w / -factor, oh = factor > 0 ? h * factor : h / -factor;
        assertEquals(ow, ref.getWidth());
        int[] refPx = (int[]) ref.getProcessor().convertToRGB().getPixels();
        int[] srcPx = (int[]) src.getPixels();
        long diffs = 0;
        int maxDiff = 0;
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c;
            float[] in = new float[srcPx.length];
            for (int i = 0; i < in.length; i++) in[i] = (srcPx[i] >> shift) & 0xff;
            // Pillow's 8-bit path: horizontal pass, rounded and clipped to 8 bits, then vertical pass
            float[] mid = Resampler.resize(in, w, h, ow, h, kernel);
            for (int i = 0; i < mid.length; i++) mid[i] = Math.max(0, Math.min(255, Math.round(mid[i])));
            float[] out = Resampler.resize(mid, ow, h, ow, oh, kernel);
            for (int i = 0; i < out.length; i++) {
                int ours = Math.max(0, Math.min(255, Math.round(out[i])));
                int d = Math.abs(ours - ((refPx[i] >> shift) & 0xff));
                maxDiff = Math.max(maxDiff, d);
                if (d > 0) diffs++;
            }
        }
        assertTrue(maxDiff <= 1, op + ": max difference " + maxDiff + " grey levels");
        assertTrue(diffs < 0.2 * 3 * ow * oh, op + ": " + diffs + " values differ by one");
    }

    @ParameterizedTest
    @CsvSource({"bicubic_up2,BICUBIC,2", "bicubic_up3,BICUBIC,3", "bicubic_up4,BICUBIC,4", "bicubic_down2,BICUBIC,-2",
            "bicubic_down4,BICUBIC,-4", "lanczos_up2,LANCZOS3,2", "lanczos_down2,LANCZOS3,-2"})
    void greyEightBitPathMatchesPillowWithinOneLevel(String op, Kernel kernel, int factor) {
        ImageProcessor src = TestData.open("reference/camera-crop.png").getProcessor();
        ImageProcessor ref = TestData.open("reference/camera-crop_" + op + ".png").getProcessor();
        int w = src.getWidth(), h = src.getHeight();
        int ow = factor > 0 ? w * factor : w / -factor, oh = factor > 0 ? h * factor : h / -factor;
        assertEquals(ow, ref.getWidth());
        assertEquals(oh, ref.getHeight());
        float[] in = new float[w * h];
        for (int i = 0; i < in.length; i++) in[i] = src.get(i);
        float[] mid = Resampler.resize(in, w, h, ow, h, kernel);
        for (int i = 0; i < mid.length; i++) mid[i] = Math.max(0, Math.min(255, Math.round(mid[i])));
        float[] out = Resampler.resize(mid, ow, h, ow, oh, kernel);
        int maxDiff = 0, diffs = 0;
        for (int i = 0; i < out.length; i++) {
            int d = Math.abs(Math.max(0, Math.min(255, Math.round(out[i]))) - ref.get(i));
            maxDiff = Math.max(maxDiff, d);
            if (d > 0) diffs++;
        }
        assertTrue(maxDiff <= 1, op + ": max difference " + maxDiff + " grey levels");
        assertTrue(diffs < 0.2 * ow * oh, op + ": " + diffs + " values differ by one");
    }

    @ParameterizedTest
    @CsvSource({"BICUBIC,4,0,37", "BICUBIC,4,37,96", "LANCZOS3,2,5,48", "BICUBIC,3,100,144"})
    void bandsEqualWholeImage(Kernel kernel, int scale, int from, int to) {
        ImageProcessor src = TestData.open("reference/camera-crop.png").getProcessor();
        float[] in = (float[]) src.convertToFloat().getPixels();
        int w = src.getWidth(), h = src.getHeight();
        int outH = Math.min(to, h * scale);
        float[] whole = Resampler.upscale(in, w, h, scale, kernel);
        int[] r = Resampler.inputRange(kernel, h, h * scale, from, outH);
        float[] band = new float[w * (r[1] - r[0])];
        System.arraycopy(in, r[0] * w, band, 0, band.length);
        float[] part = Resampler.resizeRows(band, w, r[1] - r[0], r[0], h, w * scale, h * scale, from, outH, kernel);
        for (int i = 0; i < part.length; i++) assertEquals(whole[from * w * scale + i], part[i], 1e-4f);
    }

    static float[] readF32(String resource, int n) throws IOException {
        byte[] b = Files.readAllBytes(TestData.resource(resource));
        assertEquals(4L * n, b.length, resource + " size");
        float[] f = new float[n];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }
}
