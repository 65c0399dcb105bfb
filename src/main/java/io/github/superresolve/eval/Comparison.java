package io.github.superresolve.eval;

import io.github.superresolve.image.ImageFiles;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;
import io.github.superresolve.metrics.ImageMetrics;
import io.github.superresolve.nn.Generator;
import io.github.superresolve.train.PatchSampler;
import io.github.superresolve.train.TrainingImages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Compares super-resolution methods on a folder of ground-truth images following the project's
 * quality protocol: each image is centre-cropped (at most {@code maxSide}, sides a multiple of the
 * scale), downsampled by antialiased bicubic to make the input, super-resolved by every method,
 * clipped and rounded to 8 bits, and scored without a border of {@code scale} pixels: MSE on the
 * 0-255 scale, PSNR over all channels (RGB, or luminance Y for 1-channel), SSIM averaged over
 * channels. Scores are means over images (PSNR is the mean of per-image PSNRs).
 */
public final class Comparison {

    /** A method: low-resolution planes in, high-resolution planes out (normalised [0, 1]). */
    public interface Method {
        String name();

        float[][] upscale(float[][] lr, int lrWidth, int lrHeight, int scale);
    }

    /**
     * Mean scores of one method; {@code highFrequency} is the power above half the Nyquist frequency of
     * its outputs relative to the ground truth's (1 = as much fine detail as the truth), NaN unless
     * spectra were asked for.
     */
    public record Row(String method, double mse255, double psnr, double ssim, int images, double highFrequency) {
    }

    private boolean spectra;
    private double[] truthSpectrum;
    private static final int BINS = 32;

    /** Also measures radial power spectra (slower: an exact DFT per image and method). */
    public Comparison withSpectra() {
        spectra = true;
        return this;
    }

    /** Mean radial power spectra (32 bins up to Nyquist) of the last scored methods, by method, and of "ground truth". */
    private final Map<String, double[]> meanSpectra = new LinkedHashMap<>();

    public Map<String, double[]> spectra() {
        return meanSpectra;
    }

    /** One image's scores for every method (for per-image tables). */
    public record ImageScores(String image, Map<String, double[]> scores) {
    }

    private record Image(String name, float[][] hr, float[][] lr, int w, int h) {
    }

    private final List<Image> images = new ArrayList<>();
    private final int scale, channels;
    private final List<ImageScores> perImage = new ArrayList<>();

    private Comparison(int scale, int channels) {
        this.scale = scale;
        this.channels = channels;
    }

    /** Loads the images directly in {@code dir}; unreadable or too small ones are reported and skipped. */
    public static Comparison load(Path dir, int channels, int scale, int maxSide, Consumer<String> warn) {
        Comparison c = new Comparison(scale, channels);
        for (Path f : ImageFiles.imagesIn(dir)) {
            TrainingImages.Planes p;
            try {
                p = TrainingImages.decode(ImageFiles.open(f), 0, channels);
            } catch (IllegalArgumentException e) {
                warn.accept("Skipped " + f + ": " + e.getMessage());
                continue;
            }
            int side = maxSide > 0 ? maxSide : Integer.MAX_VALUE;
            int w = Math.min(side, p.width()) / scale * scale, h = Math.min(side, p.height()) / scale * scale;
            if (w / scale < 8 || h / scale < 8) {
                warn.accept("Skipped " + f + ": too small for x" + scale + ".");
                continue;
            }
            int x0 = (p.width() - w) / 2, y0 = (p.height() - h) / 2;
            float[][] hr = new float[channels][], lr = new float[channels][];
            for (int k = 0; k < channels; k++) {
                hr[k] = PatchSampler.crop(p.data()[k], p.width(), x0, y0, w, h);
                lr[k] = Resampler.resize(hr[k], w, h, w / scale, h / scale, Kernel.BICUBIC);
            }
            c.images.add(new Image(f.getFileName().toString(), hr, lr, w, h));
        }
        if (c.images.isEmpty()) throw new IllegalArgumentException("No usable images in " + dir + " for x" + scale + ".");
        return c;
    }

    public int size() {
        return images.size();
    }

    public int scale() {
        return scale;
    }

    public int channels() {
        return channels;
    }

    /** Scores one method on every image. */
    public Row score(Method m) {
        double mse255 = 0, psnr = 0, ssim = 0;
        double[] spectrum = spectra ? new double[BINS] : null;
        boolean needTruth = spectra && truthSpectrum == null;
        if (needTruth) truthSpectrum = new double[BINS];
        for (int i = 0; i < images.size(); i++) {
            Image img = images.get(i);
            float[][] sr = m.upscale(img.lr, img.w / scale, img.h / scale, scale);
            if (spectra) {
                add(spectrum, RadialSpectrum.compute(luminance(sr, img.w, img.h), img.w, img.h, BINS), images.size());
                if (needTruth) add(truthSpectrum, RadialSpectrum.compute(luminance(img.hr, img.w, img.h), img.w, img.h, BINS), images.size());
            }
            int bw = img.w - 2 * scale, bh = img.h - 2 * scale;
            double mse = 0, s = 0;
            for (int c = 0; c < channels; c++) {
                float[] truth = quantise(PatchSampler.crop(img.hr[c], img.w, scale, scale, bw, bh));
                float[] test = quantise(PatchSampler.crop(sr[c], img.w, scale, scale, bw, bh));
                mse += ImageMetrics.mse(truth, test) / channels;
                s += ImageMetrics.ssim(truth, test, bw, bh, 1.0) / channels;
            }
            double p = ImageMetrics.psnrFromMse(mse, 1.0);
            mse255 += mse * 255 * 255 / images.size();
            psnr += p / images.size();
            ssim += s / images.size();
            record(img.name, m.name(), new double[]{mse * 255 * 255, p, s});
        }
        double hf = Double.NaN;
        if (spectra) {
            meanSpectra.put("ground truth", truthSpectrum);
            meanSpectra.put(m.name(), spectrum);
            hf = RadialSpectrum.highFrequencyRatio(spectrum, truthSpectrum);
        }
        return new Row(m.name(), mse255, psnr, ssim, images.size(), hf);
    }

