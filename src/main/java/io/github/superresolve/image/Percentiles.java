package io.github.superresolve.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import java.util.List;

/**
 * Percentiles of the intensities of one or more planes from a histogram (never a full sort): exact for
 * 8- and 16-bit data (one bin per value), within 1/65536 of the range for float data (two passes:
 * range, then a 65536-bin histogram).
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
        double min, max;
        long nonFinite = 0;
        if (integer) {
            min = type.getMinValue();
            max = type.getMinValue() + BINS - 1;
        } else {
            min = Double.POSITIVE_INFINITY;
            max = Double.NEGATIVE_INFINITY;
            for (RandomAccessibleInterval<? extends RealType<?>> p : planes)
                for (RealType<?> t : Views.flatIterable(p)) {
                    double v = t.getRealDouble();
                    if (!Double.isFinite(v)) {
                        nonFinite++;
                        continue;
                    }
                    if (v < min) min = v;
                    if (v > max) max = v;
                }
            if (min > max) return new Result(0, 1, nonFinite); // nothing finite
            if (min == max) return new Result(min, max, nonFinite);
        }
        long[] hist = new long[BINS];
        double binScale = integer ? 1 : (BINS - 1) / (max - min);
        long n = 0;
        for (RandomAccessibleInterval<? extends RealType<?>> p : planes)
            for (RealType<?> t : Views.flatIterable(p)) {
                double v = t.getRealDouble();
                if (!Double.isFinite(v)) continue;
                int b = (int) ((v - min) * binScale);
                hist[Math.max(0, Math.min(BINS - 1, b))]++;
                n++;
            }
        return new Result(value(hist, n, lowPercent, min, binScale), value(hist, n, highPercent, min, binScale), nonFinite);
    }

    private static double value(long[] hist, long n, double percent, double min, double binScale) {
        double target = Math.max(0, Math.min(n - 1, percent / 100.0 * (n - 1)));
        long cum = 0;
        for (int b = 0; b < hist.length; b++) {
            if (cum + hist[b] > target) {
                double frac = hist[b] > 1 ? (target - cum) / hist[b] : 0;
                return min + (b + (binScale == 1 ? 0 : frac)) / binScale;
            }
            cum += hist[b];
        }
        return min + (hist.length - 1) / binScale;
    }
}
