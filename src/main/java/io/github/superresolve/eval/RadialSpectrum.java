package io.github.superresolve.eval;

/**
 * Radially averaged power spectrum of a plane: a Hann window (against edge leakage), the 2-D discrete
 * Fourier transform (separable, exact, O(w*h*(w+h))), |F|^2, averaged over rings of equal spatial
 * frequency. Bin {@code i} of {@code n} covers radii [i/n, (i+1)/n) of the Nyquist frequency; the
 * corners beyond Nyquist are left out. Used to see how much high-frequency detail a method restores
 * (the study's argument for adversarial losses).
 */
public final class RadialSpectrum {

    private RadialSpectrum() {
    }

    /** Mean power per radial bin (not log-scaled). */
    public static double[] compute(float[] plane, int w, int h, int bins) {
        if (plane.length != w * h) throw new IllegalArgumentException("Plane has " + plane.length + " values, not " + w + "x" + h + ".");
        if (w < 4 || h < 4) throw new IllegalArgumentException("A spectrum needs at least 4x4 pixels, not " + w + "x" + h + ".");
        double mean = 0;
        for (float v : plane) mean += v;
        mean /= plane.length;
        double[] re = new double[w * h], im = new double[w * h];
        for (int y = 0; y < h; y++) {
            double wy = 0.5 - 0.5 * Math.cos(2 * Math.PI * y / (h - 1));
            for (int x = 0; x < w; x++) {
                double wx = 0.5 - 0.5 * Math.cos(2 * Math.PI * x / (w - 1));
                re[y * w + x] = (plane[y * w + x] - mean) * wx * wy;
            }
        }
        // rows
        double[] cw = new double[w], sw = new double[w];
        for (int k = 0; k < w; k++) {
            cw[k] = Math.cos(2 * Math.PI * k / w);
            sw[k] = Math.sin(2 * Math.PI * k / w);
        }
        double[] rowRe = new double[w], rowIm = new double[w];
        for (int y = 0; y < h; y++) {
            for (int u = 0; u < w; u++) {
                double a = 0, b = 0;
                for (int x = 0; x < w; x++) {
                    int k = (int) ((long) u * x % w);
                    double v = re[y * w + x];
                    a += v * cw[k];
                    b -= v * sw[k];
                }
                rowRe[u] = a;
                rowIm[u] = b;
            }
            System.arraycopy(rowRe, 0, re, y * w, w);
            System.arraycopy(rowIm, 0, im, y * w, w);
        }
        // columns
        double[] ch = new double[h], sh = new double[h];
        for (int k = 0; k < h; k++) {
            ch[k] = Math.cos(2 * Math.PI * k / h);
            sh[k] = Math.sin(2 * Math.PI * k / h);
        }
        double[] sum = new double[bins];
        long[] count = new long[bins];
        double[] colRe = new double[h], colIm = new double[h];
        for (int u = 0; u < w; u++) {
            for (int y = 0; y < h; y++) {
                colRe[y] = re[y * w + u];
                colIm[y] = im[y * w + u];
            }
            int fu = u <= w / 2 ? u : u - w;
            for (int v = 0; v < h; v++) {
                double a = 0, b = 0;
                for (int y = 0; y < h; y++) {
                    int k = (int) ((long) v * y % h);
                    // (colRe + i colIm) * (cos - i sin)
                    a += colRe[y] * ch[k] + colIm[y] * sh[k];
                    b += colIm[y] * ch[k] - colRe[y] * sh[k];
                }
                int fv = v <= h / 2 ? v : v - h;
                double r = Math.hypot(fu / (w / 2.0), fv / (h / 2.0));
                int bin = (int) (r * bins);
                if (bin >= bins) continue;
                sum[bin] += a * a + b * b;
                count[bin]++;
            }
        }
        for (int i = 0; i < bins; i++) sum[i] = count[i] == 0 ? 0 : sum[i] / count[i];
        return sum;
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
}
