package io.github.superresolve.train;

import io.github.superresolve.image.NormalisedPlanes;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Where the sampler's crops come from, exactly: every high-resolution patch is a window of its source
 * image under one of the eight symmetries, and its input is the bicubic downsampling of that window's
 * neighbourhood (or the paired low-resolution window) under the same symmetry.
 */
public class PatchSamplerTest {

    /** Noise (every window unique), a distinct level per image. */
    private static void writeNoise(Path file, int w, int h, int seed) {
        Random r = new Random(seed);
        ColorProcessor cp = new ColorProcessor(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) cp.set(x, y, r.nextInt(1 << 24));
        assertTrue(new FileSaver(new ImagePlus("n", cp)).saveAsPng(file.toString()));
    }

    /** Left {@code flatWidth} columns one grey level (flat), the rest noise (detail everywhere). */
    static void writeHalfFlat(Path file, int w, int h, int flatWidth, int seed) {
        Random r = new Random(seed);
        ColorProcessor cp = new ColorProcessor(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) cp.set(x, y, x < flatWidth ? 0x808080 : r.nextInt(1 << 24));
        assertTrue(new FileSaver(new ImagePlus("f", cp)).saveAsPng(file.toString()));
    }

    private static boolean flat(PatchSampler.Batch batch, int b, int c) {
        float[][] hr = new float[c][], lr = new float[c][];
        for (int ch = 0; ch < c; ch++) {
            hr[ch] = plane(batch.hr(), b, ch, c, batch.hrSize());
            lr[ch] = plane(batch.lr(), b, ch, c, batch.lrSize());
        }
        return PatchSampler.isFlat(hr, lr, batch.hrSize(), batch.hrSize() / batch.lrSize());
    }

    private static TrainingImages images(Path dir, Path lr, int scale, int minSide) throws IOException {
        return TrainingImages.scan(dir, lr, "", 3, minSide, scale, 256, w -> fail(w));
    }

