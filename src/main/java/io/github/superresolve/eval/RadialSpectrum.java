package io.github.superresolve.eval;

/**
 * Radially averaged power spectrum of a plane: the mean is removed, a Hann window applied (against
 * the leakage of the image's edges into every frequency), the 2-D discrete Fourier transform taken
 * ({@link Fft2d}: O(w h log(w h)) for any size, equal to the direct sum up to rounding), and |F|^2
 * averaged over rings of equal spatial frequency. Bin {@code i} of {@code n} covers radii
 * [i/n, (i+1)/n) of the Nyquist frequency, measured per axis (so the rings of a non-square plane are
 * ellipses in frequency index); the corners beyond Nyquist are left out. Used to see how much
 * high-frequency detail a method restores (the study's argument for adversarial losses).
 */
public final class RadialSpectrum {

    private RadialSpectrum() {
    }

    /** The Fourier transform of the windowed plane: {@code re} and {@code im}, row-major, unshifted. */
    record Transform(double[] re, double[] im, int w, int h) {
        double power(int i) {
            return re[i] * re[i] + im[i] * im[i];
        }
    }

    /** Mean power per radial bin (not log-scaled). */
    public static double[] compute(float[] plane, int w, int h, int bins) {
        if (bins < 1) throw new IllegalArgumentException("A radial spectrum needs at least one bin, not " + bins + ".");
        Transform t = windowedTransform(plane, w, h);
        double[] sum = new double[bins];
        long[] count = new long[bins];
        for (int v = 0; v < h; v++) {
            int fv = v <= h / 2 ? v : v - h;
            for (int u = 0; u < w; u++) {
                int fu = u <= w / 2 ? u : u - w;
                double r = Math.hypot(fu / (w / 2.0), fv / (h / 2.0));
                int bin = (int) (r * bins);
                if (bin >= bins) continue;
                sum[bin] += t.power(v * w + u);
                count[bin]++;
            }
        }
        for (int i = 0; i < bins; i++) sum[i] = count[i] == 0 ? 0 : sum[i] / count[i];
        return sum;
    }

    /**
     * Mean power per radial bin per unit of window energy: {@link #compute} divided by the sum of the
     * squared window weights. White noise of variance s^2 then reads s^2 at every radius whatever the
     * plane's size, so spectra of images of different sizes can share one plot. Empty bins (tiny
     * planes, many bins) are 0.
     */
    public static double[] perPixel(float[] plane, int w, int h, int bins) {
        double[] p = compute(plane, w, h, bins);
        double e = windowEnergy(w, h);
        for (int i = 0; i < p.length; i++) p[i] /= e;
        return p;
    }

    /** Sum of the squared Hann window weights of a w x h plane. */
    public static double windowEnergy(int w, int h) {
        double sx = 0, sy = 0;
        for (int x = 0; x < w; x++) sx += sq(hann(x, w));
        for (int y = 0; y < h; y++) sy += sq(hann(y, h));
        return sx * sy;
    }

    /** Bin centres as fractions of the Nyquist frequency: (i + 0.5) / bins. */
    public static double[] binCentres(int bins) {
        double[] r = new double[bins];
        for (int i = 0; i < bins; i++) r[i] = (i + 0.5) / bins;
        return r;
    }

    /** Power in the upper half of the frequency range (radius above Nyquist/2) relative to a reference spectrum's. */
    public static double highFrequencyRatio(double[] spectrum, double[] reference) {
        double a = 0, b = 0;
        for (int i = spectrum.length / 2; i < spectrum.length; i++) {
            a += spectrum[i];
            b += reference[i];
        }
        return b == 0 ? Double.NaN : a / b;
    }

    /** The transform of the plane with its mean removed and the Hann window applied. */
    static Transform windowedTransform(float[] plane, int w, int h) {
        check(plane, w, h);
        double mean = 0;
        for (float v : plane) mean += v;
        mean /= plane.length;
        double[] wx = new double[w];
        for (int x = 0; x < w; x++) wx[x] = hann(x, w);
        double[] re = new double[w * h], im = new double[w * h];
        for (int y = 0; y < h; y++) {
            double wy = hann(y, h);
            for (int x = 0; x < w; x++) re[y * w + x] = (plane[y * w + x] - mean) * wx[x] * wy;
        }
        Fft2d.forward(re, im, w, h);
        return new Transform(re, im, w, h);
    }

    static void check(float[] plane, int w, int h) {
        if (plane.length != (long) w * h) throw new IllegalArgumentException("Plane has " + plane.length + " values, not " + w + "x" + h + ".");
        if (w < 4 || h < 4) throw new IllegalArgumentException("A spectrum needs at least 4x4 pixels, not " + w + "x" + h + ".");
    }

    /** The symmetric Hann window: 0 at both ends, 1 in the middle. */
    private static double hann(int i, int n) {
        return 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
    }

    private static double sq(double v) {
        return v * v;
    }
}
