package io.github.superresolve.eval;

import java.util.stream.IntStream;

/**
 * The forward 2-D discrete Fourier transform of a plane stored row by row,
 * {@code F(u, v) = sum_{x,y} f(x, y) exp(-2 pi i (u x / w + v y / h))}, unscaled, as the separable
 * product of 1-D {@link Fft}s: every row, then every column. Any width and height (radix-2 for powers
 * of two, Bluestein otherwise), so spectra of whole images need no padding or cropping to a power of
 * two, which would change their frequency grid.
 *
 * <p>Rows and columns are spread over the common fork-join pool in blocks; a column block is copied
 * into contiguous scratch arrays first, which keeps the strided access out of the butterflies.
 */
public final class Fft2d {

    /** Columns transformed together: enough to amortise the strided copy, small enough for cache. */
    private static final int COLUMN_BLOCK = 16;

    private Fft2d() {
    }

    /** Transforms {@code re + i im} ({@code w * h} values each, row-major) in place. */
    public static void forward(double[] re, double[] im, int w, int h) {
        if (w < 1 || h < 1) throw new IllegalArgumentException("A plane of " + w + "x" + h + " pixels has no Fourier transform.");
        if (re.length != (long) w * h || im.length != re.length)
            throw new IllegalArgumentException("The arrays hold " + re.length + " and " + im.length + " values, not " + w + "x" + h + ".");
        Fft rows = new Fft(w);
        boolean parallel = (long) w * h >= 64 * 64;
        IntStream ys = IntStream.range(0, h);
        (parallel ? ys.parallel() : ys).forEach(y -> {
            double[] r = new double[w], i = new double[w];
            System.arraycopy(re, y * w, r, 0, w);
            System.arraycopy(im, y * w, i, 0, w);
            rows.forward(r, i);
            System.arraycopy(r, 0, re, y * w, w);
            System.arraycopy(i, 0, im, y * w, w);
        });
        Fft cols = new Fft(h);
        int blocks = (w + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
        IntStream bs = IntStream.range(0, blocks);
        (parallel ? bs.parallel() : bs).forEach(b -> {
            int u0 = b * COLUMN_BLOCK, nu = Math.min(COLUMN_BLOCK, w - u0);
            double[][] r = new double[nu][h], i = new double[nu][h];
            for (int y = 0; y < h; y++)
                for (int k = 0; k < nu; k++) {
                    r[k][y] = re[y * w + u0 + k];
                    i[k][y] = im[y * w + u0 + k];
                }
            for (int k = 0; k < nu; k++) cols.forward(r[k], i[k]);
            for (int y = 0; y < h; y++)
                for (int k = 0; k < nu; k++) {
                    re[y * w + u0 + k] = r[k][y];
                    im[y * w + u0 + k] = i[k][y];
                }
        });
    }

    /**
     * Moves the zero frequency from index (0, 0) to the centre ({@code w / 2}, {@code h / 2}), as
     * numpy's {@code fftshift}: output (x, y) holds frequency ((x - w/2) mod w, (y - h/2) mod h).
     */
    public static float[] shift(float[] plane, int w, int h) {
        float[] out = new float[w * h];
        int cx = w / 2, cy = h / 2;
        for (int y = 0; y < h; y++) {
            int sy = (y - cy + h) % h;
            for (int x = 0; x < w; x++) out[y * w + x] = plane[sy * w + (x - cx + w) % w];
        }
        return out;
    }
}
