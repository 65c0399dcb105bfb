package io.github.superresolve.eval;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import io.github.superresolve.TestData;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Radial and 2-D spectra: against the former exact DFT, on sinusoids, white noise and a real photo. */
class RadialSpectrumTest {

    /**
     * The former implementation (separable direct DFT, O(w h (w + h))), kept as the reference the fast
     * transform must reproduce.
     */
    static double[] directSpectrum(float[] plane, int w, int h, int bins) {
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
        double[] rowRe = new double[w], rowIm = new double[w];
        for (int y = 0; y < h; y++) {
            for (int u = 0; u < w; u++) {
                double a = 0, b = 0;
                for (int x = 0; x < w; x++) {
                    double ang = 2 * Math.PI * ((long) u * x % w) / w;
                    a += re[y * w + x] * Math.cos(ang);
                    b -= re[y * w + x] * Math.sin(ang);
                }
                rowRe[u] = a;
                rowIm[u] = b;
            }
            System.arraycopy(rowRe, 0, re, y * w, w);
            System.arraycopy(rowIm, 0, im, y * w, w);
        }
        double[] sum = new double[bins];
        long[] count = new long[bins];
        for (int u = 0; u < w; u++) {
            int fu = u <= w / 2 ? u : u - w;
            for (int v = 0; v < h; v++) {
                double a = 0, b = 0;
                for (int y = 0; y < h; y++) {
                    double ang = 2 * Math.PI * ((long) v * y % h) / h;
                    a += re[y * w + u] * Math.cos(ang) + im[y * w + u] * Math.sin(ang);
                    b += im[y * w + u] * Math.cos(ang) - re[y * w + u] * Math.sin(ang);
                }
                int fv = v <= h / 2 ? v : v - h;
                int bin = (int) (Math.hypot(fu / (w / 2.0), fv / (h / 2.0)) * bins);
                if (bin >= bins) continue;
                sum[bin] += a * a + b * b;
                count[bin]++;
            }
        }
        for (int i = 0; i < bins; i++) sum[i] = count[i] == 0 ? 0 : sum[i] / count[i];
        return sum;
    }

