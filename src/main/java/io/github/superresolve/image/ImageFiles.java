package io.github.superresolve.image;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import io.github.superresolve.io.AtomicFile;
import io.github.superresolve.io.Printable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reading and atomically writing images with ImageJ 1.x's readers and writers. A file is checked
 * before ImageJ decodes it ({@link #inspect}: header, damage, declared size against the heap), so that
 * a stranger's file ends in one sentence naming it, in time and memory bounded by its size and the
 * heap, instead of in a loop, a filled heap or a silently zero-filled image.
 */
public final class ImageFiles {

    private ImageFiles() {
    }

    /**
     * Opens an image: {@link #inspect} then {@link #read}.
     *
     * @throws IllegalArgumentException with one sentence naming the file
     */
    public static ImagePlus open(Path file) {
        return read(file, inspect(file));
    }

    /**
     * Checks an image file before anything is decoded: that it exists and is an image ImageJ reads, and
     * what its header declares ({@link ImageHeaders}: damaged, cut short or absurd headers refused,
     * bounded in time and memory), and that reading it fits the heap ({@link HeapBudget}).
     *
     * @throws IllegalArgumentException with one sentence naming the file
     */
    public static DeclaredImage inspect(Path file) {
        String name = Printable.escape(file);
        if (!Files.exists(file)) throw new IllegalArgumentException("Input " + name + " does not exist.");
        if (Files.isDirectory(file)) throw new IllegalArgumentException("Input " + name + " is a folder: give image files.");
        if (!Files.isReadable(file)) throw new IllegalArgumentException("Input " + name + " cannot be read: check its permissions.");
        int type;
        try {
            type = new Opener().getFileType(file.toString());
        } catch (RuntimeException e) {
            type = Opener.UNKNOWN;
        }
        if (type == Opener.UNKNOWN || type == Opener.TEXT || type == Opener.JAVA_OR_TEXT)
            throw new IllegalArgumentException("Input " + name + " is not an image ImageJ can read (TIFF, PNG, JPEG, GIF, BMP, DICOM...).");
        return ImageHeaders.read(file, type);
    }

    /**
     * Reads an image {@link #inspect} has passed with ImageJ's readers.
     *
     * @throws IllegalArgumentException with one sentence naming the file when ImageJ's reader fails anyway
     */
    public static ImagePlus read(Path file, DeclaredImage declared) {
        String name = Printable.escape(file);
        ImagePlus imp;
        try {
            imp = quietly(() -> new Opener().openImage(file.toString()));
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new IllegalArgumentException("Input " + name + " cannot be read as " + declared.format() + ": the file may be damaged.");
        }
        if (imp == null || imp.getStack() == null || imp.getStackSize() == 0 || imp.getWidth() == 0)
            throw new IllegalArgumentException("Input " + name + " cannot be read as " + declared.format() + ": the file may be damaged or of an unsupported kind.");
        return imp;
    }

    /** Set by the command-line tool, which owns the console: see {@link #quietly}. */
    public static volatile boolean quietReaders;

    /**
     * Runs an ImageJ reader without its console chatter when {@link #quietReaders} is set: without a
     * window, ImageJ's readers print their own errors to standard output ("Open Using ImageIO:
     * javax.imageio.IIOException: ..."), beside the one sentence the tool gives. Standard output is
     * process-wide, so only the command-line tool, which owns it, asks for this; in ImageJ and Fiji the
     * readers' messages go to the Log as usual.
     */
    private static synchronized <T> T quietly(java.util.function.Supplier<T> reader) {
        if (!quietReaders || ij.IJ.getInstance() != null) return reader.get();
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            return reader.get();
        } finally {
            System.setOut(out);
        }
    }

    /** File extensions a folder given as input is searched for (lower case, without the dot). */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("tif", "tiff", "png", "jpg", "jpeg", "gif", "bmp");

    /**
     * The image files directly in a folder (no subfolders, no hidden files such as unfinished outputs),
     * sorted by name; throws {@link IllegalArgumentException} naming the folder when there is none.
     */
    public static List<Path> imagesIn(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> {
                String n = f.getFileName().toString();
                return !n.startsWith(".") && isImageName(n) && Files.isRegularFile(f);
            }).sorted().toList();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Input folder " + Printable.escape(dir) + " cannot be listed: check its permissions.");
        }
        if (files.isEmpty()) throw new IllegalArgumentException("No images found in " + Printable.escape(dir) + ": " + NO_IMAGES);
        return files;
    }

    /** The end of the sentence for a folder without images. */
    public static final String NO_IMAGES = "it holds no .tif, .tiff, .png, .jpg, .jpeg, .gif or .bmp files.";

    /** Whether a file name has one of the {@link #IMAGE_EXTENSIONS} (case-insensitive). */
    public static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Output path for an input: same name in {@code dir}; TIFF stays TIFF; PNG stays PNG when a single
     * 8/16-bit grey or RGB plane; everything else (JPEG, GIF, BMP, float, stacks) becomes TIFF, which
     * keeps every plane, the bit depth and the calibration losslessly.
     */
    public static Path outputPath(Path input, Path dir, int planes, boolean float32) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        boolean png = ext.equals("png") && planes == 1 && !float32;
        if (png) return dir.resolve(base + ".png");
        if (ext.equals("tif") || ext.equals("tiff")) return dir.resolve(name);
        return dir.resolve(base + ".tif");
    }

    /** Creates an output folder if needed; throws {@link IllegalArgumentException} if it cannot be created or written. */
    public static Path outputFolder(String name) {
        Path dir = Path.of(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("Output folder " + Printable.escape(dir) + " cannot be created: choose another folder.");
        }
        if (!Files.isWritable(dir)) throw new IllegalArgumentException("Output folder " + Printable.escape(dir) + " is not writable: choose another folder.");
        return dir;
    }

    /** Writes atomically (temporary file in the same folder, then rename). */
    public static void save(ImagePlus imp, Path out) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (!Files.isWritable(dir)) throw new IOException("Output folder " + dir + " is not writable: choose another folder.");
        boolean png = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
        // ImageJ's writers choose the format by the temporary file's extension
        AtomicFile.write(out, png ? ".png" : ".tif", tmp -> {
            FileSaver fs = new FileSaver(imp);
            boolean ok;
            if (png) ok = fs.saveAsPng(tmp.toString());
            else if (imp.getStackSize() > 1) ok = fs.saveAsTiffStack(tmp.toString());
            else ok = fs.saveAsTiff(tmp.toString());
            if (!ok || !Files.exists(tmp)) throw new IOException("Could not write " + out + ": check free disk space and permissions.");
        });
    }

    static {
        // ImageJ 1.x prints errors of its readers through IJ.log/IJ.error; keep the CLI output clean.
        IJ.redirectErrorMessages(true);
    }
}
