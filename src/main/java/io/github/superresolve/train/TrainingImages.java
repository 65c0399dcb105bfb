package io.github.superresolve.train;

import ij.ImagePlus;
import io.github.superresolve.image.ImageFiles;
import io.github.superresolve.image.NormalisedPlanes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The images of a training folder, as planes of normalised intensities ready to be cropped.
 *
 * <p>A folder is searched recursively for image files whose name contains an optional filter. Each
 * 2-D plane of each image is a <em>sample</em>: for 3-channel training an RGB plane (or a grey plane
 * repeated three times), for 1-channel training a grey plane (RGB as luminance, every channel of a
 * multichannel image on its own). Intensities are scaled to [0, 1]: 8-bit and RGB by 255, 16-bit and
 * float planes by their 0.1 and 99.9 percentiles, as inference does. Files that cannot be read, and
 * planes smaller than the patch, are reported once through the warning callback and left out.
 *
 * <p>Decoded planes are kept in memory up to a budget; beyond it the least recently used are dropped
 * and decoded again when needed. With {@code lrDir}, samples are pairs: the low-resolution image of
 * the same name (without extension) in {@code lrDir}, which must be the high-resolution size / scale.
 */
public final class TrainingImages {

    /** One training plane (or pair of planes). */
    public record Sample(Path file, Path lrFile, int plane, int width, int height, String label) {
    }

    private final List<Sample> samples;
    private final int channels;
    private final long budgetBytes;
    private final Map<String, NormalisedPlanes> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;

    private TrainingImages(List<Sample> samples, int channels, long budgetBytes) {
        this.samples = samples;
        this.channels = channels;
        this.budgetBytes = budgetBytes;
    }

    /**
     * Scans a folder.
     *
     * @param hrDir     high-resolution images (searched recursively)
     * @param lrDir     matching low-resolution images, or null to make inputs by bicubic downsampling
     * @param filter    part of the file name an image must contain, or null/empty for all
     * @param channels  1 or 3
     * @param minSide   smallest usable width/height of a high-resolution plane
     * @param scale     the scale (for checking pairs)
     * @param cacheMb   memory budget for decoded planes
     * @param warn      receives one sentence per skipped file
     * @throws IllegalArgumentException when the folder is missing or holds no usable image
     */
    public static TrainingImages scan(Path hrDir, Path lrDir, String filter, int channels, int minSide, int scale,
                                      long cacheMb, Consumer<String> warn) {
        if (hrDir == null || !Files.isDirectory(hrDir))
            throw new IllegalArgumentException("Training folder " + hrDir + " does not exist or is not a folder: choose a folder of images.");
        if (lrDir != null && !Files.isDirectory(lrDir))
            throw new IllegalArgumentException("Low-resolution folder " + lrDir + " does not exist or is not a folder.");
        List<Path> files = listImages(hrDir, filter);
        if (files.isEmpty())
            throw new IllegalArgumentException("No images found in " + hrDir + (filter == null || filter.isEmpty() ? "" : " whose name contains '" + filter + "'")
                    + ": it needs .tif, .png, .jpg, .gif or .bmp files (subfolders are searched too).");
        Map<String, Path> lrByName = new HashMap<>();
        if (lrDir != null) for (Path f : listImages(lrDir, null)) lrByName.put(baseName(f), f);
        TrainingImages t = new TrainingImages(new ArrayList<>(), channels, Math.max(64, cacheMb) << 20);
        for (Path f : files) {
            ImagePlus imp;
            try {
                imp = ImageFiles.open(f);
            } catch (IllegalArgumentException | OutOfMemoryError e) {
                warn.accept("Skipped " + f + ": " + (e.getMessage() == null ? "it cannot be read." : e.getMessage()));
                continue;
            }
            Path lr = null;
            if (lrDir != null) {
                lr = lrByName.get(baseName(f));
                if (lr == null) {
                    warn.accept("Skipped " + f + ": no image of the same name in " + lrDir + ".");
                    continue;
                }
                ImagePlus lrImp;
                try {
                    lrImp = ImageFiles.open(lr);
                } catch (IllegalArgumentException e) {
                    warn.accept("Skipped " + f + ": " + e.getMessage());
                    continue;
                }
                if (lrImp.getWidth() * scale != imp.getWidth() || lrImp.getHeight() * scale != imp.getHeight()
                        || lrImp.getStackSize() != imp.getStackSize()) {
                    warn.accept("Skipped " + f + ": it is " + imp.getWidth() + "x" + imp.getHeight() + " but " + lr.getFileName()
                            + " is " + lrImp.getWidth() + "x" + lrImp.getHeight() + ", not 1/" + scale + " of it.");
                    continue;
                }
            }
            if (imp.getWidth() < minSide || imp.getHeight() < minSide) {
                warn.accept("Skipped " + f + ": it is " + imp.getWidth() + "x" + imp.getHeight()
                        + ", smaller than the " + minSide + "x" + minSide + " needed for a training patch.");
                continue;
            }
            int planes = planeCount(imp, channels);
            for (int p = 0; p < planes; p++) {
                String label = f.getFileName() + (planes > 1 ? " plane " + (p + 1) : "");
                Sample s = new Sample(f, lr, p, imp.getWidth(), imp.getHeight(), label);
                t.samples.add(s);
                if (lr == null) t.put(s, NormalisedPlanes.decode(imp, p, channels));
            }
        }
        if (t.samples.isEmpty())
            throw new IllegalArgumentException("None of the " + files.size() + " images in " + hrDir
                    + " can be used for training (see the warnings): they must be readable and at least " + minSide + "x" + minSide + ".");
        return t;
    }

