package io.github.superresolve.consistency;

import ij.ImagePlus;

import java.util.List;

/**
 * The consistency of one super-resolved image with its input ({@link ImageConsistency#analyse}): a row of
 * scores per plane and the error map at the input's resolution.
 *
 * @param name        the output's name (its title without extension); the map is titled {@code name + "-consistency"}
 * @param scale       the super-resolution's scale
 * @param degradation how the output was degraded
 * @param rows        one row per channel (or RGB component), slice and frame, channels fastest, then slices, then frames
 * @param map         the error map: 32-bit, the input's width, height, slices and frames, one channel per row channel,
 *                    the input's spatial calibration, a Fire LUT, display range 0 to each channel's largest error
 */
public record ConsistencyReport(String name, int scale, Degradation degradation, List<ConsistencyRow> rows, ImagePlus map) {

    /** Copies the rows. */
    public ConsistencyReport {
        rows = List.copyOf(rows);
    }

    /**
     * RSE of the whole image: the root mean square residual over every pixel compared in every plane
     * (each plane with its own fit), in the input's units. NaN when no pixel was compared.
     */
    public double overallRse() {
        double ss = 0;
        long n = 0;
        for (ConsistencyRow r : rows) {
            if (r.pixels() == 0 || Double.isNaN(r.rse())) continue;
            ss += r.rse() * r.rse() * r.pixels();
            n += r.pixels();
        }
        return n == 0 ? Double.NaN : Math.sqrt(ss / n);
    }

    /**
     * RSP of the whole image: the mean of the planes' RSP where it is defined; NaN when it is defined in
     * no plane (every plane constant).
     */
    public double overallRsp() {
        double s = 0;
        int n = 0;
        for (ConsistencyRow r : rows) {
            if (Double.isNaN(r.rsp())) continue;
            s += r.rsp();
            n++;
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
