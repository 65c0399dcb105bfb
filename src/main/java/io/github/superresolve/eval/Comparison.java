package io.github.superresolve.eval;

import io.github.superresolve.consistency.ConsistencyReport;
import io.github.superresolve.consistency.Degradation;
import io.github.superresolve.consistency.ImageConsistency;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.github.superresolve.image.ImageFiles;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;
import io.github.superresolve.infer.ImageUpscaler;
import io.github.superresolve.infer.InterpolationUpscaler;
import io.github.superresolve.infer.NetworkUpscaler;
import io.github.superresolve.infer.Progress;
import io.github.superresolve.infer.Upscaler;
import io.github.superresolve.resolve.ModelResolver;
import io.github.superresolve.resolve.ResolvedModel;
import io.github.superresolve.metrics.DataRange;
import io.github.superresolve.metrics.ImageScorer;
import io.github.superresolve.metrics.Scores;
import io.github.superresolve.nn.Generator;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.nn.ModelException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Compares super-resolution methods on ground-truth images following the project's quality protocol
 * (docs in the README, section Compare): each image is centre-cropped (at most {@code maxSide} per
 * side, sides a multiple of the scale), downsampled by antialiased bicubic to make the input (stored
 * in the image's own type, as a real low-resolution image would be), super-resolved by every method
 * exactly as the Super-Resolve Image command does it ({@link ImageUpscaler}, output in the input's
 * type), and scored against the crop without a border of {@code scale} pixels ({@link ImageScorer}):
 * MSE in the image's units (0-255 for 8-bit and RGB), PSNR and SSIM with the type's data range.
 * Mean rows average the images' scores (PSNR is the mean of per-image PSNRs, as in the study).
 *
 * <p>Any type ImageJ opens works: 8-bit, 16-bit, 32-bit, RGB, multichannel stacks. With
 * {@code channels = 1} RGB images are first turned into their 8-bit luminance, for 1-channel models.
 */
public final class Comparison {

    /**
     * @param scale     downsampling factor of the inputs
     * @param channels  3: images as they are; 1: RGB images converted to luminance first
     * @param maxSide   centre crop side limit in pixels (0 = whole images)
     * @param luminance score RGB results on luminance Y rather than R, G and B
     * @param dataRange positive, or 0 for each image type's range
     */
    public record Options(int scale, int channels, int maxSide, boolean luminance, double dataRange) {
        public Options {
            if (scale < 2 || scale > 16) throw new IllegalArgumentException("Scale " + scale + " is not supported: choose a scale from 2 to 16.");
            if (channels != 1 && channels != 3) throw new IllegalArgumentException("Channels must be 1 (luminance) or 3 (RGB), not " + channels + ".");
            if (maxSide < 0) throw new IllegalArgumentException("Max side " + maxSide + " is negative: give 0 (whole images) or a size in pixels.");
        }

        public static Options of(int scale, int channels, int maxSide) {
            return new Options(scale, channels, maxSide, false, 0);
        }
    }

    /** A method under comparison: an {@link Upscaler} for a scale. */
    public interface Method {
        String name();

        /** Whether it can upscale by {@code scale}. */
        boolean supports(int scale);

        /** The upscaler for a scale it {@link #supports}. */
        Upscaler upscaler(int scale);
    }

    /**
     * Mean scores of one method over the images; {@code highFrequency} is the power above half the
     * Nyquist frequency of its outputs relative to the ground truth's (1 = as much fine detail as the
     * truth), NaN unless spectra were asked for.
     */
    public record Row(String method, int scale, double mse, double psnr, double ssim, int images, double highFrequency,
                      double rse, double rsp) {
        /** A row without consistency figures. */
        public Row(String method, int scale, double mse, double psnr, double ssim, int images, double highFrequency) {
            this(method, scale, mse, psnr, ssim, images, highFrequency, Double.NaN, Double.NaN);
        }
    }

    /**
     * One image's scores for one method: against the ground truth ({@code scores}, NaN without one) and
     * the output's consistency with its input ({@code rse} in the input's units, {@code rsp}; see
     * {@link io.github.superresolve.consistency}), which needs no ground truth.
     */
    public record ImageScore(String image, String method, int scale, Scores scores, double rse, double rsp) {
        /** Scores without consistency figures. */
        public ImageScore(String image, String method, int scale, Scores scores) {
            this(image, method, scale, scores, Double.NaN, Double.NaN);
        }
    }

    /** A prepared image: the ground-truth crop (null for a user's own image) and the input made from it (or the image). */
    public record Entry(String name, ImagePlus truth, ImagePlus input) {
    }

    /** Scores of an output that has no ground truth: every one NaN. */
    static final Scores NO_TRUTH = new Scores(Double.NaN, Double.NaN, Double.NaN, List.of(), Double.NaN);

    private static final int BINS = 32;
    private final Options options;
    private final List<Entry> entries = new ArrayList<>();
    private final List<ImageScore> perImage = new ArrayList<>();
    private final Map<String, double[]> meanSpectra = new LinkedHashMap<>();
    private final Map<String, ImagePlus> kept = new LinkedHashMap<>();
    private boolean spectra;
    private String keepImage;

    private Comparison(Options options) {
        this.options = options;
    }

    /** Loads the images directly in {@code dir}; unreadable, unsuitable or too small ones are reported and skipped. */
    public static Comparison load(Path dir, Options options, Consumer<String> warn) {
        List<Path> files = ImageFiles.imagesIn(dir);
        Comparison c = new Comparison(options);
        for (Path f : files) {
            try {
                c.add(f.getFileName().toString(), ImageFiles.open(f));
            } catch (IllegalArgumentException e) {
                warn.accept("Skipped " + f + ": " + e.getMessage());
            }
        }
        if (c.entries.isEmpty())
            throw new IllegalArgumentException("No usable images in " + dir + " for x" + options.scale() + ": give a folder of ground-truth images at least "
                    + 8 * options.scale() + " pixels wide and high.");
        return c;
    }

    /** The protocol of the training validation: a folder, scale, channels and crop limit. */
    public static Comparison load(Path dir, int channels, int scale, int maxSide, Consumer<String> warn) {
        return load(dir, Options.of(scale, channels, maxSide), warn);
    }

    /** Ground-truth images given one by one (files or open images); any unsuitable one is an error naming it. */
    public static Comparison of(List<ImagePlus> images, Options options) {
        if (images.isEmpty()) throw new IllegalArgumentException("No ground-truth images were given: give at least one image.");
        Comparison c = new Comparison(options);
        for (ImagePlus imp : images) c.add(imp.getTitle(), imp);
        return c;
    }

    /**
     * A user's own images to super-resolve, without ground truth: only the consistency of each method's
     * output with its input is scored (RSE, RSP). Each is centre-cropped to at most maxSide / scale.
     */
    public static Comparison ofInputs(List<ImagePlus> images, Options options) {
        if (images.isEmpty()) throw new IllegalArgumentException("No input images were given: give at least one image.");
        Comparison c = new Comparison(options);
        for (ImagePlus imp : images) c.addInput(imp.getTitle(), imp);
        return c;
    }

    /** The images directly in {@code dir} as inputs ({@link #ofInputs}); unreadable or unsuitable ones are reported and skipped. */
    public static Comparison loadInputs(Path dir, Options options, Consumer<String> warn) {
        Comparison c = new Comparison(options);
        for (Path f : ImageFiles.imagesIn(dir)) {
            try {
                c.addInput(f.getFileName().toString(), ImageFiles.open(f));
            } catch (IllegalArgumentException e) {
                warn.accept("Skipped " + f + ": " + e.getMessage());
            }
        }
        if (c.entries.isEmpty())
            throw new IllegalArgumentException("No usable images in " + dir + ": give a folder of images at least 8 pixels wide and high.");
        return c;
    }

    private void addInput(String name, ImagePlus imp) {
        if (imp.getType() == ImagePlus.COLOR_256)
            throw new IllegalArgumentException("Image '" + name + "' is 8-bit indexed colour: convert it to RGB (Image > Type > RGB Color) first.");
        ImagePlus in = options.channels() == 1 && imp.getType() == ImagePlus.COLOR_RGB ? luminanceImage(imp) : imp;
        int side = options.maxSide() > 0 ? Math.max(8, options.maxSide() / options.scale()) : Integer.MAX_VALUE;
        int w = Math.min(side, in.getWidth()), h = Math.min(side, in.getHeight());
        if (w < 8 || h < 8)
            throw new IllegalArgumentException("Image '" + name + "' is " + imp.getWidth() + "x" + imp.getHeight() + ": too small (inputs need at least 8x8 pixels).");
        in = crop(in, (in.getWidth() - w) / 2, (in.getHeight() - h) / 2, w, h);
        in.setTitle(name);
        entries.add(new Entry(name, null, in));
    }

    private void add(String name, ImagePlus imp) {
        int s = options.scale();
        if (imp.getType() == ImagePlus.COLOR_256)
            throw new IllegalArgumentException("Image '" + name + "' is 8-bit indexed colour: convert it to RGB (Image > Type > RGB Color) first.");
        ImagePlus truth = options.channels() == 1 && imp.getType() == ImagePlus.COLOR_RGB ? luminanceImage(imp) : imp;
        int side = options.maxSide() > 0 ? options.maxSide() : Integer.MAX_VALUE;
        int w = Math.min(side, truth.getWidth()) / s * s, h = Math.min(side, truth.getHeight()) / s * s;
        if (w / s < 8 || h / s < 8)
            throw new IllegalArgumentException("Image '" + name + "' is " + imp.getWidth() + "x" + imp.getHeight() + ": too small for x" + s
                    + " (inputs need at least 8x8 pixels, so " + 8 * s + "x" + 8 * s + " here).");
        truth = crop(truth, (truth.getWidth() - w) / 2, (truth.getHeight() - h) / 2, w, h);
        truth.setTitle(name);
        entries.add(new Entry(name, truth, downsample(truth, s)));
    }

    /** Also measures radial power spectra of the luminance (mean over images, 32 bins up to Nyquist). */
    public Comparison withSpectra() {
        spectra = true;
        return this;
    }

    /** Keeps every method's output of one image (by name, or the first image if null), for montages. */
    public Comparison keepOutputsOf(String image) {
        keepImage = image == null ? entries.get(0).name() : image;
        return this;
    }

    public Map<String, ImagePlus> keptOutputs() {
        return kept;
    }

    public Map<String, double[]> spectra() {
        return meanSpectra;
    }

    public List<Entry> entries() {
        return entries;
    }

    public List<ImageScore> perImage() {
        return perImage;
    }

    public int size() {
        return entries.size();
    }

    public int scale() {
        return options.scale();
    }

    public Options options() {
        return options;
    }

    public Row score(Method m) {
        return score(m, Progress.NONE);
    }

    /** Scores one method on every image (progress counts images). */
    public Row score(Method m, Progress progress) {
        int s = options.scale();
        if (!m.supports(s)) throw new IllegalArgumentException("Method " + m.name() + " cannot upscale by " + s + ".");
        Upscaler up = m.upscaler(s);
        try {
            return score(m, up, s, progress);
        } finally {
            up.release(); // the next method's network gets the memory
        }
    }

    private Row score(Method m, Upscaler up, int s, Progress progress) {
        double mse = 0, psnr = 0, ssim = 0, rse = 0, rsp = 0;
        double[] spectrum = spectra ? new double[BINS] : null;
        boolean needTruth = spectra && !meanSpectra.containsKey("ground truth");
        double[] truthSpectrum = needTruth ? new double[BINS] : meanSpectra.get("ground truth");
        int n = entries.size();
        for (int i = 0; i < n; i++) {
            progress.checkCancelled();
            Entry e = entries.get(i);
            ImagePlus out = ImageUpscaler.upscale(e.input(), up, ImageUpscaler.Options.defaults(), Progress.NONE);
            out.setTitle(e.name() + " (" + m.name() + ")");
            Scores sc = e.truth() == null ? NO_TRUTH : ImageScorer.score(e.truth(), out, s, options.luminance(), options.dataRange());
            ConsistencyReport consistency = ImageConsistency.analyse(e.input(), out, s,
                    new ImageConsistency.Options(Degradation.bicubic(), options.luminance()));
            if (spectra && e.truth() != null) {
                double range = DataRange.of(e.truth(), options.dataRange());
                add(spectrum, RadialSpectrum.compute(luminance(out, range), out.getWidth(), out.getHeight(), BINS), n);
                if (needTruth) add(truthSpectrum, RadialSpectrum.compute(luminance(e.truth(), range), out.getWidth(), out.getHeight(), BINS), n);
            }
            if (e.name().equals(keepImage)) kept.put(m.name(), out);
            perImage.add(new ImageScore(e.name(), m.name(), s, sc, consistency.overallRse(), consistency.overallRsp()));
            mse += sc.mse() / n;
            psnr += sc.psnr() / n;
            ssim += sc.ssim() / n;
            rse += consistency.overallRse() / n;
            rsp += consistency.overallRsp() / n;
            progress.report(i + 1, n);
        }
        double hf = Double.NaN;
        if (spectra && !entries.isEmpty() && entries.get(0).truth() != null) {
            meanSpectra.put("ground truth", truthSpectrum);
            meanSpectra.put(m.name(), spectrum);
            hf = RadialSpectrum.highFrequencyRatio(spectrum, truthSpectrum);
        }
        return new Row(m.name(), s, mse, psnr, ssim, n, hf, rse, rsp);
    }

    private static void add(double[] acc, double[] v, int n) {
        for (int i = 0; i < acc.length; i++) acc[i] += v[i] / n;
    }

    /** The first plane's luminance (or the plane itself) divided by the data range. */
    static float[] luminance(ImagePlus imp, double range) {
        float[] y = SpectrumInput.luminance(imp, Integer.MAX_VALUE, "Image '" + imp.getTitle() + "'").values();
        for (int i = 0; i < y.length; i++) y[i] /= (float) range;
        return y;
    }

    /** An RGB image's 8-bit luminance Y = 0.299 R + 0.587 G + 0.114 B, rounded. */
    static ImagePlus luminanceImage(ImagePlus imp) {
        ImageStack in = imp.getStack(), out = new ImageStack(imp.getWidth(), imp.getHeight());
        for (int k = 1; k <= in.getSize(); k++) {
            int[] px = (int[]) in.getProcessor(k).getPixels();
            byte[] y = new byte[px.length];
            for (int i = 0; i < px.length; i++)
                y[i] = (byte) Math.round(io.github.superresolve.image.Luminance.of(px[i]));
            out.addSlice(in.getSliceLabel(k), new ByteProcessor(imp.getWidth(), imp.getHeight(), y));
        }
        ImagePlus r = new ImagePlus(imp.getTitle(), out);
        r.setDimensions(imp.getNChannels(), imp.getNSlices(), imp.getNFrames());
        r.setCalibration(imp.getCalibration());
        return r;
    }

    /** A crop of every plane, keeping channels, slices, frames and calibration. */
    static ImagePlus crop(ImagePlus imp, int x, int y, int w, int h) {
        ImageStack in = imp.getStack(), out = new ImageStack(w, h);
        for (int k = 1; k <= in.getSize(); k++) {
            ImageProcessor ip = in.getProcessor(k);
            ip.setRoi(x, y, w, h);
            out.addSlice(in.getSliceLabel(k), ip.crop());
        }
        ImagePlus r = new ImagePlus(imp.getTitle(), out);
        r.setDimensions(imp.getNChannels(), imp.getNSlices(), imp.getNFrames());
        r.setCalibration(imp.getCalibration());
        if (imp.isComposite()) r = new ij.CompositeImage(r, ((ij.CompositeImage) imp).getMode());
        return r;
    }

    /**
     * The input of the protocol: every plane (every RGB component) downsampled by antialiased bicubic
     * in floating point, then rounded and clipped to the image's type (32-bit stays as it is); the
     * pixel size grows by the scale.
     */
    static ImagePlus downsample(ImagePlus imp, int s) {
        int w = imp.getWidth(), h = imp.getHeight(), lw = w / s, lh = h / s;
        ImageStack in = imp.getStack(), out = new ImageStack(lw, lh);
        for (int k = 1; k <= in.getSize(); k++) {
            ImageProcessor ip = in.getProcessor(k);
            ImageProcessor small;
            if (ip instanceof ColorProcessor cp) {
                int[] px = (int[]) cp.getPixels();
                int[] res = new int[lw * lh];
                for (int shift = 16; shift >= 0; shift -= 8) {
                    float[] comp = new float[w * h];
                    for (int i = 0; i < comp.length; i++) comp[i] = (px[i] >> shift) & 0xff;
                    float[] d = Resampler.downscale(comp, w, h, s, Kernel.BICUBIC);
                    for (int i = 0; i < d.length; i++) res[i] |= clampRound(d[i], 255) << shift;
                }
                small = new ColorProcessor(lw, lh, res);
            } else {
                float[] d = Resampler.downscale((float[]) ip.convertToFloatProcessor().getPixels(), w, h, s, Kernel.BICUBIC);
                if (ip instanceof ByteProcessor) {
                    byte[] b = new byte[d.length];
                    for (int i = 0; i < d.length; i++) b[i] = (byte) clampRound(d[i], 255);
                    small = new ByteProcessor(lw, lh, b);
                } else if (ip instanceof ShortProcessor) {
                    short[] b = new short[d.length];
                    for (int i = 0; i < d.length; i++) b[i] = (short) clampRound(d[i], 65535);
                    small = new ShortProcessor(lw, lh, b, null);
                } else small = new FloatProcessor(lw, lh, d);
            }
            out.addSlice(in.getSliceLabel(k), small);
        }
        ImagePlus r = new ImagePlus(imp.getTitle() + " (input x1/" + s + ")", out);
        r.setDimensions(imp.getNChannels(), imp.getNSlices(), imp.getNFrames());
        ij.measure.Calibration cal = imp.getCalibration().copy();
        cal.pixelWidth *= s;
        cal.pixelHeight *= s;
        r.setCalibration(cal);
        if (imp.isComposite()) r = new ij.CompositeImage(r, ((ij.CompositeImage) imp).getMode());
        return r;
    }

    private static int clampRound(float v, int max) {
        return Math.max(0, Math.min(max, Math.round(v)));
    }

    /** Method names compared by default: bicubic, Lanczos, and every installed model able to do this scale with these channels. */
    public static List<String> defaultMethods(ModelCatalog catalog, int scale, int channels) {
        List<String> names = new ArrayList<>(List.of(ModelResolver.BICUBIC, ModelResolver.LANCZOS));
        ModelResolver resolver = new ModelResolver(catalog);
        for (String n : catalog.names()) {
            ResolvedModel m = resolver.resolve(n);
            if (m.channels() == channels && m.supports(scale)) names.add(n);
        }
        return names;
    }

    /**
     * A method by name, as {@link ModelResolver} reads it: bicubic, lanczos, an installed model, a model
     * zip, an ONNX file or a bioimage.io package. A network with another channel count than the
     * comparison's is an error.
     */
    public static Method method(String name, ModelCatalog catalog, int channels) {
        ResolvedModel m = new ModelResolver(catalog).resolve(name);
        if (!m.takes(channels))
            throw new IllegalArgumentException("Model " + m.name() + " has " + m.channels() + " channel(s), not " + channels
                    + ": set channels to " + m.channels() + ".");
        return new NamedMethod(m.name(), m::supports, m::upscaler);
    }

    /** The same method under another name. */
    public static Method renamed(Method m, String name) {
        return new NamedMethod(name, m::supports, m::upscaler);
    }

    /** Interpolation as a method. */
    public static Method interpolation(String name, Kernel kernel) {
        return new NamedMethod(name, scale -> true, scale -> new InterpolationUpscaler(kernel, scale));
    }

    /** A generator as a method (e.g. the network being trained). */
    public static Method network(String name, Generator g) {
        return new NamedMethod(name, scale -> scale == g.scale(), scale -> new NetworkUpscaler(name, g));
    }

    private record NamedMethod(String name, java.util.function.IntPredicate scales,
                               java.util.function.IntFunction<Upscaler> factory) implements Method {
        @Override
        public boolean supports(int scale) {
            return scales.test(scale);
        }

        @Override
        public Upscaler upscaler(int scale) {
            return factory.apply(scale);
        }
    }
}
