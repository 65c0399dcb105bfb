package io.github.superresolve.ij;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Plot;
import ij.process.FloatProcessor;
import io.github.superresolve.eval.RadialSpectrum;
import io.github.superresolve.eval.SpectrumImages;
import io.github.superresolve.eval.SpectrumInput;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fourier spectra of the current plane of an image: how much structure it holds at each spatial
 * frequency, from coarse to the finest the pixel grid can hold (Nyquist). Super-resolved images with
 * more high-frequency power carry more fine detail (or noise): the study's argument for adversarial
 * and Fourier losses. Two outputs:
 * <ul>
 * <li>a plot of the radially averaged power spectrum ({@link RadialSpectrum#perPixel}, log y axis) of
 * the image and of the {@code overlay} images, one coloured line each;</li>
 * <li>a centred 2-D spectrum image, the {@code view}: the windowed log10 power spectrum
 * ({@link SpectrumImages#logPower}, "FFT of ..."), or what the fftGAN discriminator sees
 * ({@link SpectrumImages#discriminatorView} of {@link SpectrumInput#discriminatorPatch}, "fftGAN view of
 * ..."; RGB images give one slice per channel, as an RGB model's discriminator sees them).</li>
 * </ul>
 * The windowed spectra use the centre crop of at most {@code max_side} pixels a side; RGB images their
 * luminance. The command only checks and wires; the spectra are computed in {@code eval}. Macro:
 * {@code run("Fourier Spectrum...", "image=[a.tif] bins=64 max_side=1024 view=[windowed spectrum] overlay=[b.tif,c.tif]")}.
 */
@Plugin(type = Command.class, headless = true, label = "Fourier Spectrum",
        description = "Plots radial power spectra of images and shows the centred 2-D spectrum.")
public class FourierSpectrum extends ContextCommand {

    static final String WINDOWED = "windowed spectrum";
    static final String FFTGAN = "fftGAN discriminator";

    @Parameter(label = "Image")
    private ImagePlus image;

    @Parameter(label = "Bins", min = "4", max = "4096", persist = false, description = "Radial bins up to the Nyquist frequency")
    private int bins = 64;

    @Parameter(label = "Max_side", min = "16", persist = false, description = "Centre crop side for the windowed spectra (larger images are cropped)")
    private int max_side = 1024;

    @Parameter(label = "View", choices = {WINDOWED, FFTGAN}, persist = false,
            description = "2-D spectrum: Hann-windowed log10 power, or log(1 + |DFT|) of the patch the fftGAN discriminator sees")
    private String view = WINDOWED;

    @Parameter(label = "Patch", min = "4", max = "4096", persist = false,
            description = "fftGAN view: the discriminator's input side, i.e. the training patch (96 by default)")
    private int patch = 96;

    @Parameter(label = "Overlay", required = false, persist = false,
            description = "Other open images to plot with this one: titles separated by commas, or * for all open images")
    private String overlay = "";

    @Parameter(type = ItemIO.OUTPUT, label = "Spectrum image")
    private ImagePlus fft;

    @Parameter(type = ItemIO.OUTPUT, label = "Spectrum")
    private ImagePlus plot;

    private double[] spectrum;
    private final List<double[]> spectra = new ArrayList<>();

    @Override
    public void run() {
        try {
            compute();
        } catch (IllegalArgumentException e) {
            cancel(e.getMessage());
        }
    }

    private void compute() {
        if (image == null) throw new IllegalArgumentException("There is no image: open an image, then run Fourier Spectrum again.");
        if (bins < 4 || bins > 4096) throw new IllegalArgumentException("Bins must be between 4 and 4096, not " + bins + ".");
        if (max_side < 16) throw new IllegalArgumentException("Max_side must be at least 16 pixels, not " + max_side + ".");
        boolean fftgan = fftganView(view);

        List<ImagePlus> images = new ArrayList<>();
        images.add(image);
        images.addAll(OpenImages.byTitles(overlay, image, "Overlay"));
        List<String> labels = new ArrayList<>();
        SpectrumInput.Plane first = null;
        for (ImagePlus imp : images) { // every input checked before anything is computed
            SpectrumInput.Plane p = SpectrumInput.luminance(imp, max_side, name(imp));
            if (first == null) first = p;
            spectra.add(RadialSpectrum.perPixel(p.values(), p.width(), p.height(), bins));
            labels.add(imp.getTitle());
        }
        spectrum = spectra.get(0);
        if (fftgan) fft = discriminatorView();
        else {
            FloatProcessor fp = new FloatProcessor(first.width(), first.height(), SpectrumImages.logPower(first.values(), first.width(), first.height()));
            double[] range = SpectrumImages.displayRange((float[]) fp.getPixels());
            fp.setMinAndMax(range[0], range[1]);
            fft = new ImagePlus("FFT of " + image.getTitle(), fp);
        }
        fft.setProperty(OpenImages.DERIVED, Boolean.TRUE);
        String title = "Spectrum of " + image.getTitle() + (images.size() > 1 ? " and " + (images.size() - 1) + " more" : "");
        Plot pl = SpectrumPlot.create(title, labels, spectra);
        plot = pl.getImagePlus();
        plot.setProperty(OpenImages.DERIVED, Boolean.TRUE);
    }

    /** The view choice, case-insensitive; "windowed" and "fftgan" are accepted too. */
    static boolean fftganView(String view) {
        String v = view == null ? "" : view.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty() || v.equals(WINDOWED) || v.equals("windowed")) return false;
        if (v.equals(FFTGAN.toLowerCase(Locale.ROOT)) || v.equals("fftgan")) return true;
        throw new IllegalArgumentException("View '" + view + "' is unknown: choose '" + WINDOWED + "' or '" + FFTGAN + "'.");
    }

    private ImagePlus discriminatorView() {
        float[][] channels = SpectrumInput.discriminatorPatch(image, patch, name(image));
        ImageStack stack = new ImageStack(patch, patch);
        String[] names = channels.length == 3 ? new String[]{"red", "green", "blue"} : new String[]{null};
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < channels.length; c++) {
            float[] s = SpectrumImages.discriminatorView(channels[c], patch);
            double[] range = SpectrumImages.displayRange(s);
            lo = Math.min(lo, range[0]);
            hi = Math.max(hi, range[1]);
            stack.addSlice(names[c], new FloatProcessor(patch, patch, s));
        }
        ImagePlus imp = new ImagePlus("fftGAN view of " + image.getTitle(), stack);
        imp.setDisplayRange(lo, hi);
        return imp;
    }

    private static String name(ImagePlus imp) {
        return "Image '" + imp.getTitle() + "'";
    }

    /** The radial spectrum of the image (power per pixel per bin; for scripts and tests). */
    public double[] getSpectrum() {
        return spectrum;
    }

    /** The radial spectra plotted: the image's, then the overlays'. */
    public List<double[]> getSpectra() {
        return spectra;
    }
}