    private static void add(double[] acc, double[] v, int n) {
        for (int i = 0; i < acc.length; i++) acc[i] += v[i] / n;
    }

    /** Clipped luminance (or the single plane) of planes in [0, 1]. */
    private static float[] luminance(float[][] planes, int w, int h) {
        float[] y = new float[w * h];
        for (int i = 0; i < y.length; i++) {
            if (planes.length == 3)
                y[i] = 0.299f * clip(planes[0][i]) + 0.587f * clip(planes[1][i]) + 0.114f * clip(planes[2][i]);
            else y[i] = clip(planes[0][i]);
        }
        return y;
    }

    private static float clip(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    private void record(String image, String method, double[] v) {
        for (ImageScores s : perImage) {
            if (s.image().equals(image)) {
                s.scores().put(method, v);
                return;
            }
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put(method, v);
        perImage.add(new ImageScores(image, m));
    }

    public List<ImageScores> perImage() {
        return perImage;
    }

    /** Method names compared by default: bicubic, Lanczos, and every model of that scale and channel count. */
    public static List<String> defaultMethods(io.github.superresolve.nn.ModelCatalog catalog, int scale, int channels) {
        List<String> names = new ArrayList<>(List.of("bicubic", "lanczos"));
        for (String n : catalog.names()) {
            io.github.superresolve.nn.Model m = catalog.load(n);
            if (m.card().scale() == scale && m.card().channels() == channels) names.add(n);
        }
        return names;
    }

    /** A method by name: bicubic, lanczos, or a model (name or file) able to upscale by {@code scale}. */
    public static Method method(String name, io.github.superresolve.nn.ModelCatalog catalog, int scale, int channels) {
        if (name.equalsIgnoreCase("bicubic")) return interpolation("bicubic", Kernel.BICUBIC);
        if (name.equalsIgnoreCase("lanczos")) return interpolation("lanczos", Kernel.LANCZOS3);
        io.github.superresolve.nn.Model m = catalog.load(name);
        if (m.card().channels() != channels)
            throw new IllegalArgumentException("Model " + name + " has " + m.card().channels() + " channel(s), not " + channels
                    + ": set channels to " + m.card().channels() + ".");
        return network(m.card().name(), io.github.superresolve.infer.Upscalers.generatorFor(m, scale));
    }

    /** Interpolation as a method. */
    public static Method interpolation(String name, Kernel kernel) {
        return new Method() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public float[][] upscale(float[][] lr, int w, int h, int scale) {
                float[][] out = new float[lr.length][];
                for (int c = 0; c < lr.length; c++) out[c] = Resampler.resize(lr[c], w, h, w * scale, h * scale, kernel);
                return out;
            }
        };
    }

    /** A generator as a method (one pass over the whole input). */
    public static Method network(String name, Generator g) {
        return new Method() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public float[][] upscale(float[][] lr, int w, int h, int scale) {
                int c = lr.length;
                if (g.scale() != scale || g.channels() != c)
                    throw new IllegalArgumentException("Model " + name + " is x" + g.scale() + " with " + g.channels()
                            + " channel(s); the comparison is x" + scale + " with " + c + ".");
                float[] in = new float[c * w * h];
                for (int k = 0; k < c; k++) System.arraycopy(lr[k], 0, in, k * w * h, w * h);
                float[] out = g.run(in, 1, h, w);
                int n = w * scale * h * scale;
                float[][] planes = new float[c][n];
                for (int k = 0; k < c; k++) System.arraycopy(out, k * n, planes[k], 0, n);
                return planes;
            }
        };
    }

    /** A table in the study's layout (rows: methods). */
    public static String table(List<Row> rows, int scale, String data) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "x%d on %s%n", scale, data));
        boolean hf = rows.stream().anyMatch(r -> !Double.isNaN(r.highFrequency()));
        b.append(String.format(Locale.ROOT, "| %-24s | %10s | %9s | %7s |" + (hf ? " %s |" : "%s") + "%n", "method", "MSE (0-255)",
                "PSNR (dB)", "SSIM", hf ? "HF power vs truth" : ""));
        b.append("|").append("-".repeat(26)).append("|").append("-".repeat(13)).append("|").append("-".repeat(11)).append("|")
                .append("-".repeat(9)).append("|").append(hf ? "-".repeat(19) + "|" : "").append("\n");
        for (Row r : rows)
            b.append(String.format(Locale.ROOT, "| %-24s | %11.2f | %9.2f | %7.4f |" + (hf ? " %17.3f |" : "%s") + "%n", r.method(),
                    r.mse255(), r.psnr(), r.ssim(), hf ? (Object) r.highFrequency() : ""));
        return b.toString();
    }

    /** Clips to [0, 1] and rounds to 8-bit levels, as a saved 8-bit result would be. */
    static float[] quantise(float[] v) {
        float[] q = new float[v.length];
        for (int i = 0; i < v.length; i++) q[i] = Math.round(Math.max(0f, Math.min(1f, v[i])) * 255f) / 255f;
        return q;
    }
}
