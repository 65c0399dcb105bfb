package io.github.superresolve.train;

import io.github.superresolve.eval.Comparison;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.nn.Generator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Scores a generator on held-out images during training, following the project's quality protocol
 * (see {@link Comparison}: centre crops, bicubic-downsampled inputs, 8-bit rounding, border of
 * {@code scale} pixels; RGB, or luminance for 1-channel models). Bicubic is scored alongside, once.
 */
public final class Validator {

    /** Mean scores over the images. */
    public record Score(double psnr, double ssim, double bicubicPsnr, double bicubicSsim, int images) {
        public double gain() {
            return psnr - bicubicPsnr;
        }
    }

    private final Comparison comparison;
    private Comparison.Row bicubic;

    private Validator(Comparison comparison) {
        this.comparison = comparison;
    }

    /** Loads the images directly in {@code dir} (unreadable ones are reported and skipped). */
    public static Validator load(Path dir, int channels, int scale, int maxSide, Consumer<String> warn) {
        if (!Files.isDirectory(dir))
            throw new IllegalArgumentException("Validation folder " + dir + " does not exist or is not a folder.");
        return new Validator(Comparison.load(dir, channels, scale, maxSide, warn));
    }

    public int size() {
        return comparison.size();
    }

    /** Scores the generator (and, the first time, bicubic). */
    public Score evaluate(Generator generator) {
        if (bicubic == null) bicubic = comparison.score(Comparison.interpolation("bicubic", Kernel.BICUBIC));
        Comparison.Row r = comparison.score(Comparison.network("network", generator));
        return new Score(r.psnr(), r.ssim(), bicubic.psnr(), bicubic.ssim(), r.images());
    }
}
