package io.github.superresolve.infer;

import io.github.superresolve.TestData;
import io.github.superresolve.image.IntensityMap;
import io.github.superresolve.image.RaiTileSink;
import io.github.superresolve.image.RaiTileSource;
import io.github.superresolve.nn.Generator;
import io.github.superresolve.nn.GeneratorConfig;
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
        Random r = new Random(3);
        List<RandomAccessibleInterval<? extends RealType<?>>> in = new ArrayList<>();
        for (int k = 0; k < channels; k++) {
            float[] f = new float[w * h];
            for (int i = 0; i < f.length; i++) f[i] = r.nextFloat() * 200;
            in.add(ArrayImgs.floats(f, w, h));
        }
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
