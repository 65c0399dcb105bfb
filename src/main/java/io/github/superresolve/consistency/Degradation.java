package io.github.superresolve.consistency;

import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;

import java.util.Locale;

/**
 * How a super-resolved output is taken back to its input's resolution before it is compared with the
 * input: the model of what the camera (or the training pipeline) did to the scene. Three kinds:
 * <ul>
 *   <li>{@link Kind#BICUBIC} (text {@code bicubic}, the default): the antialiased bicubic resize with
 *   {@link Resampler} and {@link Kernel#BICUBIC}, exactly what made the training inputs of every
 *   Super-Resolve model ({@code Resampler.downscale(plane, w, h, r, Kernel.BICUBIC)}); the model's own
 *   degradation, so an output the model could have been trained on is consistent by construction.</li>
 *   <li>{@link Kind#BOX} (text {@code box}): the area mean, every input pixel the mean of the r x r output
 *   pixels it became, as a camera pixel integrates the light falling on it.</li>
 *   <li>{@link Kind#GAUSSIAN} (text {@code gaussian:SIGMA}): a Gaussian blur of standard deviation SIGMA
 *   output pixels (a microscope's point spread function, as NanoJ-SQUIRREL's resolution-scaling
 *   function), then the area mean as for {@code box}: the blur models the optics, the area mean the
 *   camera pixel. The blur reflects the image at its border ({@code d c b a | a b c d}, as scipy's
 *   {@code reflect} and the SSIM of {@code metrics}) and its kernel reaches 4 SIGMA.</li>
 * </ul>
 * All three are linear and keep constants (their weights sum to 1), so a gain and offset applied to an
 * output go straight through them: the consistency scores do not depend on the output's intensity scale.
 *
 * <p>{@link #apply} takes an output of any size onto an input of any size; when the output's size is a
 * multiple r of the input's (the usual case) the bicubic kind is {@code Resampler.downscale} itself, and
 * the area mean averages whole r x r blocks; otherwise the bicubic kind resizes to the input's exact size
 * with {@code Resampler.resize} and the area mean weighs each output pixel by the fraction of it that
 * falls inside the input pixel. NaN and infinite pixels spread to every degraded pixel whose kernel
 * reaches them; {@link ConsistencyAnalysis} fills them first.
 *
 * @param kind  the kind of degradation
 * @param sigma the Gaussian's standard deviation in output pixels (&gt; 0) for {@link Kind#GAUSSIAN}, 0 otherwise
 */
public record Degradation(Kind kind, double sigma) {

    /** The kinds of degradation. */
    public enum Kind {
        /** Antialiased bicubic resize, the models' own degradation. */
        BICUBIC,
        /** Area mean over the r x r output pixels of each input pixel. */
        BOX,
        /** Gaussian blur of a given sigma (in output pixels), then area mean. */
        GAUSSIAN
    }

    /** The sentence of a degradation that is not known. */
    static final String KNOWN = "use bicubic, box or gaussian:SIGMA (SIGMA in output pixels, > 0).";

    /** Checks the sigma against the kind. */
    public Degradation {
        if (kind == null) throw new IllegalArgumentException("A degradation needs a kind: " + KNOWN);
        if (kind == Kind.GAUSSIAN) {
            if (!(sigma > 0) || Double.isInfinite(sigma))
                throw new IllegalArgumentException("The Gaussian degradation's sigma must be a number > 0 (in output pixels), not "
                        + sigma + ".");
        } else if (sigma != 0) {
            throw new IllegalArgumentException("The " + kind.name().toLowerCase(Locale.ROOT) + " degradation has no sigma; only gaussian:SIGMA has one.");
        }
    }

    /** The models' own degradation: antialiased bicubic. */
    public static Degradation bicubic() {
        return new Degradation(Kind.BICUBIC, 0);
    }

    /** Area mean. */
    public static Degradation box() {
        return new Degradation(Kind.BOX, 0);
    }

    /** Gaussian blur of {@code sigma} output pixels, then area mean. */
    public static Degradation gaussian(double sigma) {
        return new Degradation(Kind.GAUSSIAN, sigma);
    }

