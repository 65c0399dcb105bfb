package io.github.superresolve.image;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import io.github.superresolve.io.AtomicFile;
import ij.io.Opener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Reading and atomically writing images with ImageJ 1.x's readers and writers. */
public final class ImageFiles {

    private ImageFiles() {
    }

    /** Opens an image; throws {@link IllegalArgumentException} with a sentence naming the file. */
    public static ImagePlus open(Path file) {
        if (!Files.exists(file)) throw new IllegalArgumentException("Input " + file + " does not exist.");
        if (Files.isDirectory(file)) throw new IllegalArgumentException("Input " + file + " is a folder: give image files.");
        if (!Files.isReadable(file)) throw new IllegalArgumentException("Input " + file + " cannot be read: check its permissions.");
        ImagePlus imp;
        try {
            int type = new Opener().getFileType(file.toString());
            if (type == Opener.UNKNOWN || type == Opener.TEXT || type == Opener.JAVA_OR_TEXT)
                throw new IllegalArgumentException("Input " + file + " is not an image ImageJ can read (TIFF, PNG, JPEG, GIF, BMP, DICOM...).");
            if (type == Opener.TIFF) checkTiffComplete(file);
            imp = quietly(() -> new Opener().openImage(file.toString()));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new IllegalArgumentException("Input " + file + " cannot be read as an image (" + e.getClass().getSimpleName() + "): the file may be damaged.");
        }
        if (imp == null || imp.getStack() == null || imp.getStackSize() == 0 || imp.getWidth() == 0)
            throw new IllegalArgumentException("Input " + file + " cannot be read as an image: the file may be damaged or of an unsupported format.");
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

    /**
     * Refuses a TIFF whose pixel data runs past the end of the file (an interrupted copy or download):
     * ImageJ's reader fills the missing rows with zeros without a word. The end of the data is taken
     * from the TIFF's own directory: the end of its last strip, and for an uncompressed ImageJ stack
     * (one directory for all planes) the offset plus every plane and the gaps between them.
     */
    static void checkTiffComplete(Path file) {
        ij.io.FileInfo[] info;
        try {
            Path abs = file.toAbsolutePath();
            info = new ij.io.TiffDecoder(abs.getParent().toString() + java.io.File.separator, abs.getFileName().toString()).getTiffInfo();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Input " + file + " is not a readable TIFF (" + e.getMessage() + "): the file may be damaged.");
        }
        if (info == null || info.length == 0)
            throw new IllegalArgumentException("Input " + file + " is not a readable TIFF: the file may be damaged.");
        long needed = 0;
        for (ij.io.FileInfo fi : info) {
            if (fi.stripOffsets != null && fi.stripLengths != null)
                for (int i = 0; i < Math.min(fi.stripOffsets.length, fi.stripLengths.length); i++)
                    needed = Math.max(needed, (fi.stripOffsets[i] & 0xffffffffL) + (fi.stripLengths[i] & 0xffffffffL));
            if (fi.compression <= ij.io.FileInfo.COMPRESSION_NONE && fi.width > 0 && fi.height > 0) {
                long plane = (long) fi.width * fi.height * Math.max(1, fi.getBytesPerPixel());
                int n = Math.max(1, fi.nImages);
                needed = Math.max(needed, fi.getOffset() + n * plane + (n - 1) * (long) Math.max(0, fi.gapBetweenImages));
            }
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("Input " + file + " cannot be read: " + e.getMessage());
        }
        if (needed > size)
            throw new IllegalArgumentException("Input " + file + " is cut short: its pixel data needs " + needed + " bytes but the file holds "
                    + size + " (an interrupted copy or download?): copy it again.");
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
            throw new IllegalArgumentException("Input folder " + dir + " cannot be listed: check its permissions.");
        }
        if (files.isEmpty()) throw new IllegalArgumentException("No images found in " + dir + ": " + NO_IMAGES);
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
            throw new IllegalArgumentException("Output folder " + dir + " cannot be created: choose another folder.");
        }
        if (!Files.isWritable(dir)) throw new IllegalArgumentException("Output folder " + dir + " is not writable: choose another folder.");
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
