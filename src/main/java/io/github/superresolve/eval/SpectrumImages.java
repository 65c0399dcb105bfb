package io.github.superresolve.eval;

import io.github.superresolve.image.Percentiles;
import net.imglib2.img.array.ArrayImgs;

import java.util.List;

/**
 * Centred 2-D spectra for display: zero frequency in the middle ({@link Fft2d#shift}), frequencies
 * rising outwards to Nyquist at the borders, the same size as the plane.
 *
 * <ul>
 * <li>{@link #logPower}: what the radial plot averages, as an image: log10 of |F|^2 per unit of window
 * energy (see {@link RadialSpectrum#perPixel}) of the plane with its mean removed and a Hann window
 * applied. Log power rather than log(1 + |F|) because it does not depend on the intensity scale (a
 * plane times c only shifts the image by 2 log10 c), so 8-bit, 16-bit and [0, 1] float images look
 * alike, and its values read on the plot's y axis.</li>
 * <li>{@link #discriminatorView}: exactly what the fftGAN discriminator takes,
 * log(1 + |DFT2|) of the patch as it is: no window, no mean removal (see
 * {@code nn.Discriminator.fftMagnitude}).</li>
 * </ul>
 */
public final class SpectrumImages {

    /** Orders of magnitude below the peak where {@link #logPower} stops (a zero power has no log). */
    static final double FLOOR_DECADES = 12;

    private SpectrumImages() {
    }

    /** Centred log10 power of the windowed plane, at least {@value #FLOOR_DECADES} decades below the peak. */
    public static float[] logPower(float[] plane, int w, int h) {
        RadialSpectrum.Transform t = RadialSpectrum.windowedTransform(plane, w, h);
        double e = RadialSpectrum.windowEnergy(w, h);
        double[] p = new double[w * h];
        double max = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = t.power(i) / e;
            max = Math.max(max, p[i]);
        }
        double floor = max > 0 ? max * Math.pow(10, -FLOOR_DECADES) : Double.MIN_NORMAL;
        float[] out = new float[w * h];
        for (int i = 0; i < p.length; i++) out[i] = (float) Math.log10(Math.max(p[i], floor));
        return Fft2d.shift(out, w, h);
    }

    /** Centred log(1 + |DFT2|) of a square patch, unwindowed: the fftGAN discriminator's input features. */
    public static float[] discriminatorView(float[] patch, int size) {
        if (patch.length != (long) size * size)
            throw new IllegalArgumentException("Patch has " + patch.length + " values, not " + size + "x" + size + ".");
        double[] re = new double[patch.length], im = new double[patch.length];
        for (int i = 0; i < patch.length; i++) re[i] = patch[i];
        Fft2d.forward(re, im, size, size);
        float[] out = new float[patch.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) Math.log1p(Math.hypot(re[i], im[i]));
        return Fft2d.shift(out, size, size);
    }

    /**
     * A display range for a spectrum image: from its 1st percentile (below it lie a few near-zero
     * frequencies, such as the removed mean, that would otherwise take most of the grey scale) to its
     * maximum. Returns {low, high} with high > low.
     */
    public static double[] displayRange(float[] spectrum) {
        Percentiles.Result r = Percentiles.compute(List.of(ArrayImgs.floats(spectrum, spectrum.length)), 1, 100);
        double lo = r.low(), hi = r.high();
        if (!(hi > lo)) hi = lo + 1;
        return new double[]{lo, hi};
    }
}
