package io.github.superresolve.ij;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.github.superresolve.eval.RadialSpectrum;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plots the radially averaged power spectrum (log10) of the current plane of an image: how much
 * structure it holds at each spatial frequency, from coarse (left) to the finest the pixel grid can
 * hold (Nyquist, right). Super-resolved images with more high-frequency power carry more fine detail
 * (or noise): the study's argument for adversarial and Fourier losses. RGB images use their luminance.
 */
@Plugin(type = Command.class, headless = true, label = "Fourier Spectrum",
        description = "Plots the radially averaged power spectrum of an image.")
public class FourierSpectrum extends ContextCommand {

    @Parameter(label = "Image")
    private ImagePlus image;

    @Parameter(label = "Bins", min = "4", max = "256", persist = false, description = "Radial bins up to the Nyquist frequency")
    private int bins = 64;

    @Parameter(label = "Max_side", min = "16", max = "4096", persist = false, description = "Centre crop side (the DFT is exact, O(n^3))")
    private int max_side = 512;

    @Parameter(type = ItemIO.OUTPUT, label = "Spectrum")
    private ImagePlus plot;

    private double[] spectrum;

    @Override
    public void run() {
        if (image.getWidth() < 4 || image.getHeight() < 4) {
            cancel("Image '" + image.getTitle() + "' is " + image.getWidth() + "x" + image.getHeight() + ": a spectrum needs at least 4x4 pixels.");
            return;
        }
        ImageProcessor ip = image.getProcessor();
        int w = Math.min(max_side, ip.getWidth()), h = Math.min(max_side, ip.getHeight());
        int x0 = (ip.getWidth() - w) / 2, y0 = (ip.getHeight() - h) / 2;
        float[] v = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                float f;
                if (ip instanceof ColorProcessor cp) {
                    int c = cp.get(x0 + x, y0 + y);
                    f = 0.299f * ((c >> 16) & 0xff) + 0.587f * ((c >> 8) & 0xff) + 0.114f * (c & 0xff);
                } else f = ip.getf(x0 + x, y0 + y);
                if (!Float.isFinite(f)) {
                    cancel("Image '" + image.getTitle() + "' has NaN or infinite pixels: a spectrum needs finite values.");
                    return;
                }
                v[y * w + x] = f;
            }
        spectrum = RadialSpectrum.compute(v, w, h, bins);
        double[] r = new double[bins], p = new double[bins];
        for (int i = 0; i < bins; i++) {
            r[i] = (i + 0.5) / bins;
            p[i] = Math.log10(Math.max(spectrum[i], 1e-30));
        }
        Plot pl = new Plot("Spectrum of " + image.getTitle(), "spatial frequency (fraction of Nyquist)", "log10 power");
        pl.add("line", r, p);
        pl.setLimitsToFit(false);
        plot = pl.getImagePlus();
    }

    /** The spectrum computed (for scripts and tests). */
    public double[] getSpectrum() {
        return spectrum;
    }
}
