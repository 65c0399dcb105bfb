package io.github.superresolve.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import java.util.List;

/**
 * Percentiles of the intensities of one or more planes from histograms (never a full sort), exact:
 * for 8- and 16-bit data one bin per value; for float data a radix selection on the float's bits
 * (ordered as integers): a histogram of the top 16 bits finds the bin of each requested rank, a second
 * pass histograms the low 16 bits inside those bins only. Two passes either way, whatever the range:
 * one hot pixel of 1e30 in a 0..1 image moves the 99.9th percentile by one rank, not to 1e25 (as bins
 * of 1/65536 of the range would). The value of rank {@code floor(p / 100 * (n - 1))} of the finite
 * values is returned; NaN and infinite values are counted and left out.
 */
public final class Percentiles {

    private static final int BINS = 65536;

    private Percentiles() {
    }

    /** Result: the requested percentiles, and how many pixels were NaN or infinite (ignored). */
    public record Result(double low, double high, long nonFinite) {
    }

    public static Result compute(List<? extends RandomAccessibleInterval<? extends RealType<?>>> planes,
                                 double lowPercent, double highPercent) {
        if (planes.isEmpty()) throw new IllegalArgumentException("No planes.");
        RealType<?> type = planes.get(0).getType();
        boolean integer = type instanceof net.imglib2.type.numeric.IntegerType && type.getMaxValue() - type.getMinValue() < BINS;
        return integer ? integers(planes, type.getMinValue(), lowPercent, highPercent) : floats(planes, lowPercent, highPercent);
    }

    private static Result integers(List<? extends RandomAccessibleInterval<? extends RealType<?>>> planes, double min,
                                   double lowPercent, double highPercent) {
        long[] hist = new long[BINS];
        long n = 0;
        for (RandomAccessibleInterval<? extends RealType<?>> p : planes)
            for (RealType<?> t : Views.flatIterable(p)) {
                hist[(int) (t.getRealDouble() - min)]++;
                n++;
            }
        return new Result(min + bin(hist, rank(n, lowPercent)), min + bin(hist, rank(n, highPercent)), 0);
    }

    /** A float's bits as an unsigned key in the order of the floats (-inf < ... < -0 < +0 < ... < +inf). */
    static int key(float v) {
        int bits = Float.floatToRawIntBits(v);
        return (bits ^ ((bits >> 31) & 0x7fffffff)) ^ 0x80000000;
    }

    /** The float of a {@link #key}. */
    static float value(int key) {
        int bits = key ^ 0x80000000;
        return Float.intBitsToFloat(bits ^ ((bits >> 31) & 0x7fffffff));
    }

    private static Result floats(List<? extends RandomAccessibleInterval<? extends RealType<?>>> planes, double lowPercent, double highPercent) {
        long[] top = new long[BINS];
        long n = 0, nonFinite = 0;
        for (RandomAccessibleInterval<? extends RealType<?>> p : planes)
            for (RealType<?> t : Views.flatIterable(p)) {
                float v = t.getRealFloat();
                if (!Float.isFinite(v)) {
                    nonFinite++;
                    continue;
                }
                top[key(v) >>> 16]++;
                n++;
            }
        if (n == 0) return new Result(0, 1, nonFinite); // nothing finite
        long rankLow = rank(n, lowPercent), rankHigh = rank(n, highPercent);
        int binLow = bin(top, rankLow), binHigh = bin(top, rankHigh);
        long beforeLow = 0, beforeHigh = 0;
        for (int b = 0; b < binHigh; b++) {
            if (b < binLow) beforeLow += top[b];
            beforeHigh += top[b];
        }
        long[] low = new long[BINS], high = binHigh == binLow ? low : new long[BINS];
        for (RandomAccessibleInterval<? extends RealType<?>> p : planes)
            for (RealType<?> t : Views.flatIterable(p)) {
                float v = t.getRealFloat();
                if (!Float.isFinite(v)) continue;
                int k = key(v), b = k >>> 16;
                if (b == binLow) low[k & 0xffff]++;
                else if (b == binHigh) high[k & 0xffff]++;
            }
        float lo = value(binLow << 16 | bin(low, rankLow - beforeLow));
        float hi = value(binHigh << 16 | bin(high, rankHigh - beforeHigh));
        return new Result(lo, hi, nonFinite);
    }

    /** The rank of a percentile among {@code n} values: {@code floor(p / 100 * (n - 1))}, within 0..n-1. */
    private static long rank(long n, double percent) {
        return (long) Math.max(0, Math.min(n - 1, Math.floor(percent / 100.0 * (n - 1))));
    }

    /** The bin holding the value of rank {@code r} (0-based) of a histogram. */
    private static int bin(long[] hist, long r) {
        long cum = 0;
        for (int b = 0; b < hist.length; b++) {
            cum += hist[b];
            if (cum > r) return b;
        }
        return hist.length - 1;
    }
}
