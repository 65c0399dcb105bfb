package io.github.superresolve.train;

import io.github.superresolve.image.ImageFiles;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;
import io.github.superresolve.metrics.ImageMetrics;
import io.github.superresolve.nn.Generator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Scores a generator on held-out images following the project's quality protocol: each image is
 * centre-cropped to at most {@code maxSide} pixels with sides a multiple of the scale, downsampled by
 * antialiased bicubic to make the input, super-resolved in one pass, clipped and rounded to 8 bits,
 * and compared with the ground truth without a border of {@code scale} pixels: PSNR over all
 * channels (RGB, or luminance for 1-channel models), SSIM averaged over channels. Bicubic
 * interpolation of the same input is scored alongside.
 */
public final class Validator {

    /** Mean scores over the images. */
    public record Score(double psnr, double ssim, double bicubicPsnr, double bicubicSsim, int images) {
        public double gain() {
            return psnr - bicubicPsnr;
        }
    }

    private record Image(String name, float[][] hr, float[][] lr, int w, int h) {
    }

    private final List<Image> images = new ArrayList<>();
    private final int scale, channels;
    private Score bicubic;

    private Validator(int scale, int channels) {
        this.scale = scale;
        this.channels = channels;
    }

    /** Loads the images directly in {@code dir} (unreadable ones are reported and skipped). */
    public static Validator load(Path dir, int channels, int scale, int maxSide, Consumer<String> warn) {
        if (!Files.isDirectory(dir))
            throw new IllegalArgumentException("Validation folder " + dir + " does not exist or is not a folder.");
        Validator v = new Validator(scale, channels);
        for (Path f : ImageFiles.imagesIn(dir)) {
            TrainingImages.Planes p;
            try {
                p = TrainingImages.decode(ImageFiles.open(f), 0, channels);
            } catch (IllegalArgumentException e) {
                warn.accept("Skipped validation image " + f + ": " + e.getMessage());
                continue;
            }
            int w = Math.min(maxSide, p.width()) / scale * scale, h = Math.min(maxSide, p.height()) / scale * scale;
            if (w / scale < 8 || h / scale < 8) {
                warn.accept("Skipped validation image " + f + ": too small for x" + scale + ".");
                continue;
            }
            int x0 = (p.width() - w) / 2, y0 = (p.height() - h) / 2;
            float[][] hr = new float[channels][], lr = new float[channels][];
            for (int c = 0; c < channels; c++) {
                hr[c] = PatchSampler.crop(p.data()[c], p.width(), x0, y0, w, h);
                lr[c] = Resampler.resize(hr[c], w, h, w / scale, h / scale, Kernel.BICUBIC);
            }
            v.images.add(new Image(f.getFileName().toString(), hr, lr, w, h));
        }
        if (v.images.isEmpty())
            throw new IllegalArgumentException("No usable validation images in " + dir + ".");
        return v;
    }

    public int size() {
        return images.size();
    }

    /** Scores the generator (and, once, bicubic). */
    public Score evaluate(Generator generator) {
        if (generator.config().scale() != scale || generator.config().channels() != channels)
            throw new IllegalArgumentException("The validator was built for x" + scale + " with " + channels + " channels.");
        if (bicubic == null) bicubic = score(img -> {
            float[][] out = new float[channels][];
            for (int c = 0; c < channels; c++)
                out[c] = Resampler.resize(img.lr[c], img.w / scale, img.h / scale, img.w, img.h, Kernel.BICUBIC);
            return out;
        }, null);
        return score(img -> {
            int lw = img.w / scale, lh = img.h / scale;
            float[] in = new float[channels * lw * lh];
            for (int c = 0; c < channels; c++) System.arraycopy(img.lr[c], 0, in, c * lw * lh, lw * lh);
            float[] out = generator.run(in, 1, lh, lw);
            float[][] planes = new float[channels][];
            for (int c = 0; c < channels; c++) {
                planes[c] = new float[img.w * img.h];
                System.arraycopy(out, c * img.w * img.h, planes[c], 0, img.w * img.h);
            }
            return planes;
        }, bicubic);
    }

    private Score score(java.util.function.Function<Image, float[][]> method, Score base) {
        double psnr = 0, ssim = 0;
        for (Image img : images) {
            float[][] sr = method.apply(img);
            int bw = img.w - 2 * scale, bh = img.h - 2 * scale;
            double mse = 0, s = 0;
            for (int c = 0; c < channels; c++) {
                float[] truth = quantise(PatchSampler.crop(img.hr[c], img.w, scale, scale, bw, bh));
                float[] test = quantise(PatchSampler.crop(sr[c], img.w, scale, scale, bw, bh));
                mse += ImageMetrics.mse(truth, test) / channels;
                s += ImageMetrics.ssim(truth, test, bw, bh, 1.0) / channels;
            }
            psnr += ImageMetrics.psnrFromMse(mse, 1.0) / images.size();
            ssim += s / images.size();
        }
        return base == null ? new Score(psnr, ssim, psnr, ssim, images.size())
                : new Score(psnr, ssim, base.psnr, base.ssim, images.size());
    }

    /** Clips to [0, 1] and rounds to 8-bit levels, as a saved 8-bit result would be. */
    private static float[] quantise(float[] v) {
        float[] q = new float[v.length];
        for (int i = 0; i < v.length; i++) q[i] = Math.round(Math.max(0f, Math.min(1f, v[i])) * 255f) / 255f;
        return q;
    }
}
