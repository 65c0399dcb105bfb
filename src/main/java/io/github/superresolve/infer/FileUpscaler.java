package io.github.superresolve.infer;

import ij.ImagePlus;
import io.github.superresolve.image.ImageFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One image file in, one file out, as {@code super-resolve upscale} does it: opened with ImageJ's
 * readers, checked, upscaled by an {@link Upscaler}, written atomically beside the others under the
 * same name ({@link ImageFiles#outputPath}: PNG stays PNG, TIFF stays TIFF, the rest becomes TIFF),
 * calibration and bit depth kept. The command-line tool and the Spark application both go through
 * here, so a model gives the same bytes on a laptop and on a cluster.
 *
 * <p>Two steps, so that a caller can decide between them (skip an existing output, refuse two inputs
 * claiming one output): {@link #prepare} opens and checks, {@link #write} upscales and saves.
 */
public final class FileUpscaler {

    /** An opened, checked input and the file it is to be written to. */
    public record Prepared(Path input, ImagePlus image, Path target) {
    }

    /** What {@link #write} produced: the output, its size, and the seconds it took (upscaling and saving). */
    public record Written(Path target, int width, int height, long inputPixels, double seconds) {
    }

    private final Upscaler up;
    private final ImageUpscaler.Options options;

    public FileUpscaler(Upscaler up, ImageUpscaler.Options options) {
        this.up = up;
        this.options = options;
    }

    public Upscaler upscaler() {
        return up;
    }

    /**
     * Opens {@code input} and checks it can be upscaled; its output is in {@code dir}.
     *
     * @throws IllegalArgumentException with a sentence naming the file: unreadable, damaged, too small,
     *                                  of a type that cannot be upscaled, or its output would replace it
     */
    public Prepared prepare(Path input, Path dir) throws IOException {
        ImagePlus imp = ImageFiles.open(input);
        ImageUpscaler.validate(imp, up.scale());
        Path target = ImageFiles.outputPath(input, dir, imp.getStackSize(),
                imp.getBitDepth() == 32 || options.bitDepth() == ImageUpscaler.BitDepth.FLOAT32);
        if (Files.exists(target) && Files.isSameFile(target, input))
            throw new IllegalArgumentException("Output " + target + " would replace its input: choose another output folder.");
        return new Prepared(input, imp, target);
    }

    /** Upscales a prepared input and writes it atomically to its target (replacing what is there). */
    public Written write(Prepared p, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        ImagePlus result = ImageUpscaler.upscale(p.image(), up, options, progress);
        ImageFiles.save(result, p.target());
        return new Written(p.target(), result.getWidth(), result.getHeight(),
                (long) p.image().getWidth() * p.image().getHeight() * p.image().getStackSize(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The name an input's output will have, from the name alone (for a rerun to skip finished outputs
     * before opening anything): as {@link ImageFiles#outputPath} for a single plane. A PNG that turns out
     * to be a stack, which ImageJ's reader does not produce, would get a TIFF instead.
     */
    public String expectedOutputName(String inputName) {
        return ImageFiles.outputPath(Path.of(inputName), Path.of(""), 1, options.bitDepth() == ImageUpscaler.BitDepth.FLOAT32)
                .getFileName().toString();
    }
}