    /**
     * Reads a degradation as a user types it on the command line or in a macro: {@code bicubic},
     * {@code box} or {@code gaussian:SIGMA} (also {@code gaussian=SIGMA}), in any case, with spaces
     * around the parts allowed. {@code null} or blank text means the default, {@code bicubic}.
     *
     * @throws IllegalArgumentException with a sentence saying what is accepted
     */
    public static Degradation parse(String text) {
        if (text == null || text.isBlank()) return bicubic();
        String t = text.trim().toLowerCase(Locale.ROOT);
        String shown = text.trim();
        switch (t) {
            case "bicubic":
                return bicubic();
            case "box":
                return box();
            case "gaussian":
                throw new IllegalArgumentException("Degradation '" + shown
                        + "' needs a sigma: write gaussian:SIGMA, e.g. gaussian:1.5 (SIGMA in output pixels, > 0).");
            default:
                break;
        }
        int sep = Math.max(t.indexOf(':'), t.indexOf('='));
        if (sep > 0 && t.substring(0, sep).trim().equals("gaussian")) {
            String s = shown.substring(sep + 1).trim();
            double sigma;
            try {
                sigma = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                sigma = Double.NaN;
            }
            if (!(sigma > 0) || Double.isInfinite(sigma) || s.isEmpty() || !s.matches("[0-9.eE+-]+"))
                throw new IllegalArgumentException("Degradation '" + shown + "': SIGMA must be a number > 0 (in output pixels), not '"
                        + s + "'.");
            return gaussian(sigma);
        }
        throw new IllegalArgumentException("Degradation '" + shown + "' is not known: " + KNOWN);
    }

    /** The text {@link #parse} reads back: {@code bicubic}, {@code box} or {@code gaussian:SIGMA}. */
    @Override
    public String toString() {
        return switch (kind) {
            case BICUBIC -> "bicubic";
            case BOX -> "box";
            case GAUSSIAN -> "gaussian:" + (sigma == Math.rint(sigma) && Math.abs(sigma) < 1e15
                    ? String.valueOf((long) sigma) : String.valueOf(sigma));
        };
    }

    /** A short description for reports and logs, e.g. "Gaussian blur (sigma 1.5 output pixels), then area mean". */
    public String description() {
        return switch (kind) {
            case BICUBIC -> "antialiased bicubic (the models' own degradation)";
            case BOX -> "area mean";
            case GAUSSIAN -> "Gaussian blur (sigma " + toString().substring("gaussian:".length()) + " output pixels), then area mean";
        };
    }

    /**
     * Degrades an output plane onto an input's size.
     *
     * @param output  {@code outW * outH} values, row by row (not modified)
     * @param outW    output width
     * @param outH    output height
     * @param inW     input width (at most {@code outW})
     * @param inH     input height (at most {@code outH})
     * @return a new {@code inW * inH} plane
     */
    public float[] apply(float[] output, int outW, int outH, int inW, int inH) {
        if (output == null) throw new IllegalArgumentException("No output plane was given.");
        if (outW < 1 || outH < 1 || inW < 1 || inH < 1)
            throw new IllegalArgumentException("Cannot degrade " + outW + "x" + outH + " pixels onto " + inW + "x" + inH + ".");
        if (output.length != (long) outW * outH)
            throw new IllegalArgumentException("The output plane has " + output.length + " values, not " + outW + "x" + outH + ".");
        if (inW > outW || inH > outH)
            throw new IllegalArgumentException("Cannot degrade a " + outW + "x" + outH + " output onto a larger input of "
                    + inW + "x" + inH + ": the output of a super-resolution is at least as large as its input.");
        return switch (kind) {
            case BICUBIC -> outW % inW == 0 && outH % inH == 0 && outW / inW == outH / inH
                    ? Resampler.downscale(output, outW, outH, outW / inW, Kernel.BICUBIC)
                    : Resampler.resize(output, outW, outH, inW, inH, Kernel.BICUBIC);
            case BOX -> blurAndAverage(output, outW, outH, inW, inH, null);
            case GAUSSIAN -> blurAndAverage(output, outW, outH, inW, inH, gaussianKernel(sigma));
        };
    }

