package io.github.superresolve.infer;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import io.github.superresolve.TestData;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.NonFinitePixels;
import io.github.superresolve.image.TileSink;
import io.github.superresolve.image.TileSource;
import io.github.superresolve.nn.Generator;
import io.github.superresolve.nn.GeneratorConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outputs are never NaN or infinite silently: 32-bit values up to 3.4e38 give finite results, the
 * input's own NaN and infinite pixels are kept at the output pixels they become (and nowhere else),
 * and an upscaler output holding non-finite values the input did not have is refused with a sentence.
 */
class NonFiniteValuesTest {

    private static Upscaler tinyNet(int scale) {
        GeneratorConfig c = TestData.tiny(1, scale);
        return new NetworkUpscaler("tiny", new Generator(c, TestData.tinyParams(c)), 32, -1, 1);
    }

    private static float[] wave(int w, int h, double scale, double offset) {
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) v[i] = (float) (offset + scale * Math.sin(i % w * 0.4) * Math.cos(i / w * 0.3));
        return v;
    }

    private static long nonFinite(ImagePlus imp) {
        long n = 0;
        for (int s = 1; s <= imp.getStackSize(); s++) n += NonFinitePixels.count((float[]) imp.getStack().getPixels(s));
        return n;
    }

    @Test
    void valuesNear3e38GiveFiniteOutputsByInterpolationAndNetwork() {
        for (Upscaler up : new Upscaler[]{new InterpolationUpscaler(Kernel.LANCZOS3, 2), new InterpolationUpscaler(Kernel.BICUBIC, 2), tinyNet(2)}) {
            ImagePlus rough = new ImagePlus("rough.tif", new FloatProcessor(24, 20, wave(24, 20, 0.2e38, 3.1e38)));
            ImagePlus out = ImageUpscaler.upscale(rough, up, ImageUpscaler.Options.defaults(), Progress.NONE);
            assertEquals(0, nonFinite(out), up.name());
            float[] o = (float[]) out.getProcessor().getPixels();
            for (float v : o) assertTrue(v > 2.5e38f, up.name() + ": " + v);

            float[] flat = new float[24 * 20];
            Arrays.fill(flat, 3e38f); // a flat plane: percentiles low == high
            out = ImageUpscaler.upscale(new ImagePlus("flat.tif", new FloatProcessor(24, 20, flat)), up, ImageUpscaler.Options.defaults(), Progress.NONE);
            for (float v : (float[]) out.getProcessor().getPixels()) assertEquals(3e38f, v, 3e38f * 1e-5f, up.name());
        }
    }

    @Test
    void interpolationOfAFloatPlaneIsTheResamplersOwnResult() {
        float[] px = wave(24, 20, 1e30, 0);
        px[7] = 3.3e38f; // an outlier far beyond the percentiles
        ImagePlus out = ImageUpscaler.upscale(new ImagePlus("o.tif", new FloatProcessor(24, 20, px.clone())),
                new InterpolationUpscaler(Kernel.LANCZOS3, 2), ImageUpscaler.Options.defaults(), Progress.NONE);
        float[] direct = io.github.superresolve.image.Resampler.upscale(px, 24, 20, 2, Kernel.LANCZOS3);
        assertArrayEquals(direct, (float[]) out.getProcessor().getPixels(), 0f);
        assertEquals(0, nonFinite(out));
    }

    @Test
    void nanAndInfinitePixelsStayWhereTheyAreAndNowhereElse() {
        int w = 24, h = 20, s = 2;
        float[] px = wave(w, h, 100, 500);
        px[3 * w + 5] = Float.NaN;
        px[3 * w + 6] = Float.NaN;
        px[10 * w + 0] = Float.POSITIVE_INFINITY;
        px[19 * w + 23] = Float.NEGATIVE_INFINITY;
        for (int x = 0; x < w; x++) px[15 * w + x] = Float.NaN; // a whole row masked
        for (Upscaler up : new Upscaler[]{new InterpolationUpscaler(Kernel.LANCZOS3, s), new InterpolationUpscaler(Kernel.BICUBIC, s), tinyNet(s)}) {
            FloatProcessor fp = new FloatProcessor(w, h, px.clone());
            ImagePlus out = ImageUpscaler.upscale(new ImagePlus("masked.tif", fp), up, ImageUpscaler.Options.defaults(), Progress.NONE);
            float[] o = (float[]) out.getProcessor().getPixels();
            for (int y = 0; y < h * s; y++)
                for (int x = 0; x < w * s; x++) {
                    float in = px[(y / s) * w + x / s], v = o[y * w * s + x];
                    if (Float.isFinite(in)) assertTrue(Float.isFinite(v), up.name() + " made " + v + " at " + x + "," + y);
                    else assertEquals(in, v, up.name() + " at " + x + "," + y);
                }
            assertTrue(Float.isNaN(fp.getf(5, 3)), "the input is untouched");
            // the finite values far from the mask are those of the same plane without it
            float[] clean = wave(w, h, 100, 500);
            float[] ref = (float[]) ImageUpscaler.upscale(new ImagePlus("clean.tif", new FloatProcessor(w, h, clean)), up,
                    new ImageUpscaler.Options(ImageUpscaler.BitDepth.SAME, ImageUpscaler.Normalization.NONE, 0.1, 99.9), Progress.NONE)
                    .getProcessor().getPixels();
            if (up instanceof InterpolationUpscaler) assertEquals(ref[2 * w * s + 40], o[2 * w * s + 40], 1e-3, up.name());
        }
    }

    @Test
    void networkArithmeticThatOverflowsIsRefusedWithASentence() {
        float[] px = wave(24, 20, 1e-4, 1e-3); // a narrow range...
        px[100] = 3e38f; // ...and a value 1e42 times the range away from it
        ImagePlus imp = new ImagePlus("spike.tif", new FloatProcessor(24, 20, px));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageUpscaler.upscale(imp, tinyNet(2), ImageUpscaler.Options.defaults(), Progress.NONE));
        assertEquals("Super-Resolve's output for 'spike.tif' holds infinite or NaN values (its values, up to 3.0e38, overflow the "
                + "network's arithmetic): clip its extreme values (Process > Math > Min... and Max...) or set them to NaN, which "
                + "Super-Resolve leaves out, and try again.", e.getMessage());
        // as the sentence says: the same value as NaN is left out, and the output is finite around it
        px[100] = Float.NaN;
        ImagePlus out = ImageUpscaler.upscale(new ImagePlus("masked.tif", new FloatProcessor(24, 20, px)), tinyNet(2),
                ImageUpscaler.Options.defaults(), Progress.NONE);
        assertEquals(4, nonFinite(out));
    }

    /** An upscaler whose output has a NaN: what a network overflowing inside looks like from outside. */
    private static final class Broken implements Upscaler {
        public String name() {
            return "broken";
        }

        public int scale() {
            return 2;
        }

        public int channels() {
            return 1;
        }

        public long workUnits(int width, int height) {
            return 1;
        }

        public void upscale(TileSource source, TileSink sink, Progress progress) {
            int w = (int) sink.width(), h = (int) sink.height();
            float[] out = new float[w * h];
            Arrays.fill(out, 0.5f);
            out[w * 3 + 3] = Float.NaN;
            sink.write(0, 0, w, h, out, w, h, 0, 0);
        }
    }

    @Test
    void aNonFiniteOutputIsNeverWrittenInAnyBitDepth() {
        for (ImagePlus imp : new ImagePlus[]{new ImagePlus("b.png", new ByteProcessor(16, 16)), new ImagePlus("s.tif", new ShortProcessor(16, 16)),
                new ImagePlus("f.tif", new FloatProcessor(16, 16))}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ImageUpscaler.upscale(imp, "/data/" + imp.getTitle(), new Broken(), ImageUpscaler.Options.defaults(), Progress.NONE));
            assertTrue(e.getMessage().startsWith("Super-Resolve's output for /data/" + imp.getTitle() + " holds infinite or NaN values"), e.getMessage());
        }
    }

    @Test
    void anOutputLargerThanTheHeapIsRefusedBeforeItIsAllocated() {
        ImageStack st = new ImageStack(256, 256);
        for (int i = 0; i < 1000; i++) st.addSlice(new ByteProcessor(256, 256));
        ImagePlus many = new ImagePlus("many.tif", st);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageUpscaler.upscale(many, new InterpolationUpscaler(Kernel.BICUBIC, 16), ImageUpscaler.Options.defaults(), Progress.NONE));
        assertTrue(e.getMessage().startsWith("Image 'many.tif' would become 1000 planes of 4096x4096 8-bit pixels (15.6 GB with its "
                + "working memory), more than the "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" Java may use here: use a smaller scale, " + io.github.superresolve.image.HeapBudget.ADVICE + "."), e.getMessage());
    }
}
