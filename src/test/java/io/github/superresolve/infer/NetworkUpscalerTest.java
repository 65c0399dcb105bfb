package io.github.superresolve.infer;

import io.github.superresolve.TestData;
import io.github.superresolve.image.IntensityMap;
import io.github.superresolve.image.RaiTileSink;
import io.github.superresolve.image.RaiTileSource;
import io.github.superresolve.nn.Generator;
import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.Network;
import io.github.superresolve.nn.SrResNet;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiled inference equals one pass over the whole plane, whatever the tile size, batch and image size. */
class NetworkUpscalerTest {

    @ParameterizedTest
    @CsvSource({"1,2,50,37,16,1", "3,2,41,64,20,3", "1,4,33,29,8,2", "3,4,70,45,32,4"})
    void tiledEqualsSinglePass(int channels, int scale, int w, int h, int tile, int batch) {
        GeneratorConfig c = TestData.tiny(channels, scale);
        Generator g = new Generator(c, TestData.tinyParams(c));
        List<RandomAccessibleInterval<? extends RealType<?>>> in = noise(channels, w, h);
        IntensityMap[] maps = new IntensityMap[channels];
        java.util.Arrays.fill(maps, new IntensityMap(0, 200));
        float[][] single = run(new NetworkUpscaler("n", g, Math.max(w, h), -1, 1), in, maps, w * scale, h * scale);
        AtomicLong reported = new AtomicLong();
        NetworkUpscaler tiled = new NetworkUpscaler("n", g, tile, -1, batch);
        float[][] t = run(tiled, in, maps, w * scale, h * scale, (d, tot) -> reported.set(d));
        assertTrue(tiled.workUnits(w, h) > 1);
        assertEquals(tiled.workUnits(w, h), reported.get());
        for (int k = 0; k < channels; k++)
            for (int i = 0; i < single[k].length; i++)
                assertEquals(single[k][i], t[k][i], 2e-3f, "channel " + k + " pixel " + i);
    }

    /** A real network that runs out of memory on tiles of more than {@code limit} padded pixels. */
    private static class Scarce extends DelegatingNetwork {
        final long limit;
        final boolean nativeStyle;

        Scarce(Generator g, long limit, boolean nativeStyle) {
            super(g);
            this.limit = limit;
            this.nativeStyle = nativeStyle;
        }

        @Override
        public float[] run(float[] input, int n, int h, int w) {
            if ((long) n * h * w > limit) {
                sizes.add(h * w);
                if (nativeStyle) throw new RuntimeException("Op [conv2d] execution failed", new RuntimeException("std::bad_alloc"));
                throw new OutOfMemoryError("Java heap space");
            }
            return super.run(input, n, h, w);
        }
    }

