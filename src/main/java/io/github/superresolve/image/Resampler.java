package io.github.superresolve.image;

/**
 * Separable resampling of float planes with Pillow's algorithm: output pixel i samples the input at
 * centre (i + 0.5) * in / out; when downsampling the kernel is stretched by the factor (antialiasing);
 * the weights of each output pixel are normalised to sum 1 after clipping at the border.
 * Results agree with Pillow's {@code Image.resize} in float mode to float rounding, and with its 8-bit
 * mode to within one grey level (Pillow rounds its 8-bit intermediate between the two passes).
 * Products and sums are computed in double and results clipped to the finite float range, so values
 * up to 3.4e38 cannot overflow to infinity (NaN inputs still give NaN: callers fill them first).
 */
public final class Resampler {

    private Resampler() {
    }

    /** Precomputed weights for one axis. */
    static final class Coefficients {
        final int[] start;
        final int[] count;
        final float[][] weights;

        Coefficients(int[] start, int[] count, float[][] weights) {
            this.start = start;
            this.count = count;
            this.weights = weights;
        }
    }

    static Coefficients coefficients(Kernel kernel, int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = kernel.support() * filterScale;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        float[][] weights = new float[outSize][];
        for (int i = 0; i < outSize; i++) {
            double centre = (i + 0.5) * scale;
            int xmin = (int) Math.max(0, Math.floor(centre - support + 0.5));
            int xmax = (int) Math.min(inSize, Math.floor(centre + support + 0.5));
            int n = Math.max(0, xmax - xmin);
            double[] w = new double[n];
            double sum = 0;
            for (int k = 0; k < n; k++) {
                w[k] = kernel.weight((k + xmin - centre + 0.5) / filterScale);
                sum += w[k];
            }
            float[] wf = new float[n];
            for (int k = 0; k < n; k++) wf[k] = (float) (sum != 0 ? w[k] / sum : 0);
            start[i] = xmin;
            count[i] = n;
            weights[i] = wf;
        }
        return new Coefficients(start, count, weights);
    }

    /**
     * Resamples a plane stored row by row.
     *
     * @param src       input, {@code srcW * srcH} values
     * @param srcW      input width
     * @param srcH      input height
     * @param dstW      output width
     * @param dstH      output height
     * @return a new array of {@code dstW * dstH} values
     */
    public static float[] resize(float[] src, int srcW, int srcH, int dstW, int dstH, Kernel kernel) {
        if (srcW < 1 || srcH < 1 || dstW < 1 || dstH < 1)
            throw new IllegalArgumentException("Cannot resample " + srcW + "x" + srcH + " to " + dstW + "x" + dstH + ".");
        if (src.length < (long) srcW * srcH) throw new IllegalArgumentException("Plane array is too small.");
        // horizontal pass first, then vertical (Pillow's order)
        float[] tmp;
        if (dstW != srcW) {
            Coefficients c = coefficients(kernel, srcW, dstW);
            tmp = new float[dstW * srcH];
            for (int y = 0; y < srcH; y++) {
                int row = y * srcW;
                int out = y * dstW;
                for (int x = 0; x < dstW; x++) {
                    float[] w = c.weights[x];
                    int s = row + c.start[x];
                    double acc = 0;
                    for (int k = 0; k < w.length; k++) acc += (double) w[k] * src[s + k];
                    tmp[out + x] = toFloat(acc);
                }
            }
        } else {
            tmp = src;
        }
        if (dstH == srcH) return tmp == src ? src.clone() : tmp;
        Coefficients c = coefficients(kernel, srcH, dstH);
        float[] dst = new float[dstW * dstH];
        double[] acc = new double[dstW];
        for (int y = 0; y < dstH; y++) {
            java.util.Arrays.fill(acc, 0);
            float[] w = c.weights[y];
            for (int k = 0; k < w.length; k++) {
                int row = (c.start[y] + k) * dstW;
                float wk = w[k];
                for (int x = 0; x < dstW; x++) acc[x] += (double) wk * tmp[row + x];
            }
            int out = y * dstW;
            for (int x = 0; x < dstW; x++) dst[out + x] = toFloat(acc[x]);
        }
        return dst;
    }

    /**
     * Input rows [from, to) that output rows [outFrom, outTo) of a resize from {@code inSize} to
     * {@code outSize} rows read.
     */
    public static int[] inputRange(Kernel kernel, int inSize, int outSize, int outFrom, int outTo) {
        Coefficients c = coefficients(kernel, inSize, outSize);
        int from = Integer.MAX_VALUE, to = 0;
        for (int i = outFrom; i < outTo; i++) {
            from = Math.min(from, c.start[i]);
            to = Math.max(to, c.start[i] + c.count[i]);
        }
        return new int[]{from, to};
    }

    /**
     * Output rows [outFrom, outTo) of a resize of a {@code srcW x srcH} image to {@code dstW x dstH},
     * given only the input rows [rowsFrom, rowsFrom + rows) (which must cover
     * {@link #inputRange}). Same values as the matching rows of {@link #resize}.
     */
    public static float[] resizeRows(float[] band, int srcW, int rows, int rowsFrom, int srcH, int dstW, int dstH,
                                     int outFrom, int outTo, Kernel kernel) {
        float[] tmp = band;
        if (dstW != srcW) {
            Coefficients c = coefficients(kernel, srcW, dstW);
            tmp = new float[dstW * rows];
            for (int y = 0; y < rows; y++) {
                int row = y * srcW, out = y * dstW;
                for (int x = 0; x < dstW; x++) {
                    float[] w = c.weights[x];
                    int s = row + c.start[x];
                    double acc = 0;
                    for (int k = 0; k < w.length; k++) acc += (double) w[k] * band[s + k];
                    tmp[out + x] = toFloat(acc);
                }
            }
        }
        int n = outTo - outFrom;
        float[] dst = new float[dstW * n];
        if (dstH == srcH) {
            System.arraycopy(tmp, (outFrom - rowsFrom) * dstW, dst, 0, dst.length);
            return dst;
        }
        Coefficients c = coefficients(kernel, srcH, dstH);
        double[] acc = new double[dstW];
        for (int y = outFrom; y < outTo; y++) {
            java.util.Arrays.fill(acc, 0);
            float[] w = c.weights[y];
            for (int k = 0; k < w.length; k++) {
                int row = (c.start[y] + k - rowsFrom) * dstW;
                float wk = w[k];
                for (int x = 0; x < dstW; x++) acc[x] += (double) wk * tmp[row + x];
            }
            int out = (y - outFrom) * dstW;
            for (int x = 0; x < dstW; x++) dst[out + x] = toFloat(acc[x]);
        }
        return dst;
    }

    /**
     * A sum as a float, clipped to the largest finite float: products and sums run in double, so an
     * overshoot of values near 3.4e38 stays finite instead of becoming infinite.
     */
    static float toFloat(double v) {
        return (float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, v));
    }

    /** Upscales by an integer factor. */
    public static float[] upscale(float[] src, int w, int h, int factor, Kernel kernel) {
        return resize(src, w, h, w * factor, h * factor, kernel);
    }

    /** Downscales by an integer factor with an antialiased kernel; the size must divide by the factor. */
    public static float[] downscale(float[] src, int w, int h, int factor, Kernel kernel) {
        if (w % factor != 0 || h % factor != 0)
            throw new IllegalArgumentException("Image size " + w + "x" + h + " is not a multiple of " + factor + ".");
        return resize(src, w, h, w / factor, h / factor, kernel);
    }
}