    /** The normalised Gaussian kernel of a sigma, reaching 4 sigma (at least one pixel) each side. */
    static double[] gaussianKernel(double sigma) {
        int radius = Math.max(1, (int) Math.ceil(4 * sigma));
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) sum += k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        return k;
    }

    /**
     * Blur (when {@code kernel} is not null; reflected borders) then area mean of a {@code w x h} plane onto
     * {@code outW x outH}, axis by axis in double: rows first (each row blurred and averaged straight
     * into a {@code outW x h} intermediate), then columns. Both operations are separable and linear, so
     * this is the 2-D blur followed by the 2-D area mean, with working memory of about
     * {@code outW * h} doubles rather than several copies of the large plane.
     */
    static float[] blurAndAverage(float[] src, int w, int h, int outW, int outH, double[] kernel) {
        double[][] wx = areaWeights(w, outW), wy = areaWeights(h, outH);
        int[] sx = areaStarts(w, outW), sy = areaStarts(h, outH);
        double[] tmp = new double[outW * h];
        double[] line = new double[w], blurred = new double[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) line[x] = src[y * w + x];
            double[] l = kernel == null ? line : blur(line, w, kernel, blurred);
            for (int x = 0; x < outW; x++) {
                double acc = 0;
                double[] k = wx[x];
                for (int i = 0; i < k.length; i++) acc += k[i] * l[sx[x] + i];
                tmp[y * outW + x] = acc;
            }
        }
        float[] dst = new float[outW * outH];
        double[] col = new double[h], colBlurred = new double[h];
        for (int x = 0; x < outW; x++) {
            for (int y = 0; y < h; y++) col[y] = tmp[y * outW + x];
            double[] c = kernel == null ? col : blur(col, h, kernel, colBlurred);
            for (int y = 0; y < outH; y++) {
                double acc = 0;
                double[] k = wy[y];
                for (int i = 0; i < k.length; i++) acc += k[i] * c[sy[y] + i];
                dst[y * outW + x] = (float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, acc));
            }
        }
        return dst;
    }

    /** One line of n values convolved with a centred kernel, reflected at both ends, into {@code dst}. */
    private static double[] blur(double[] src, int n, double[] kernel, double[] dst) {
        int radius = kernel.length / 2;
        for (int x = 0; x < n; x++) {
            double acc = 0;
            if (x >= radius && x + radius < n)
                for (int i = -radius; i <= radius; i++) acc += kernel[i + radius] * src[x + i];
            else
                for (int i = -radius; i <= radius; i++) acc += kernel[i + radius] * src[reflect(x + i, n)];
            dst[x] = acc;
        }
        return dst;
    }

    /** Index i reflected into [0, n) as d c b a | a b c d | d c b a, repeatedly for kernels wider than the image. */
    static int reflect(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    /** First source pixel of each output pixel of an area mean from n to m pixels. */
    private static int[] areaStarts(int n, int m) {
        int[] s = new int[m];
        for (int i = 0; i < m; i++) s[i] = (int) Math.floor((double) i * n / m);
        return s;
    }

    /** Weights of the source pixels from {@link #areaStarts} on: overlap lengths, summing to 1. */
    private static double[][] areaWeights(int n, int m) {
        double[][] out = new double[m][];
        if (n % m == 0) { // whole blocks: exact weights 1/r
            int r = n / m;
            double[] k = new double[r];
            java.util.Arrays.fill(k, 1.0 / r);
            for (int i = 0; i < m; i++) out[i] = k;
            return out;
        }
        double scale = (double) n / m;
        for (int i = 0; i < m; i++) {
            double lo = i * scale, hi = (i + 1) * scale;
            int first = (int) Math.floor(lo), last = Math.min(n - 1, (int) Math.ceil(hi) - 1);
            double[] k = new double[last - first + 1];
            double sum = 0;
            for (int j = first; j <= last; j++) sum += k[j - first] = Math.max(0, Math.min(hi, j + 1) - Math.max(lo, j));
            for (int j = 0; j < k.length; j++) k[j] /= sum;
            out[i] = k;
        }
        return out;
    }
}
