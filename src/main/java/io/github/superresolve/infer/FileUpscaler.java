package io.github.superresolve.infer;

import ij.ImagePlus;
import io.github.superresolve.image.DeclaredImage;
import io.github.superresolve.image.HeapBudget;
import io.github.superresolve.image.ImageFiles;
import io.github.superresolve.io.BoundedRead;
import io.github.superresolve.io.Printable;

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
 *
 * <p>Before a pixel is read, the file's header is checked ({@link ImageFiles#inspect}) and what it
 * declares must be upscalable: at least {@link ImageUpscaler#MIN_SIZE} pixels a side, an output plane
 * ImageJ can hold, and the input, its output and the working buffers within the Java heap
 * ({@link HeapBudget}). An 8-bit indexed-colour image (a GIF, a palette PNG or BMP) is made RGB,
 * which loses nothing, and upscaled as RGB. Sentences name the input by its path.
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
     *                                  too large for memory, of a type that cannot be upscaled, or its
     *                                  output would replace it
     */
    public Prepared prepare(Path input, Path dir) throws IOException {
        String who = "Input " + Printable.escape(input);
        DeclaredImage d = ImageFiles.inspect(input);
        ImageUpscaler.checkSize(who, d.width(), d.height(), up.scale());
        int depth = d.indexed() ? 24 : d.bitDepth();
        long rgbCopy = d.indexed() ? d.planes() * d.width() * d.height() * 4 : 0;
        long need = d.pixelBytes() + rgbCopy + Math.max(d.readerBytes(), ImageUpscaler.heapBytes(d.width(), d.height(), d.planes(), depth, up, options));
        if (!HeapBudget.fits(need))
            throw new IllegalArgumentException(who + " declares " + d.describe() + "; upscaling it x" + up.scale() + " needs "
                    + BoundedRead.human(need) + ", more than the " + HeapBudget.describe() + " Java may use here: use a smaller scale, "
                    + HeapBudget.ADVICE + ".");
        ImagePlus imp = ImageFiles.read(input, d);
        if (ImageUpscaler.indexedColour(imp)) imp = rgb(imp);
        ImageUpscaler.validate(imp, up.scale());
        Path target = ImageFiles.outputPath(input, dir, imp.getStackSize(),
                imp.getBitDepth() == 32 || options.bitDepth() == ImageUpscaler.BitDepth.FLOAT32);
        if (Files.exists(target) && Files.isSameFile(target, input))
            throw new IllegalArgumentException("Output " + Printable.escape(target) + " would replace its input: choose another output folder.");
        return new Prepared(input, imp, target);
    }

    /** An indexed-colour image as RGB: each pixel its palette's colour (nothing lost), title and calibration kept. */
    static ImagePlus rgb(ImagePlus indexed) {
        ImagePlus copy = indexed.duplicate();
        copy.setTitle(indexed.getTitle());
        if (copy.getStackSize() > 1) new ij.process.StackConverter(copy).convertToRGB();
        else new ij.process.ImageConverter(copy).convertToRGB();
        copy.setCalibration(indexed.getCalibration());
        return copy;
    }

    /** Upscales a prepared input and writes it atomically to its target (replacing what is there). */
    public Written write(Prepared p, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        ImagePlus result = ImageUpscaler.upscale(p.image(), Printable.escape(p.input()), up, options, progress);
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