    static float[] noise(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) p[i] = r.nextFloat();
        return p;
    }

    @Test
    void fastSpectrumEqualsTheDirectDftOnOddAndEvenSizes() {
        for (int[] size : new int[][]{{45, 37}, {64, 48}, {31, 4}}) {
            int w = size[0], h = size[1];
            float[] p = noise(w, h, w + h);
            for (int i = 0; i < p.length; i++) p[i] = p[i] * 200 + (i % w) * 0.7f; // noise on a ramp
            for (int bins : new int[]{8, 32}) {
                double[] fast = RadialSpectrum.compute(p, w, h, bins), ref = directSpectrum(p, w, h, bins);
                for (int i = 0; i < bins; i++)
                    assertEquals(ref[i], fast[i], 1e-9 * ref[i] + 1e-12, w + "x" + h + " bins " + bins + " bin " + i);
            }
        }
    }

    @Test
    void sinusoidPeaksAtItsFrequencyInTheProfileAndInTheCentredImage() {
        int w = 64, h = 48;
        float[] p = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) p[y * w + x] = (float) Math.cos(2 * Math.PI * 8 * x / w); // 1/8 cycle per pixel
        double[] s = RadialSpectrum.compute(p, w, h, 32);
        assertEquals(8, argmax(s), "1/8 cycle per pixel is a quarter of Nyquist: bin 8 of 32");
        assertTrue(s[8] > 1e3 * s[20], "a pure tone: little power far from it (" + s[8] + " vs " + s[20] + ")");

        float[] img = SpectrumImages.logPower(p, w, h);
        int peak = argmax(img);
        int px = peak % w, py = peak / w;
        assertEquals(h / 2, py, "on the horizontal axis through the centre");
        assertTrue(px == w / 2 + 8 || px == w / 2 - 8, "at +-8 from the centre column, not " + px);
        assertEquals(img[py * w + w / 2 + 8], img[py * w + w / 2 - 8], 1e-4, "a real signal's spectrum is symmetric");
        assertTrue(img[peak] - img[(h / 2) * w + w / 2 + 20] > 3, "the tone stands > 3 decades above frequency 20");

        // a vertical tone of 6 cycles lands on the vertical axis
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) p[y * w + x] = (float) Math.sin(2 * Math.PI * 6 * y / h);
        int vp = argmax(SpectrumImages.logPower(p, w, h));
        assertEquals(w / 2, vp % w);
        assertEquals(6, Math.abs(vp / w - h / 2));
    }

    @Test
    void whiteNoiseHasAFlatProfileAtItsVariance() {
        int n = 256, bins = 32, seeds = 4;
        double[] mean = new double[bins];
        for (int s = 0; s < seeds; s++) {
            double[] sp = RadialSpectrum.perPixel(noise(n, n, 100 + s), n, n, bins);
            for (int i = 0; i < bins; i++) mean[i] += sp[i] / seeds;
        }
        double avg = 0;
        for (double v : mean) avg += v / bins;
        double worst = 0;
        for (int i = 0; i < bins; i++) worst = Math.max(worst, Math.abs(mean[i] / avg - 1));
        assertTrue(worst < 0.2, "every bin within 20% of the mean; worst " + worst);
        // per pixel per unit window energy: the variance of uniform [0, 1) noise, 1/12
        assertEquals(1.0 / 12, avg, 0.05 / 12, "white noise reads its variance");
        // and for another size too (the reason for the normalisation)
        double[] small = RadialSpectrum.perPixel(noise(90, 70, 7), 90, 70, 8);
        double avgSmall = 0;
        for (double v : small) avgSmall += v / small.length;
        assertEquals(1.0 / 12, avgSmall, 0.1 / 12);
    }

    @Test
    void ringAverageOfTheLogPowerImageIsThePerPixelProfile() {
        int w = 40, h = 30, bins = 10;
        float[] p = noise(w, h, 9);
        float[] img = SpectrumImages.logPower(p, w, h);
        double[] sum = new double[bins];
        int[] count = new int[bins];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int bin = (int) (Math.hypot((x - w / 2) / (w / 2.0), (y - h / 2) / (h / 2.0)) * bins);
                if (bin >= bins) continue;
                sum[bin] += Math.pow(10, img[y * w + x]);
                count[bin]++;
            }
        double[] ref = RadialSpectrum.perPixel(p, w, h, bins);
        for (int i = 0; i < bins; i++) assertEquals(ref[i], sum[i] / count[i], 1e-5 * ref[i], "bin " + i);
    }

    @Test
    void discriminatorViewIsLogOnePlusTheUnwindowedMagnitude() {
        int n = 12;
        float[] p = noise(n, n, 11);
        float[] view = SpectrumImages.discriminatorView(p, n);
        double[] re = new double[n * n], im = new double[n * n];
        for (int i = 0; i < p.length; i++) re[i] = p[i];
        Fft2d.forward(re, im, n, n);
        for (int v = 0; v < n; v++)
            for (int u = 0; u < n; u++) {
                double expected = Math.log1p(Math.hypot(re[v * n + u], im[v * n + u]));
                int x = (u + n / 2) % n, y = (v + n / 2) % n;
                assertEquals(expected, view[y * n + x], 1e-5, "u" + u + " v" + v);
            }
        double sum = 0;
        for (float v : p) sum += v;
        assertEquals(Math.log1p(sum), view[(n / 2) * n + n / 2], 1e-5, "the centre is log(1 + sum): no mean removal");
    }

    /**
     * A real photo against its bicubic x4 down-then-up version: the interpolated image has lost most of
     * the upper half of the frequencies (the measured ratios are printed, and quoted in docs/spectrum.md).
     */
    @Test
    void bicubicX4OfARealPhotoHasLittleHighFrequencyPower() {
        for (String photo : new String[]{"reference/astronaut-crop.png", "samples/coffee.png"}) {
            ImagePlus imp = TestData.open(photo);
            SpectrumInput.Plane truth = SpectrumInput.luminance(imp, 1024, photo);
            int w = truth.width() / 4 * 4, h = truth.height() / 4 * 4;
            float[] crop = new float[w * h];
            for (int y = 0; y < h; y++) System.arraycopy(truth.values(), y * truth.width(), crop, y * w, w);
            float[] up = Resampler.upscale(Resampler.downscale(crop, w, h, 4, Kernel.BICUBIC), w / 4, h / 4, 4, Kernel.BICUBIC);
            double[] st = RadialSpectrum.compute(crop, w, h, 32), su = RadialSpectrum.compute(up, w, h, 32);
            double ratio = RadialSpectrum.highFrequencyRatio(su, st);
            System.out.printf(Locale.ROOT, "%s (%dx%d): bicubic x4 keeps %.4f of the upper-half power%n", photo, w, h, ratio);
            assertTrue(ratio < 0.01, photo + ": bicubic x4 keeps " + ratio + " of the upper-half power");
            assertTrue(ratio > 0, photo + ": not all of it");
            double low = su[2] / st[2];
            assertTrue(low > 0.5 && low < 1.5, photo + ": coarse structure is kept (bin 2 ratio " + low + ")");
        }
    }

    @Test
    void tooSmallPlanesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RadialSpectrum.compute(new float[9], 3, 3, 4));
        assertTrue(e.getMessage().contains("at least 4x4"), e.getMessage());
        ImagePlus tiny = new ImagePlus("dot.png", new ColorProcessor(3, 8));
        e = assertThrows(IllegalArgumentException.class, () -> SpectrumInput.luminance(tiny, 512, "Image 'dot.png'"));
        assertEquals("Image 'dot.png' is 3x8 pixels: a spectrum needs at least 4x4 pixels.", e.getMessage());
    }

    @Test
    void rgbUsesLuminanceAndNanIsRefused() {
        ColorProcessor cp = new ColorProcessor(8, 8);
        cp.set(0, (10 << 16) | (20 << 8) | 30);
        SpectrumInput.Plane p = SpectrumInput.luminance(new ImagePlus("c", cp), 512, "Image 'c'");
        assertEquals(0.299 * 10 + 0.587 * 20 + 0.114 * 30, p.values()[0], 1e-4);
        float[] f = new float[64];
        f[10] = Float.NaN;
        f[11] = Float.POSITIVE_INFINITY;
        ImagePlus nan = new ImagePlus("nan.tif", new ij.process.FloatProcessor(8, 8, f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpectrumInput.luminance(nan, 512, "Image 'nan.tif'"));
        assertTrue(e.getMessage().startsWith("Image 'nan.tif' has 2 NaN or infinite pixels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SpectrumInput.discriminatorPatch(nan, 4, "Image 'nan.tif'"));
        assertTrue(e.getMessage().startsWith("Image 'nan.tif' has 2 NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SpectrumInput.discriminatorPatch(new ImagePlus("s", cp), 96, "Image 's'"));
        assertTrue(e.getMessage().startsWith("Image 's' is 8x8 pixels: the fftGAN discriminator sees a 96x96 patch"), e.getMessage());
    }

    static int argmax(double[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }

    static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }
}
