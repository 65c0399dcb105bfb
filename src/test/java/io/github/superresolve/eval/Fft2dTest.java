package io.github.superresolve.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast transforms against direct sums, on power-of-two and other (Bluestein) lengths. */
class Fft2dTest {

    /** Direct 1-D DFT in double: F(k) = sum x(j) exp(-2 pi i j k / n). */
    static double[][] directDft(double[] re, double[] im) {
        int n = re.length;
        double[] r = new double[n], i = new double[n];
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++) {
                double a = -2 * Math.PI * ((long) j * k % n) / n;
                r[k] += re[j] * Math.cos(a) - im[j] * Math.sin(a);
                i[k] += re[j] * Math.sin(a) + im[j] * Math.cos(a);
            }
        return new double[][]{r, i};
    }

    @Test
    void everyLengthFromOneToAHundredMatchesTheDirectSum() {
        Random rnd = new Random(3);
        for (int n = 1; n <= 100; n++) {
            double[] re = new double[n], im = new double[n];
            for (int j = 0; j < n; j++) {
                re[j] = rnd.nextGaussian();
                im[j] = rnd.nextGaussian();
            }
            double[][] ref = directDft(re, im);
            double[] r = re.clone(), i = im.clone();
            new Fft(n).forward(r, i);
            double scale = 0;
            for (int k = 0; k < n; k++) scale = Math.max(scale, Math.hypot(ref[0][k], ref[1][k]));
            for (int k = 0; k < n; k++) {
                assertEquals(ref[0][k], r[k], 1e-11 * scale, "n=" + n + " k=" + k + " (re)");
                assertEquals(ref[1][k], i[k], 1e-11 * scale, "n=" + n + " k=" + k + " (im)");
            }
        }
    }

    @Test
    void largePrimeAndPowerOfTwoLengths() {
        Random rnd = new Random(5);
        for (int n : new int[]{1021, 1024, 1000}) {
            double[] re = new double[n], im = new double[n];
            for (int j = 0; j < n; j++) re[j] = rnd.nextDouble();
            double[][] ref = directDft(re, im);
            new Fft(n).forward(re, im);
            double worst = 0;
            for (int k = 0; k < n; k++) worst = Math.max(worst, Math.hypot(ref[0][k] - re[k], ref[1][k] - im[k]));
            assertTrue(worst < 1e-9 * n, "n=" + n + ": largest error " + worst);
        }
    }

    @Test
    void twoDimensionalTransformOfOddSizesMatchesTheDirectDoubleSum() {
        for (int[] size : new int[][]{{45, 37}, {16, 8}, {7, 64}, {1, 5}, {80, 80}}) {
            int w = size[0], h = size[1];
            Random rnd = new Random(w * 100 + h);
            double[] re = new double[w * h], im = new double[w * h];
            for (int p = 0; p < re.length; p++) {
                re[p] = rnd.nextDouble() * 255;
                im[p] = rnd.nextDouble() - 0.5;
            }
            double[] r = re.clone(), i = im.clone();
            Fft2d.forward(r, i, w, h);
            double worst = 0, peak = 0;
            for (int v = 0; v < h; v++)
                for (int u = 0; u < w; u++) {
                    double a = 0, b = 0;
                    for (int y = 0; y < h; y++)
                        for (int x = 0; x < w; x++) {
                            double ang = -2 * Math.PI * (((long) u * x % w) / (double) w + ((long) v * y % h) / (double) h);
                            double c = Math.cos(ang), s = Math.sin(ang);
                            a += re[y * w + x] * c - im[y * w + x] * s;
                            b += re[y * w + x] * s + im[y * w + x] * c;
                        }
                    worst = Math.max(worst, Math.hypot(a - r[v * w + u], b - i[v * w + u]));
                    peak = Math.max(peak, Math.hypot(a, b));
                }
            assertTrue(worst < 1e-12 * peak * Math.max(w, h), w + "x" + h + ": largest error " + worst + " of a peak of " + peak);
        }
    }

    @Test
    void shiftPutsZeroFrequencyInTheMiddle() {
        for (int[] size : new int[][]{{6, 4}, {5, 7}}) {
            int w = size[0], h = size[1];
            float[] p = new float[w * h];
            for (int i = 0; i < p.length; i++) p[i] = i;
            float[] s = Fft2d.shift(p, w, h);
            assertEquals(0f, s[(h / 2) * w + w / 2], w + "x" + h + ": (0, 0) at the centre");
            // frequency (1, 0) one to the right, frequency (-1, -1) = (w-1, h-1) one up-left
            assertEquals(1f, s[(h / 2) * w + w / 2 + 1]);
            assertEquals((h - 1) * w + (w - 1), s[(h / 2 - 1) * w + w / 2 - 1]);
            float sum = 0, ref = 0;
            for (int i = 0; i < p.length; i++) {
                sum += s[i];
                ref += p[i];
            }
            assertEquals(ref, sum, "a permutation");
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Fft(0));
        assertThrows(IllegalArgumentException.class, () -> Fft2d.forward(new double[6], new double[6], 4, 2));
        assertThrows(IllegalArgumentException.class, () -> new Fft(8).forward(new double[4], new double[8]));
    }
}
