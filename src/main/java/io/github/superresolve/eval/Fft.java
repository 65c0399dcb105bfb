package io.github.superresolve.eval;

/**
 * The forward discrete Fourier transform of one length, {@code F(k) = sum_j x(j) exp(-2 pi i j k / n)}
 * (no scaling), in O(n log n) for every n:
 * <ul>
 * <li>powers of two: the iterative radix-2 Cooley-Tukey transform (bit-reversal permutation, then
 * butterflies), with twiddle factors taken from a table computed by {@code Math.cos/sin} directly,
 * not by recurrence, so the rounding error stays at a few ulps times log2(n);</li>
 * <li>any other length: Bluestein's chirp-z algorithm, which writes the DFT as a circular convolution
 * with the chirp {@code exp(-i pi j^2 / n)} and evaluates it with radix-2 transforms of the next power
 * of two at least {@code 2n - 1}. The chirp's phase uses {@code j^2 mod 2n} in integers, so it is exact
 * even for large j. This costs three power-of-two transforms, about 6-12 times a radix-2 transform
 * of length n, still far below the O(n^2) of a direct sum.</li>
 * </ul>
 * A plan holds only read-only tables, so one instance can serve several threads; each call allocates
 * its own scratch arrays (Bluestein only).
 */
public final class Fft {

    private final int n;
    /** The power-of-two length the butterflies run on: n itself, or Bluestein's convolution length. */
    private final int m;
    private final double[] cos, sin; // exp(-2 pi i k / m) = cos - i sin, k < m/2
    private final int[] bitReversed;
    // Bluestein tables (null for powers of two)
    private final double[] chirpRe, chirpIm; // exp(-i pi j^2 / n), j < n
    private final double[] kernelRe, kernelIm; // transform of the circular conj(chirp), length m

    /** A plan for transforms of length {@code n >= 1}. */
    public Fft(int n) {
        if (n < 1) throw new IllegalArgumentException("A Fourier transform needs a length of at least 1, not " + n + ".");
        this.n = n;
        boolean pow2 = Integer.bitCount(n) == 1;
        if (!pow2 && n > (1 << 29)) throw new IllegalArgumentException("Length " + n + " is too large for a Fourier transform.");
        m = pow2 ? n : Integer.highestOneBit(2 * n - 1) << 1;
        cos = new double[m / 2];
        sin = new double[m / 2];
        for (int k = 0; k < m / 2; k++) {
            double a = 2 * Math.PI * k / m;
            cos[k] = Math.cos(a);
            sin[k] = Math.sin(a);
        }
        bitReversed = new int[m];
        int bits = Integer.numberOfTrailingZeros(m);
        for (int i = 0; i < m; i++) bitReversed[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        if (pow2) {
            chirpRe = chirpIm = kernelRe = kernelIm = null;
            return;
        }
        chirpRe = new double[n];
        chirpIm = new double[n];
        long twoN = 2L * n;
        for (int j = 0; j < n; j++) {
            double a = Math.PI * (((long) j * j) % twoN) / n;
            chirpRe[j] = Math.cos(a);
            chirpIm[j] = -Math.sin(a);
        }
        // b(j) = conj(chirp(j)) at j and at m - j: the convolution is circular over m >= 2n - 1
        kernelRe = new double[m];
        kernelIm = new double[m];
        kernelRe[0] = chirpRe[0];
        kernelIm[0] = -chirpIm[0];
        for (int j = 1; j < n; j++) {
            kernelRe[j] = kernelRe[m - j] = chirpRe[j];
            kernelIm[j] = kernelIm[m - j] = -chirpIm[j];
        }
        radix2(kernelRe, kernelIm);
    }

    /** The transform length. */
    public int length() {
        return n;
    }

    /** Transforms {@code re + i im} (each at least {@code length()} long; the first n values) in place. */
    public void forward(double[] re, double[] im) {
        if (re.length < n || im.length < n) throw new IllegalArgumentException("The arrays are shorter than the transform length " + n + ".");
        if (chirpRe == null) {
            radix2(re, im);
            return;
        }
        double[] ar = new double[m], ai = new double[m];
        for (int j = 0; j < n; j++) { // a(j) = x(j) chirp(j)
            ar[j] = re[j] * chirpRe[j] - im[j] * chirpIm[j];
            ai[j] = re[j] * chirpIm[j] + im[j] * chirpRe[j];
        }
        radix2(ar, ai);
        for (int k = 0; k < m; k++) { // times the kernel's transform, conjugated for the inverse below
            double r = ar[k] * kernelRe[k] - ai[k] * kernelIm[k];
            double i = ar[k] * kernelIm[k] + ai[k] * kernelRe[k];
            ar[k] = r;
            ai[k] = -i;
        }
        radix2(ar, ai); // inverse transform = conj(forward(conj(.))) / m
        double s = 1.0 / m;
        for (int k = 0; k < n; k++) { // F(k) = chirp(k) conv(k)
            double r = ar[k] * s, i = -ai[k] * s;
            re[k] = r * chirpRe[k] - i * chirpIm[k];
            im[k] = r * chirpIm[k] + i * chirpRe[k];
        }
    }

    /** In-place radix-2 transform of length m (decimation in time). */
    private void radix2(double[] re, double[] im) {
        for (int i = 0; i < m; i++) {
            int j = bitReversed[i];
            if (j > i) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= m; len <<= 1) {
            int half = len >> 1, step = m / len;
            for (int start = 0; start < m; start += len) {
                for (int j = 0, t = 0; j < half; j++, t += step) {
                    int p = start + j, q = p + half;
                    double wr = cos[t], wi = -sin[t];
                    double xr = re[q] * wr - im[q] * wi;
                    double xi = re[q] * wi + im[q] * wr;
                    re[q] = re[p] - xr;
                    im[q] = im[p] - xi;
                    re[p] += xr;
                    im[p] += xi;
                }
            }
        }
    }
}