    private static List<RandomAccessibleInterval<? extends RealType<?>>> noise(int channels, int w, int h) {
        Random r = new Random(5);
        List<RandomAccessibleInterval<? extends RealType<?>>> in = new ArrayList<>();
        for (int k = 0; k < channels; k++) {
            float[] f = new float[w * h];
            for (int i = 0; i < f.length; i++) f[i] = r.nextFloat() * 200;
            in.add(ArrayImgs.floats(f, w, h));
        }
        return in;
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void runningOutOfMemoryRestartsWithSmallerTilesAndTheSameResult(boolean nativeStyle) {
        GeneratorConfig c = TestData.tiny(1, 2);
        Generator g = new Generator(c, TestData.tinyParams(c));
        int w = 90, h = 70, m = g.receptiveRadius();
        List<RandomAccessibleInterval<? extends RealType<?>>> in = noise(1, w, h);
        IntensityMap[] maps = {new IntensityMap(0, 200)};
        float[][] single = run(new NetworkUpscaler("n", g, Math.max(w, h), -1, 1), in, maps, w * 2, h * 2);
        long limit = (long) (40 + 2 * m) * (40 + 2 * m);
        Scarce s = new Scarce(g, limit, nativeStyle);
        NetworkUpscaler up = new NetworkUpscaler("n", s, NetworkUpscaler.AUTO, -1, 1, 1L << 30);
        assertEquals(new TilePlan(w, h), up.plan(w, h), "the budget allows one tile");
        AtomicLong last = new AtomicLong(), total = new AtomicLong();
        float[][] t = run(up, in, maps, w * 2, h * 2, (d, tot) -> {
            assertTrue(d >= last.get(), "progress never goes back");
            last.set(d);
            total.set(tot);
        });
        assertTrue(up.retries() >= 2, "retries " + up.retries());
        assertTrue(up.lastPlan().paddedPixels(m) <= limit, "finished on tiles that fit: " + up.lastPlan());
        assertEquals(total.get(), last.get(), "progress ends at its total");
        for (int i = 0; i < single[0].length; i++) assertEquals(single[0][i], t[0][i], 2e-3f, "pixel " + i);
    }

    @org.junit.jupiter.api.Test
    void noTileSmallEnoughIsOneSentenceNamingTheModel() {
        GeneratorConfig c = TestData.tiny(1, 2);
        Scarce s = new Scarce(new Generator(c, TestData.tinyParams(c)), 10, true);
        NetworkUpscaler up = new NetworkUpscaler("tiny-x2", s, 64, -1, 1, 0);
        IntensityMap[] maps = {new IntensityMap(0, 200)};
        io.github.superresolve.nn.ModelException e = org.junit.jupiter.api.Assertions.assertThrows(io.github.superresolve.nn.ModelException.class,
                () -> run(up, noise(1, 64, 64), maps, 128, 128));
        assertTrue(e.getMessage().startsWith("Not enough memory to run tiny-x2 even on tiles of 16x16 pixels"), e.getMessage());
        assertTrue(s.sizes.size() == 4 + 1, "64 -> 32x64 -> 32 -> 16x32 -> 16: " + s.sizes.size());
    }

    @org.junit.jupiter.api.Test
    void otherFailuresAreNotRetried() {
        GeneratorConfig c = TestData.tiny(1, 2);
        Generator g = new Generator(c, TestData.tinyParams(c));
        List<Integer> calls = new ArrayList<>();
        Network broken = new Scarce(g, Long.MAX_VALUE, false) {
            @Override
            public float[] run(float[] input, int n, int h, int w) {
                calls.add(h);
                throw new IllegalStateException("weights damaged");
            }
        };
        NetworkUpscaler up = new NetworkUpscaler("n", broken, 32, -1, 1, 0);
        IntensityMap[] maps = {new IntensityMap(0, 200)};
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> run(up, noise(1, 64, 64), maps, 128, 128));
        assertEquals(1, calls.size());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
    void recursiveStagesAreTiledOneAfterTheOther(int applications) {
        GeneratorConfig c = TestData.tiny(1, 2);
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> p1 = TestData.tinyParams(c), p2 = SrResNet.initParams(c, 9, 0.5);
        Generator g = Generator.recursive(c, List.of(p1, p2), applications);
        assertEquals(applications, g.stages().size());
        int w = 37, h = 29, s = g.scale();
        List<RandomAccessibleInterval<? extends RealType<?>>> in = noise(1, w, h);
        IntensityMap[] maps = {new IntensityMap(0, 200)};
        // reference: each stage over its whole input in one tile, by hand
        float[][] ref = run(new NetworkUpscaler("1", new Generator(c, p1), 4096, -1, 1), in, maps, w * 2, h * 2);
        int cw = w * 2, ch = h * 2;
        for (int k = 1; k < applications; k++) {
            List<RandomAccessibleInterval<? extends RealType<?>>> mid = List.of(ArrayImgs.floats(ref[0], cw, ch));
            ref = run(new NetworkUpscaler("2", new Generator(c, p2), 4096, -1, 1), mid, maps, cw * 2, ch * 2);
            cw *= 2;
            ch *= 2;
        }
        AtomicLong reported = new AtomicLong(), total = new AtomicLong();
        NetworkUpscaler tiled = new NetworkUpscaler("r", g, 12, -1, 1);
        float[][] t = run(tiled, in, maps, w * s, h * s, (d, tot) -> {
            reported.set(d);
            total.set(tot);
        });
        assertEquals(tiled.workUnits(w, h), total.get());
        assertEquals(total.get(), reported.get());
        assertTrue(total.get() > 12L * applications, "every stage tiled: " + total.get());
        int lw = w * s / 2, lh = h * s / 2; // the last stage's input
        assertEquals(applications, tiled.stages());
        assertEquals(new TileGrid(lw, lh, 12, 12, g.stages().get(applications - 1).receptiveRadius()).tiles().size(), tiled.lastTileCount(),
                "tiles counted on the last stage's input");
        double maxAbs = 0;
        for (int i = 0; i < ref[0].length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(ref[0][i]));
            assertEquals(ref[0][i], t[0][i], 2e-2f, "pixel " + i);
        }
        assertTrue(maxAbs > 20, "non-trivial output");
    }

    @org.junit.jupiter.api.Test
    void automaticTilesFollowTheMemoryLimit() {
        GeneratorConfig c = TestData.tiny(3, 4);
        Generator g = new Generator(c, TestData.tinyParams(c));
        int m = g.receptiveRadius();
        long limit = g.fixedBytes() + (long) (g.bytesPerPixel() * (60 + 2 * m) * (60 + 2 * m));
        NetworkUpscaler up = new NetworkUpscaler("n", g, NetworkUpscaler.AUTO, -1, 1, limit);
        TilePlan p = up.plan(150, 100);
        assertTrue(g.fixedBytes() + p.paddedPixels(m) * g.bytesPerPixel() <= limit, p.toString());
        assertTrue(up.workUnits(150, 100) >= 4, "a 150x100 image in tiles of at most ~60^2");
        assertEquals(new TilePlan(150, 100), new NetworkUpscaler("n", g, NetworkUpscaler.AUTO, -1, 1, 1L << 32).plan(150, 100));
    }

    private static float[][] run(Upscaler up, List<RandomAccessibleInterval<? extends RealType<?>>> in, IntensityMap[] maps, int W, int H) {
        return run(up, in, maps, W, H, Progress.NONE);
    }

    private static float[][] run(Upscaler up, List<RandomAccessibleInterval<? extends RealType<?>>> in, IntensityMap[] maps,
                                 int W, int H, Progress p) {
        float[][] out = new float[in.size()][W * H];
        List<RandomAccessibleInterval<? extends RealType<?>>> o = new ArrayList<>();
        for (float[] f : out) o.add(ArrayImgs.floats(f, W, H));
        up.upscale(new RaiTileSource(in, maps), new RaiTileSink(o, maps), p);
        return out;
    }
}