    private static List<Path> listImages(Path dir, String filter) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(f -> {
                String n = f.getFileName().toString();
                int dot = n.lastIndexOf('.');
                return !n.startsWith(".") && dot > 0 && ImageFiles.IMAGE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT))
                        && (filter == null || filter.isEmpty() || n.contains(filter));
            }).sorted().toList();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Folder " + dir + " cannot be listed: check its permissions.");
        }
    }

    private static String baseName(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** Samples per image: RGB planes (z, t) for RGB data; in grey mode every channel too. */
    private static int planeCount(ImagePlus imp, int channels) {
        if (imp.getType() == ImagePlus.COLOR_RGB || channels == 1) return imp.getStackSize();
        // 3-channel training on a multichannel image: one sample per z/t position (first 3 channels)
        return imp.getNChannels() >= 3 ? imp.getNSlices() * imp.getNFrames() : imp.getStackSize();
    }

    public List<Sample> samples() {
        return samples;
    }

    public int size() {
        return samples.size();
    }

    public int channels() {
        return channels;
    }

    /** The high-resolution planes of a sample (decoded again if they left the cache). */
    public synchronized NormalisedPlanes planes(int index) {
        Sample s = samples.get(index);
        NormalisedPlanes p = cache.get(key(s, false));
        if (p != null) return p;
        p = NormalisedPlanes.decode(ImageFiles.open(s.file()), s.plane(), channels);
        put(s, p);
        return p;
    }

    /** The low-resolution planes of a paired sample. */
    public synchronized NormalisedPlanes lowResPlanes(int index) {
        Sample s = samples.get(index);
        if (s.lrFile() == null) throw new IllegalStateException(s.label() + " has no low-resolution pair.");
        NormalisedPlanes p = cache.get(key(s, true));
        if (p != null) return p;
        p = NormalisedPlanes.decode(ImageFiles.open(s.lrFile()), s.plane(), channels);
        cache.put(key(s, true), p);
        cachedBytes += p.bytes();
        evict();
        return p;
    }

    private void put(Sample s, NormalisedPlanes p) {
        cache.put(key(s, false), p);
        cachedBytes += p.bytes();
        evict();
    }

    private void evict() {
        var it = cache.entrySet().iterator();
        while (cachedBytes > budgetBytes && cache.size() > 1 && it.hasNext()) {
            cachedBytes -= it.next().getValue().bytes();
            it.remove();
        }
    }

    private static String key(Sample s, boolean lr) {
        return (lr ? "lr:" : "hr:") + s.file() + "#" + s.plane();
    }

    /** Megapixels of all samples (for reports). */
    public double megapixels() {
        double mp = 0;
        for (Sample s : samples) mp += (double) s.width() * s.height() / 1e6;
        return mp;
    }
}
