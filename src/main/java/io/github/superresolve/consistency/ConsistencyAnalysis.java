package io.github.superresolve.consistency;

import io.github.superresolve.image.NonFinitePixels;

/**
 * The consistency of one super-resolved plane with the plane it was made from, without ground truth
 * (NanoJ-SQUIRREL, Culley et al., <i>Nature Methods</i> 2018): the output is degraded back to the input's
 * resolution ({@link Degradation}), an intensity gain and offset are fitted by least squares so that
 * {@code gain * degraded + offset} matches the input, and the residual gives the resolution-scaled error
 * (RSE, root mean square, in the input's units), the per-pixel error map ({@code |residual|}) and, with
 * the Pearson coefficient of input and degraded output, the resolution-scaled Pearson coefficient (RSP).
 * No user interface; all sums in double, two passes (means first) for accuracy.
 *
 * <p>Pixels left out: an input pixel is compared only when it is finite and all the output pixels it
 * became (its {@code scale x scale} block) are finite. Non-finite output pixels are replaced by their
 * nearest finite neighbour before degrading ({@link NonFinitePixels#filled}), so they do not spread over
 * the kernel's reach; the pixels left out are NaN in the map and count nowhere.
 *
 * <p>Constant planes: when the degraded output is constant over the pixels compared it carries no
 * information the fit can use; the gain is 0, the offset the input's mean, RSE the input's standard
 * deviation, and RSP NaN. When the input is constant, the fit matches it exactly (gain 0): RSE is 0 and
 * RSP NaN. RSP NaN thus means "undefined: nothing varies", never "bad"; no exception is thrown.
 */
public final class ConsistencyAnalysis {

    private ConsistencyAnalysis() {
    }

    /**
     * Degrades {@code output} (a {@code width*scale x height*scale} plane) onto the input's size and compares.
     *
     * @param input       the input plane, {@code width * height} values row by row (not modified)
     * @param width       input width
     * @param height      input height
     * @param output      the super-resolved plane, {@code width*scale * height*scale} values row by row (not modified)
     * @param scale       the super-resolution's scale r, 1 or more
     * @param degradation how to degrade the output
     * @throws IllegalArgumentException with a sentence when sizes or scale do not fit together
     */
    public static PlaneConsistency analyse(float[] input, int width, int height, float[] output, int scale, Degradation degradation) {
        if (scale < 1)
            throw new IllegalArgumentException("Scale " + scale + " is not valid: the scale of a super-resolution is a whole number of 1 or more.");
        if (degradation == null) throw new IllegalArgumentException("No degradation was given: " + Degradation.KNOWN);
        checkPlane("input", input, width, height);
        long outW = (long) width * scale, outH = (long) height * scale;
        if (outW * outH > Integer.MAX_VALUE)
            throw new IllegalArgumentException("An input of " + width + "x" + height + " at scale " + scale
                    + " makes an output larger than a plane can hold.");
        if (output == null) throw new IllegalArgumentException("No output plane was given.");
        if (output.length != outW * outH)
            throw new IllegalArgumentException("The output plane has " + output.length + " values, but an input of " + width + "x"
                    + height + " at scale " + scale + " becomes " + outW + "x" + outH + " = " + outW * outH
                    + ": give the output that this input was super-resolved into, and its scale.");
        int ow = (int) outW, oh = (int) outH;
        boolean[] keep = new boolean[width * height];
        for (int i = 0; i < keep.length; i++) keep[i] = Float.isFinite(input[i]);
        float[] out = output;
        if (NonFinitePixels.count(output) > 0) {
            for (int y = 0; y < oh; y++)
                for (int x = 0; x < ow; x++)
                    if (!Float.isFinite(output[y * ow + x])) keep[(y / scale) * width + x / scale] = false;
            out = NonFinitePixels.filled(output, ow, oh);
        }
        float[] degraded = degradation.apply(out, ow, oh, width, height);
        return compare(input, degraded, keep, width, height);
    }

    /**
     * Compares an input plane with an output already degraded onto its size: fit, scores and map.
     *
     * @param input    {@code width * height} values
     * @param degraded {@code width * height} values
     * @param keep     which pixels to compare, or null for all; non-finite pixels of either plane are always left out
     */
    public static PlaneConsistency compare(float[] input, float[] degraded, boolean[] keep, int width, int height) {
        checkPlane("input", input, width, height);
        checkPlane("degraded output", degraded, width, height);
        int n = width * height;
        if (keep != null && keep.length != n)
            throw new IllegalArgumentException("The mask has " + keep.length + " values, not " + width + "x" + height + ".");
        boolean[] use = new boolean[n];
        long count = 0;
        double sx = 0, sy = 0;
        for (int i = 0; i < n; i++) {
            use[i] = (keep == null || keep[i]) && Float.isFinite(input[i]) && Float.isFinite(degraded[i]);
            if (!use[i]) continue;
            count++;
            sx += degraded[i];
            sy += input[i];
        }
        float[] map = new float[n];
        if (count == 0) {
            java.util.Arrays.fill(map, Float.NaN);
            return new PlaneConsistency(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, map, width, height);
        }
        double mx = sx / count, my = sy / count;
        double sxx = 0, syy = 0, sxy = 0;
        for (int i = 0; i < n; i++) {
            if (!use[i]) continue;
            double dx = degraded[i] - mx, dy = input[i] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        double gain = sxx > 0 ? sxy / sxx : 0;
        double offset = my - gain * mx;
        double rsp = sxx > 0 && syy > 0 ? Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))) : Double.NaN;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            if (!use[i]) {
                map[i] = Float.NaN;
                continue;
            }
            // residual around the means: the same value as input - (gain * degraded + offset), with less cancellation
            double r = (input[i] - my) - gain * (degraded[i] - mx);
            ss += r * r;
            map[i] = (float) Math.abs(r);
        }
        return new PlaneConsistency(gain, offset, Math.sqrt(ss / count), rsp, count, map, width, height);
    }

    private static void checkPlane(String what, float[] plane, int width, int height) {
        if (width < 1 || height < 1)
            throw new IllegalArgumentException("The " + what + " plane is " + width + "x" + height + " pixels: it needs at least 1x1.");
        if (plane == null) throw new IllegalArgumentException("No " + what + " plane was given.");
        if (plane.length != (long) width * height)
            throw new IllegalArgumentException("The " + what + " plane has " + plane.length + " values, not " + width + "x" + height
                    + " = " + (long) width * height + ".");
    }
}