    @Test
    void theEightSymmetriesAreDistinctPermutationsOfTheSquare() {
        int n = 5;
        float[] a = new float[n * n];
        for (int i = 0; i < a.length; i++) a[i] = i;
        Set<String> seen = new HashSet<>();
        for (int t = 0; t < 8; t++) {
            float[] b = PatchSampler.transform(a, n, t);
            float[] sorted = b.clone();
            Arrays.sort(sorted);
            assertArrayEquals(a, sorted, "transform " + t + " is a permutation");
            assertTrue(seen.add(Arrays.toString(b)), "transform " + t + " differs from the others");
        }
        assertSame(a, PatchSampler.transform(a, n, 0));
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                assertEquals(a[y * n + (n - 1 - x)], PatchSampler.transform(a, n, 1)[y * n + x]);
                assertEquals(a[(n - 1 - y) * n + x], PatchSampler.transform(a, n, 2)[y * n + x]);
                assertEquals(a[x * n + y], PatchSampler.transform(a, n, 4)[y * n + x]);
                assertEquals(a[(n - 1 - y) * n + (n - 1 - x)], PatchSampler.transform(a, n, 3)[y * n + x]);
            }
    }

    @Test
    void picksAreDistinctUntilTheBatchOutnumbersTheImages() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            int[] p = PatchSampler.pick(rnd, 7, 7);
            assertEquals(7, Arrays.stream(p).distinct().count(), Arrays.toString(p));
            for (int i : p) assertTrue(i >= 0 && i < 7);
            int[] q = PatchSampler.pick(rnd, 9, 4);
            assertEquals(4, Arrays.stream(q).distinct().count(), Arrays.toString(q));
            for (int i : q) assertTrue(i >= 0 && i < 9);
        }
        // more patches than images: repeats allowed, every index in range, every image eventually used
        Set<Integer> used = new HashSet<>();
        for (int trial = 0; trial < 20; trial++)
            for (int i : PatchSampler.pick(rnd, 3, 8)) {
                assertTrue(i >= 0 && i < 3);
                used.add(i);
            }
        assertEquals(Set.of(0, 1, 2), used);
        // every index is picked first about equally often (a shuffle, not a bias towards low indices)
        int[] first = new int[5];
        for (int trial = 0; trial < 5000; trial++) first[PatchSampler.pick(rnd, 5, 2)[0]]++;
        for (int f : first) assertEquals(1000, f, 120, Arrays.toString(first));
    }

    @Test
    void cropCopiesTheWindow() {
        float[] src = new float[6 * 4];
        for (int i = 0; i < src.length; i++) src[i] = i;
        assertArrayEquals(new float[]{8, 9, 10, 14, 15, 16}, PatchSampler.crop(src, 6, 2, 1, 3, 2));
    }

    /** Position (x, y) and symmetry t such that {@code patch} is a {@code p x p} window of {@code plane} under t. */
    private static int[] locate(float[] plane, int w, int h, float[] patch, int p) {
        int[] found = null;
        for (int t = 0; t < 8; t++)
            for (int y = 0; y + p <= h; y++)
                for (int x = 0; x + p <= w; x++)
                    if (Arrays.equals(PatchSampler.transform(PatchSampler.crop(plane, w, x, y, p, p), p, t), patch)) {
                        assertNull(found, "the patch matches two windows");
                        found = new int[]{x, y, t};
                    }
        assertNotNull(found, "the patch is no window of its image");
        return found;
    }

    private static float[] plane(float[] batch, int b, int ch, int c, int side) {
        int n = side * side;
        return Arrays.copyOfRange(batch, (b * c + ch) * n, (b * c + ch + 1) * n);
    }

    @Test
    void patchesAreWindowsOfTheirImagesWithTheInputDownsampledFromTheSameWindow(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("hr"));
        // 40 x 44: room for the 2-pixel low-resolution margin around a 16 x 16 patch at x2 (16 + 8 <= 40)
        for (int i = 0; i < 3; i++) writeNoise(dir.resolve("n" + i + ".png"), 40, 44, i);
        TrainingImages images = images(dir, null, 2, 16);
        int p = 16, q = 8, s = 2;
        PatchSampler sampler = new PatchSampler(images, s, p, 3, 21, true);
        Set<Integer> transforms = new HashSet<>();
        for (long step = 0; step < 6; step++) {
            PatchSampler.Batch batch = sampler.batch(step);
            assertEquals(3, batch.n());
            assertEquals(q, batch.lrSize());
            assertEquals(p, batch.hrSize());
            Set<Integer> sources = new HashSet<>();
            for (int b = 0; b < 3; b++) {
                // which image: the red plane's window is found in exactly one
                int img = -1;
                int[] where = null;
                for (int i = 0; i < images.size(); i++) {
                    NormalisedPlanes pl = images.planes(i);
                    try {
                        where = locate(pl.data()[0], pl.width(), pl.height(), plane(batch.hr(), b, 0, 3, p), p);
                        img = i;
                        break;
                    } catch (AssertionError notHere) {
                        // another image
                    }
                }
                assertTrue(img >= 0, "patch " + b + " of step " + step + " comes from no training image");
                assertTrue(sources.add(img), "two patches of one batch from image " + img);
                transforms.add(where[2]);
                NormalisedPlanes pl = images.planes(img);
                int x = where[0], y = where[1], t = where[2], m = 2 * s, big = p + 2 * m;
                assertTrue(x >= m && y >= m && x + p + m <= pl.width() && y + p + m <= pl.height(),
                        "the window keeps its margin inside the image: " + x + "," + y);
                for (int ch = 0; ch < 3; ch++) {
                    float[] hrExpected = PatchSampler.transform(PatchSampler.crop(pl.data()[ch], pl.width(), x, y, p, p), p, t);
                    assertArrayEquals(hrExpected, plane(batch.hr(), b, ch, 3, p), "channel " + ch + " from the same window");
                    float[] region = PatchSampler.crop(pl.data()[ch], pl.width(), x - m, y - m, big, big);
                    float[] small = Resampler.resize(region, big, big, big / s, big / s, Kernel.BICUBIC);
                    float[] lrExpected = PatchSampler.transform(PatchSampler.crop(small, big / s, m / s, m / s, q, q), q, t);
                    assertArrayEquals(lrExpected, plane(batch.lr(), b, ch, 3, q), "input of channel " + ch);
                }
            }
        }
        assertTrue(transforms.size() >= 4, "augmentation uses the symmetries: " + transforms);
    }

    @Test
    void smallImagesAreCroppedWithoutMarginAndWithoutAugmentationStayUpright(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("hr"));
        writeNoise(dir.resolve("small.png"), 20, 18, 4); // too small for a margin around 16 x 16 at x2
        TrainingImages images = images(dir, null, 2, 16);
        PatchSampler sampler = new PatchSampler(images, 2, 16, 1, 5, false);
        for (long step = 0; step < 4; step++) {
            PatchSampler.Batch batch = sampler.batch(step);
            NormalisedPlanes pl = images.planes(0);
            int[] where = locate(pl.data()[1], pl.width(), pl.height(), plane(batch.hr(), 0, 1, 3, 16), 16);
            assertEquals(0, where[2], "no augmentation: upright");
            float[] region = PatchSampler.crop(pl.data()[1], pl.width(), where[0], where[1], 16, 16);
            assertArrayEquals(Resampler.resize(region, 16, 16, 8, 8, Kernel.BICUBIC), plane(batch.lr(), 0, 1, 3, 8));
        }
    }

    @Test
    void pairedInputsAreTheAlignedWindowOfTheLowResolutionImage(@TempDir Path tmp) throws IOException {
        Path hr = Files.createDirectories(tmp.resolve("hr")), lr = Files.createDirectories(tmp.resolve("lr"));
        writeNoise(hr.resolve("a.png"), 48, 40, 1);
        writeNoise(lr.resolve("a.png"), 24, 20, 2); // unrelated content: alignment is by position only
        TrainingImages images = images(hr, lr, 2, 16);
        PatchSampler sampler = new PatchSampler(images, 2, 16, 2, 9, true);
        NormalisedPlanes high = images.planes(0), low = images.lowResPlanes(0);
        for (long step = 0; step < 4; step++) {
            PatchSampler.Batch batch = sampler.batch(step);
            for (int b = 0; b < 2; b++) {
                int[] h = locate(high.data()[2], high.width(), high.height(), plane(batch.hr(), b, 2, 3, 16), 16);
                int[] l = locate(low.data()[2], low.width(), low.height(), plane(batch.lr(), b, 2, 3, 8), 8);
                assertEquals(h[2], l[2], "the same symmetry");
                assertEquals(2 * l[0], h[0], "aligned in x");
                assertEquals(2 * l[1], h[1], "aligned in y");
            }
        }
    }

    @Test
    void flatMeansBicubicReproducesTheCropAndNaNIsNeverFlat() {
        int p = 16, q = 8;
        float[][] lr = {new float[q * q]}, hr = {new float[p * p]};
        Arrays.fill(lr[0], 0.3f);
        Arrays.fill(hr[0], 0.3f);
        assertTrue(PatchSampler.isFlat(hr, lr, p, 2), "a constant is reproduced exactly");
        Random r = new Random(2);
        for (int i = 0; i < hr[0].length; i++) hr[0][i] = 0.3f + 0.005f * (float) r.nextGaussian();
        assertTrue(PatchSampler.isFlat(hr, lr, p, 2), "noise of 0.005 (46 dB) is below the 40 dB line");
        for (int i = 0; i < hr[0].length; i++) hr[0][i] = 0.3f + 0.02f * (float) r.nextGaussian();
        assertFalse(PatchSampler.isFlat(hr, lr, p, 2), "noise of 0.02 (34 dB) is detail");
        Arrays.fill(hr[0], 0.3f);
        hr[0][8 * p + 8] = Float.NaN;
        assertFalse(PatchSampler.isFlat(hr, lr, p, 2), "a NaN pixel is not flat");
    }

    @Test
    void flatCropsAreDrawnAgainWhereTheImageHasDetail(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("hr"));
        // the left 48 of 96 columns flat: about 40% of the 24-wide windows (16 + margin) lie wholly in it, so
        // 8 flat draws in a row happen to about 1 crop in 1500
        for (int i = 0; i < 2; i++) writeHalfFlat(dir.resolve("h" + i + ".png"), 96, 40, 48, i);
        TrainingImages images = images(dir, null, 2, 16);
        PatchSampler plain = new PatchSampler(images, 2, 16, 2, 3, true), skipping = new PatchSampler(images, 2, 16, 2, 3, true, true);
        assertFalse(plain.skipsFlat());
        assertTrue(skipping.skipsFlat());
        int flatPlain = 0, flatSkipping = 0;
        for (long step = 0; step < 40; step++) {
            PatchSampler.Batch a = plain.batch(step), b = skipping.batch(step);
            for (int k = 0; k < 2; k++) {
                if (flat(a, k, 3)) flatPlain++;
                if (flat(b, k, 3)) flatSkipping++;
            }
            assertArrayEquals(b.hr(), skipping.batch(step).hr(), "a step's batch depends only on the seed and the step");
        }
        assertTrue(flatPlain >= 20, "random crops: about 32 of 80 flat, not " + flatPlain);
        assertTrue(flatSkipping <= 1, "redrawn up to " + PatchSampler.FLAT_TRIES + " times: hardly any flat, not " + flatSkipping);
    }

    @Test
    void withNothingFlatTheFilterChangesNoBatchAndAFlatImageStillGivesCrops(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("hr"));
        for (int i = 0; i < 3; i++) writeNoise(dir.resolve("n" + i + ".png"), 40, 44, i);
        TrainingImages images = images(dir, null, 2, 16);
        PatchSampler plain = new PatchSampler(images, 2, 16, 3, 21, true), skipping = new PatchSampler(images, 2, 16, 3, 21, true, true);
        for (long step = 0; step < 5; step++) {
            assertArrayEquals(plain.batch(step).hr(), skipping.batch(step).hr(), "step " + step);
            assertArrayEquals(plain.batch(step).lr(), skipping.batch(step).lr(), "step " + step);
        }
        Path flatDir = Files.createDirectories(tmp.resolve("flat"));
        writeHalfFlat(flatDir.resolve("grey.png"), 40, 40, 40, 1);
        PatchSampler.Batch b = new PatchSampler(images(flatDir, null, 2, 16), 2, 16, 1, 5, true, true).batch(0);
        assertTrue(flat(b, 0, 3), "an image with no detail keeps its last draw");
        for (float v : b.hr()) assertEquals(0x80 / 255f, v, 1e-6);
    }

    @Test
    void badGeometryIsRefusedWithASentence(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("hr"));
        writeNoise(dir.resolve("a.png"), 32, 32, 1);
        TrainingImages images = images(dir, null, 2, 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PatchSampler(images, 4, 18, 1, 1, false));
        assertTrue(e.getMessage().contains("18") && e.getMessage().contains("multiple of the scale 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PatchSampler(images, 2, 16, 0, 1, false));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        PatchSampler ok = new PatchSampler(images, 2, 16, 1, 1, false);
        assertEquals(2, ok.scale());
        assertEquals(16, ok.patch());
        assertEquals(1, ok.batchSize());
        assertEquals(16, PatchSampler.minSide(16));
    }
}
