package io.github.superresolve.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Percentiles from the histogram against a full sort; the intensity map's arithmetic. */
class PercentilesTest {

    private static double ranked(double[] sorted, double percent) {
        return sorted[(int) Math.floor(percent / 100.0 * (sorted.length - 1))];
    }

    @Test
    void sixteenBitPercentilesAreExactOverSeveralPlanes() {
        Random r = new Random(4);
        int w = 37, h = 23;
        short[] a = new short[w * h], b = new short[w * h];
        double[] all = new double[2 * w * h];
        for (int i = 0; i < a.length; i++) {
            int va = (int) Math.min(65535, Math.abs(r.nextGaussian() * 9000 + 20000)), vb = r.nextInt(4096) + 300;
            a[i] = (short) va;
            b[i] = (short) vb;
            all[i] = va;
            all[a.length + i] = vb;
        }
        Arrays.sort(all);
        List<RandomAccessibleInterval<? extends RealType<?>>> planes = List.of(ArrayImgs.unsignedShorts(a, w, h), ArrayImgs.unsignedShorts(b, w, h));
        for (double[] p : new double[][]{{0.1, 99.9}, {1, 99}, {0, 100}, {25, 75}, {50, 50.5}}) {
            Percentiles.Result res = Percentiles.compute(planes, p[0], p[1]);
            assertEquals(ranked(all, p[0]), res.low(), 0, "low " + p[0]);
            assertEquals(ranked(all, p[1]), res.high(), 0, "high " + p[1]);
            assertEquals(0, res.nonFinite());
        }
    }

    @Test
    void eightBitPercentilesAreExact() {
        byte[] px = new byte[200];
        double[] v = new double[200];
        for (int i = 0; i < 200; i++) {
            px[i] = (byte) ((i * 37) % 251);
            v[i] = (i * 37) % 251;
        }
        Arrays.sort(v);
        Percentiles.Result res = Percentiles.compute(List.of(ArrayImgs.unsignedBytes(px, 20, 10)), 5, 95);
        assertEquals(ranked(v, 5), res.low(), 0);
        assertEquals(ranked(v, 95), res.high(), 0);
    }

    @Test
    void floatPercentilesAreWithinABinAndIgnoreNonFiniteValues() {
        Random r = new Random(9);
        int n = 5000;
        float[] px = new float[n + 3];
        double[] finite = new double[n];
        for (int i = 0; i < n; i++) {
            px[i] = (float) (r.nextGaussian() * 2.5 - 7);
            finite[i] = px[i];
        }
        px[n] = Float.NaN;
        px[n + 1] = Float.POSITIVE_INFINITY;
        px[n + 2] = Float.NEGATIVE_INFINITY;
        Arrays.sort(finite);
        double bin = (finite[n - 1] - finite[0]) / 65535;
        Percentiles.Result res = Percentiles.compute(List.of(ArrayImgs.floats(px, n + 3, 1)), 0.1, 99.9);
        assertEquals(3, res.nonFinite());
        assertEquals(ranked(finite, 0.1), res.low(), 2 * bin);
        assertEquals(ranked(finite, 99.9), res.high(), 2 * bin);
        Percentiles.Result ends = Percentiles.compute(List.of(ArrayImgs.floats(px, n + 3, 1)), 0, 100);
        assertEquals(finite[0], ends.low(), 2 * bin);
        assertEquals(finite[n - 1], ends.high(), 2 * bin);
    }

    @Test
    void floatPercentilesAreExactWhateverTheOutliers() {
        Random r = new Random(11);
        int n = 10000;
        float[] px = new float[n];
        double[] sorted = new double[n];
        for (int i = 0; i < n; i++) px[i] = (float) r.nextDouble();
        px[17] = 1e30f; // a hot pixel: bins of 1/65536 of the range would be 1.5e25 wide
        px[18] = -3e38f;
        px[19] = -0.0f;
        for (int i = 0; i < n; i++) sorted[i] = px[i];
        Arrays.sort(sorted);
        for (double[] p : new double[][]{{0.1, 99.9}, {0, 100}, {50, 50}, {1, 99}}) {
            Percentiles.Result res = Percentiles.compute(List.of(ArrayImgs.floats(px, 100, 100)), p[0], p[1]);
            assertEquals(ranked(sorted, p[0]), res.low(), 0, "low " + p[0]);
            assertEquals(ranked(sorted, p[1]), res.high(), 0, "high " + p[1]);
        }
    }

    @Test
    void flatAndEmptyInputs() {
        Percentiles.Result flat = Percentiles.compute(List.of(ArrayImgs.floats(new float[]{3.5f, 3.5f, 3.5f, 3.5f}, 2, 2)), 1, 99);
        assertEquals(3.5, flat.low(), 0);
        assertEquals(3.5, flat.high(), 0);
        Percentiles.Result none = Percentiles.compute(List.of(ArrayImgs.floats(new float[]{Float.NaN, Float.NaN}, 2, 1)), 1, 99);
        assertEquals(2, none.nonFinite());
        assertEquals(0, none.low(), 0);
        assertEquals(1, none.high(), 0);
        assertThrows(IllegalArgumentException.class, () -> Percentiles.compute(List.of(), 1, 99));
    }

    @Test
    void intensityMapIsAffineAndInvertible() {
        IntensityMap m = new IntensityMap(100, 300);
        assertEquals(0f, m.normalise(100), 0);
        assertEquals(1f, m.normalise(300), 0);
        assertEquals(0.25f, m.normalise(150), 0);
        assertEquals(-0.5f, m.normalise(0), 0);
        assertEquals(250.0, m.denormalise(0.75f), 1e-9);
        for (double v : new double[]{-20, 0, 123.25, 300, 1000}) assertEquals(v, m.denormalise(m.normalise(v)), 1e-3);
        IntensityMap flat = new IntensityMap(5, 5); // a flat image keeps its values
        assertEquals(6, flat.high(), 0);
        assertEquals(0f, flat.normalise(5), 0);
        assertEquals(7.0, flat.denormalise(flat.normalise(7)), 1e-6);
        assertEquals(11, new IntensityMap(10, 5).high(), 0);
        assertEquals(0.5f, IntensityMap.IDENTITY.normalise(0.5), 0);
    }
}
