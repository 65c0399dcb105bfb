package io.github.superresolve.infer;

import ij.ImagePlus;
import ij.ImageStack;
import ij.CompositeImage;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;
import ij.process.ShortProcessor;
import io.github.superresolve.image.DeclaredImage;
import io.github.superresolve.image.HeapBudget;
import io.github.superresolve.image.ImagePlanes;
import io.github.superresolve.image.IntensityMap;
import io.github.superresolve.image.NonFinitePixels;
import io.github.superresolve.image.Percentiles;
import io.github.superresolve.image.RaiTileSink;
import io.github.superresolve.image.RaiTileSource;
import io.github.superresolve.image.TileSink;
import io.github.superresolve.image.TileSource;
import io.github.superresolve.io.BoundedRead;
import io.github.superresolve.io.Printable;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Super-resolves a whole ImageJ image: every channel, slice and frame of a hyperstack, RGB through a
 * 3-channel network or channel by channel through a 1-channel one (a grey channel through an RGB
 * network is fed as R = G = B and the outputs averaged). Keeps C/Z/T, LUTs and display ranges; divides
 * the pixel width and height by the scale; output is the input's bit depth (rounded and clipped) or
 * 32-bit float. The input is never modified.
 *
 * <p>Intensities are normalised per channel to [0, 1] for the network and mapped back afterwards:
 * 8-bit and RGB by the type range, 16-bit and float by low/high percentiles of the whole channel
 * (all slices and frames), computed exactly from histograms. Interpolation, being linear, gets 32-bit
 * planes as they are. The arithmetic of the maps is double, results are clipped to the output type's
 * range (for 32-bit, to +-3.4e38), so values up to 3.4e38 give finite outputs.
 *
 * <p>NaN and infinite pixels of 32-bit images (masks, saturated detectors) are left out of the
 * percentiles, replaced by their nearest finite neighbour in the row for the upscaler, and set back
 * to their own value at the {@code scale x scale} output pixels each one becomes
 * ({@link NonFinitePixels}): an output is NaN or infinite exactly where its input was. Any other
 * non-finite output value (a network's arithmetic overflowing on values far outside the range it was
 * given) fails the image with one sentence; it is never returned.
 *
 * <p>Before the output planes are allocated, they and the working buffers are checked against the
 * Java heap ({@link #heapBytes}, {@link HeapBudget}).
 */
public final class ImageUpscaler {

    /** Smallest width or height accepted. */
    public static final int MIN_SIZE = 4;

    public enum BitDepth {
        SAME, FLOAT32;

        public static BitDepth parse(String s) {
            String v = s == null ? "same" : s.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "same", "same as input" -> SAME;
                case "32", "32-bit", "32-bit float", "float", "float32" -> FLOAT32;
                default -> throw new IllegalArgumentException("Output bit depth '" + s + "' is not known: use 'same' or '32-bit'.");
            };
        }
    }

    public enum Normalization {
        /** Type range for 8-bit and RGB; percentiles for 16-bit and float. */
        AUTO,
        /** Percentiles for every type. */
        PERCENTILE,
        /** Type range for integer types; values as they are for float (expected in [0, 1]). */
        NONE;

        public static Normalization parse(String s) {
            for (Normalization n : values()) if (n.name().equalsIgnoreCase(s == null ? "auto" : s.trim())) return n;
            throw new IllegalArgumentException("Normalization '" + s + "' is not known: use auto, percentile or none.");
        }
    }

    /** How to upscale. */
    public record Options(BitDepth bitDepth, Normalization normalization, double lowPercentile, double highPercentile) {
        public Options {
            if (!(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100))
                throw new IllegalArgumentException("Percentiles must satisfy 0 <= low < high <= 100, got " + lowPercentile + " and " + highPercentile + ".");
        }

        public static Options defaults() {
            return new Options(BitDepth.SAME, Normalization.AUTO, 0.1, 99.9);
        }
    }

    private ImageUpscaler() {
    }

    /** Checks that an image can be super-resolved; throws {@link IllegalArgumentException} saying why not. */
    public static void validate(ImagePlus imp, int scale) {
        if (imp == null) throw new IllegalArgumentException("No image is open: open an image first.");
        String t = imp.getTitle();
        checkSize("Image '" + Printable.escape(t) + "'", imp.getWidth(), imp.getHeight(), scale);
        if (indexedColour(imp))
            throw new IllegalArgumentException("Image '" + Printable.escape(t) + "' is 8-bit indexed colour: convert it to RGB (Image > Type > RGB Color) first.");
    }

    /**
     * Whether an image's pixels are palette entries rather than intensities: ImageJ's 8-bit indexed
     * colour, or an 8-bit image whose LUT is a palette (a GIF, a palette PNG), not a pseudocolour ramp
     * such as Fire or Green (ImageJ's own test of an image that can be filtered). Interpolating palette
     * entries gives colours that are nowhere in the image.
     */
    public static boolean indexedColour(ImagePlus imp) {
        if (imp.getType() == ImagePlus.COLOR_256) return true;
        if (imp.getBitDepth() != 8 || imp.isComposite() || imp.getProcessor() == null) return false;
        ImageProcessor ip = imp.getProcessor();
        return ip.isColorLut() && !ip.isPseudoColorLut();
    }

    /**
     * Refuses planes smaller than {@link #MIN_SIZE} and outputs larger than an ImageJ plane holds;
     * {@code who} names the image ("Image 'cells.tif'", "Input /data/cells.tif").
     */
    public static void checkSize(String who, long width, long height, int scale) {
        if (width < MIN_SIZE || height < MIN_SIZE)
            throw new IllegalArgumentException(who + " is " + width + "x" + height
                    + " pixels; Super-Resolve needs at least " + MIN_SIZE + "x" + MIN_SIZE + " pixels.");
        if (width * scale * height * scale > Integer.MAX_VALUE)
            throw new IllegalArgumentException(who + " would become " + width * scale + "x" + height * scale
                    + " pixels per plane, more than ImageJ can hold (2^31): crop it or use a smaller scale.");
    }

    /** Heap the upscaler's bands, tiles and histograms may hold besides the planes: generous. */
    static final long WORKING_HEAP = 64L << 20;

    /**
     * Java heap an upscale allocates besides its input: every output plane (all are kept until the
     * result is made), plus one plane's working buffers (RGB's three 8-bit planes, a 32-bit plane's
     * copy with its NaN pixels filled, a recursive network's intermediate planes) and
     * {@link #WORKING_HEAP}.
     *
     * @param bitDepth ImageJ's bit depth of the input: 8, 16, 24 (RGB) or 32
     */
    public static long heapBytes(long width, long height, long planes, int bitDepth, Upscaler up, Options o) {
        int s = up.scale();
        long outPixels = width * s * height * s;
        boolean rgb = bitDepth == 24, float32 = o.bitDepth() == BitDepth.FLOAT32;
        long perPixel = float32 ? (rgb ? 12 : 4) : DeclaredImage.bytesPerPixel(bitDepth);
        long working = WORKING_HEAP;
        if (rgb && !float32) working += 3 * outPixels;
        if (bitDepth == 32) working += width * height * 4;
        if (up instanceof NetworkUpscaler n) working += n.intermediateBytes((int) Math.min(Integer.MAX_VALUE, width), (int) Math.min(Integer.MAX_VALUE, height));
        return planes * outPixels * perPixel + working;
    }

    /** Refuses an upscale whose output would not fit the heap ({@link HeapBudget}). */
    static void checkHeap(String who, long width, long height, long planes, int bitDepth, Upscaler up, Options o) {
        long need = heapBytes(width, height, planes, bitDepth, up, o);
        if (HeapBudget.fits(need)) return;
        int s = up.scale();
        boolean float32 = o.bitDepth() == BitDepth.FLOAT32;
        String kind = float32 ? "32-bit" : bitDepth == 24 ? "RGB" : bitDepth + "-bit";
        long outPlanes = bitDepth == 24 && float32 ? 3 * planes : planes;
        throw new IllegalArgumentException(who + " would become " + (outPlanes == 1 ? "one plane" : outPlanes + " planes") + " of "
                + width * s + "x" + height * s + " " + kind + " pixels (" + BoundedRead.human(need - WORKING_HEAP) + " with its working memory), more than the "
                + HeapBudget.describe() + " Java may use here: use a smaller scale, " + HeapBudget.ADVICE + ".");
    }

    /** Upscales an image; sentences name it by its title ("Image 'cells.tif'"). */
    public static ImagePlus upscale(ImagePlus imp, Upscaler up, Options o, Progress progress) {
        return upscale(imp, imp == null ? null : "'" + Printable.escape(imp.getTitle()) + "'", up, o, progress);
    }

    /**
     * Upscales an image (see the class comment); {@code name} is how sentences name it (a file's path,
     * or a title in quotes).
     *
     * @throws IllegalArgumentException with one sentence: the image cannot be upscaled, its output would
     *                                  not fit the heap, or the upscaler's output holds NaN or infinite
     *                                  values where the input had finite ones
     */
    public static ImagePlus upscale(ImagePlus imp, String name, Upscaler up, Options o, Progress progress) {
        try {
            return upscalePlanes(imp, name, up, o, progress);
        } finally {
            up.releaseLater(); // kept for the next image, freed when idle
        }
    }

    private static ImagePlus upscalePlanes(ImagePlus imp, String name, Upscaler up, Options o, Progress progress) {
        int s = up.scale();
        validate(imp, s);
        boolean rgb = imp.getType() == ImagePlus.COLOR_RGB;
        int w = imp.getWidth(), h = imp.getHeight(), nc = imp.getNChannels(), nz = imp.getNSlices(), nt = imp.getNFrames();
        checkHeap("Image " + name, w, h, (long) nc * nz * nt, imp.getBitDepth(), up, o);
        ImageStack in = imp.getStack();
        boolean float32In = imp.getBitDepth() == 32;
        // interpolation is linear: normalising before it and mapping back after changes nothing but
        // rounding, so 32-bit planes are interpolated as they are (no division by a narrow range to overflow)
        boolean asIs = float32In && up instanceof InterpolationUpscaler;
        int outC = rgb && o.bitDepth() == BitDepth.FLOAT32 ? 3 : nc;
        int comps = rgb ? 3 : 1; // components per input plane

        // intensity maps per input channel and component
        IntensityMap[][] maps = new IntensityMap[nc][comps], outMaps = new IntensityMap[nc][comps];
        IntensityRule rule = o.normalization() == Normalization.AUTO ? up.intensityRule() : null;
        for (int c = 0; c < nc; c++) {
            for (int k = 0; k < comps; k++) {
                List<RandomAccessibleInterval<? extends RealType<?>>> planes = new ArrayList<>();
                for (int t = 0; t < nt; t++)
                    for (int z = 0; z < nz; z++)
                        planes.add(ImagePlanes.channels(in.getPixels(imp.getStackIndex(c + 1, z + 1, t + 1)), w, h).get(k));
                maps[c][k] = asIs ? IntensityMap.IDENTITY : intensityMap(imp, planes, o);
                outMaps[c][k] = maps[c][k];
                if (rule != null) {
                    maps[c][k] = rule.input(planes);
                    outMaps[c][k] = rule.output(maps[c][k]);
                }
            }
        }

        ImageStack out = new ImageStack(w * s, h * s);
        long passesPerPlane = rgb ? (up.channels() == 3 ? 1 : 3) : 1;
        long unitsPerPass = up.workUnits(w, h);
        long total = (long) nc * nz * nt * passesPerPlane * unitsPerPass;
        long done = 0;
        ImageProcessor[] outPlanes = new ImageProcessor[outC * nz * nt];
        for (int t = 0; t < nt; t++)
            for (int z = 0; z < nz; z++)
                for (int c = 0; c < nc; c++) {
                    Object pixels = in.getPixels(imp.getStackIndex(c + 1, z + 1, t + 1));
                    // NaN and infinite pixels: filled for the upscaler, put back at their output pixels below
                    float[] masked = pixels instanceof float[] f && NonFinitePixels.count(f) > 0 ? f : null;
                    Object fed = masked == null ? pixels : NonFinitePixels.filled(masked, w, h);
                    List<RandomAccessibleInterval<? extends RealType<?>>> src = ImagePlanes.channels(fed, w, h);
                    Guard guard = new Guard(name, up, pixels, maps[c][0]);
                    if (rgb && o.bitDepth() == BitDepth.FLOAT32) {
                        List<RandomAccessibleInterval<? extends RealType<?>>> dst = new ArrayList<>();
                        for (int k = 0; k < 3; k++) {
                            FloatProcessor fp = new FloatProcessor(w * s, h * s);
                            outPlanes[(t * nz + z) * outC + k] = fp;
                            dst.add(ImagePlanes.channels(fp.getPixels(), w * s, h * s).get(0));
                        }
                        done = run(up, src, dst, maps[c], outMaps[c], progress, done, total, unitsPerPass, guard);
                    } else {
                        ImageProcessor op = newProcessor(imp, o, w * s, h * s);
                        outPlanes[(t * nz + z) * outC + c] = op;
                        if (op instanceof ColorProcessor cp) {
                            // written as three 8-bit planes, then packed: ImgLib2's ARGB channel views
                            // sign-extend values >= 128 when writing and corrupt the other channels
                            byte[][] rgbOut = new byte[3][w * s * h * s];
                            List<RandomAccessibleInterval<? extends RealType<?>>> dst = new ArrayList<>();
                            for (byte[] b : rgbOut) dst.add(ImagePlanes.channels(b, w * s, h * s).get(0));
                            done = run(up, src, dst, maps[c], outMaps[c], progress, done, total, unitsPerPass, guard);
                            cp.setRGB(rgbOut[0], rgbOut[1], rgbOut[2]);
                        } else {
                            List<RandomAccessibleInterval<? extends RealType<?>>> dst = ImagePlanes.channels(op.getPixels(), w * s, h * s);
                            done = run(up, src, dst, maps[c], outMaps[c], progress, done, total, unitsPerPass, guard);
                            if (masked != null) NonFinitePixels.restore(masked, w, h, s, (float[]) op.getPixels());
                        }
                    }
                }
        for (int i = 0; i < outPlanes.length; i++) {
            int c = i % outC, z = (i / outC) % nz, t = i / (outC * nz);
            String label = outC == nc ? in.getSliceLabel(imp.getStackIndex(c + 1, z + 1, t + 1)) : null;
            out.addSlice(label, outPlanes[i]);
        }
        ImagePlus result = new ImagePlus(outputTitle(imp.getTitle(), up), out);
        result.setDimensions(outC, nz, nt);
        if (imp.isHyperStack() || outC > 1 || nt > 1) result.setOpenAsHyperStack(true);
        Calibration cal = imp.getCalibration().copy();
        if (cal.scaled()) {
            // pixels get smaller; an uncalibrated image (unit "pixel") stays uncalibrated, as with
            // ImageJ's own Image > Scale (1/r "pixel" would make ImageJ title a 512 x 512 result "128x128 pixels")
            cal.pixelWidth /= s;
            cal.pixelHeight /= s;
        }
        cal.xOrigin *= s;
        cal.yOrigin *= s;
        if (result.getBitDepth() == 32 && imp.getBitDepth() != 32) cal.disableDensityCalibration();
        result.setCalibration(cal);
        String info = imp.getInfoProperty();
        String line = "Super-Resolve: " + up.name() + " x" + s + " of '" + imp.getTitle() + "' (" + w + "x" + h + ")";
        result.setProperty("Info", info == null || info.isEmpty() ? line : info + "\n" + line);
        result = withDisplay(imp, result, outC);
        progress.report(total, total);
        return result;
    }

    private static long run(Upscaler up, List<RandomAccessibleInterval<? extends RealType<?>>> src,
                            List<RandomAccessibleInterval<? extends RealType<?>>> dst, IntensityMap[] inMaps,
                            IntensityMap[] outMaps, Progress progress, long done, long total, long units, Guard guard) {
        if (src.size() == up.channels()) {
            TileSource ts = new RaiTileSource(src, inMaps);
            up.upscale(ts, guard.watch(new RaiTileSink(dst, outMaps)), progress.slice(done, units, total));
            guard.check();
            return done + units;
        }
        if (up.channels() == 1) { // RGB through a grey network: component by component
            for (int k = 0; k < src.size(); k++) {
                up.upscale(new RaiTileSource(List.of(src.get(k)), new IntensityMap[]{inMaps[k]}),
                        guard.watch(new RaiTileSink(List.of(dst.get(k)), new IntensityMap[]{outMaps[k]})), progress.slice(done, units, total));
                guard.check();
                done += units;
            }
            return done;
        }
        // a grey plane through an RGB network: R = G = B, outputs averaged
        TileSource grey = new RaiTileSource(src, inMaps);
        up.upscale(new ReplicatedSource(grey, up.channels()), new MeanSink(guard.watch(new RaiTileSink(dst, outMaps))),
                progress.slice(done, units, total));
        guard.check();
        return done + units;
    }

    /**
     * Refuses an output plane holding NaN or infinite values that the upscaler made (the input's own
     * non-finite pixels are filled before and put back after, so they are not counted): a network's
     * arithmetic overflowed on values far outside the range it was given.
     */
    private static final class Guard {
        private final String name;
        private final Upscaler up;
        private final Object pixels;
        private final IntensityMap map;
        private final List<RaiTileSink> sinks = new ArrayList<>();

        Guard(String name, Upscaler up, Object pixels, IntensityMap map) {
            this.name = name;
            this.up = up;
            this.pixels = pixels;
            this.map = map;
        }

        RaiTileSink watch(RaiTileSink sink) {
            sinks.add(sink);
            return sink;
        }

        void check() {
            long bad = 0;
            for (RaiTileSink k : sinks) bad += k.nonFinite();
            if (bad == 0) return;
            double largest = pixels instanceof float[] f ? NonFinitePixels.maxFinite(f) : pixels instanceof short[] ? 65535 : 255;
            String arithmetic = up instanceof NetworkUpscaler ? "the network's arithmetic" : "the arithmetic of " + up.name();
            String fix = map.equals(IntensityMap.IDENTITY)
                    ? "rescale the image (e.g. Process > Math > Multiply) and try again"
                    : "clip its extreme values (Process > Math > Min... and Max...) or set them to NaN, which Super-Resolve leaves out, and try again";
            String up = String.format(Locale.ROOT, "%.1e", largest).replace("e+", "e");
            throw new IllegalArgumentException("Super-Resolve's output for " + name + " holds infinite or NaN values (its values, up to "
                    + up + ", overflow " + arithmetic + "): " + fix + ".");
        }
    }

    /**
     * A channel's map to the networks' range: the type's range, or percentiles of its finite pixels
     * (NaN and infinite ones are left out, and kept as they are: see {@link NonFinitePixels}).
     */
    private static IntensityMap intensityMap(ImagePlus imp, List<RandomAccessibleInterval<? extends RealType<?>>> planes, Options o) {
        int bd = imp.getBitDepth();
        boolean percentile = o.normalization() == Normalization.PERCENTILE
                || (o.normalization() == Normalization.AUTO && (bd == 16 || bd == 32));
        if (percentile) {
            Percentiles.Result r = Percentiles.compute(planes, o.lowPercentile(), o.highPercentile());
            return new IntensityMap(r.low(), r.high());
        }
        if (bd == 32) return IntensityMap.IDENTITY;
        return new IntensityMap(0, bd == 16 ? 65535 : 255);
    }

    private static ImageProcessor newProcessor(ImagePlus imp, Options o, int w, int h) {
        if (o.bitDepth() == BitDepth.FLOAT32) return new FloatProcessor(w, h);
        return switch (imp.getBitDepth()) {
            case 8 -> new ByteProcessor(w, h);
            case 16 -> new ShortProcessor(w, h);
            case 24 -> new ColorProcessor(w, h);
            default -> new FloatProcessor(w, h);
        };
    }

    /** The result with the input's display: composite mode and channel LUTs, or LUT and display range. */
    private static ImagePlus withDisplay(ImagePlus imp, ImagePlus result, int outC) {
        boolean sameDepth = result.getBitDepth() == imp.getBitDepth();
        if (outC > 1) {
            int mode = imp.isComposite() ? ((CompositeImage) imp).getMode() : CompositeImage.COMPOSITE;
            CompositeImage ci = new CompositeImage(result, mode);
            ci.setCalibration(result.getCalibration());
            ci.setProperty("Info", result.getProperty("Info"));
            for (int c = 1; c <= outC; c++) {
                if (imp.isComposite() && outC == imp.getNChannels()) {
                    LUT lut = ((CompositeImage) imp).getChannelLut(c);
                    ci.setChannelLut((LUT) lut.clone(), c);
                } else if (imp.getType() == ImagePlus.COLOR_RGB) {
                    ci.setChannelLut(LUT.createLutFromColor(c == 1 ? java.awt.Color.red : c == 2 ? java.awt.Color.green : java.awt.Color.blue), c);
                    ci.setC(c);
                    ci.setDisplayRange(0, 255);
                }
            }
            ci.setC(1);
            return ci;
        }
        if (imp.getBitDepth() != 24) {
            result.setDisplayRange(imp.getDisplayRangeMin(), imp.getDisplayRangeMax());
            if (imp.getProcessor() != null && !imp.getProcessor().isDefaultLut())
                result.getProcessor().setLut(imp.getProcessor().getLut());
        }
        return result;
    }

    /** Title of the result: input name without extension + "_x4_model" + extension. */
    public static String outputTitle(String title, Upscaler up) {
        String t = title == null ? "image" : title;
        String ext = "";
        int dot = t.lastIndexOf('.');
        if (dot > 0 && t.length() - dot <= 5) {
            ext = t.substring(dot);
            t = t.substring(0, dot);
        }
        return t + "_x" + up.scale() + "_" + up.name() + ext;
    }

    /** Feeds a 1-channel source to an n-channel network. */
    private record ReplicatedSource(TileSource grey, int n) implements TileSource {
        public int width() {
            return grey.width();
        }

        public int height() {
            return grey.height();
        }

        public int channels() {
            return n;
        }

        public void read(long x0, long y0, int w, int h, float[] dst, int offset) {
            grey.read(x0, y0, w, h, dst, offset);
            for (int c = 1; c < n; c++) System.arraycopy(dst, offset, dst, offset + c * w * h, w * h);
        }
    }

    /** Averages an n-channel network output into a 1-channel sink. */
    private record MeanSink(TileSink one) implements TileSink {
        public long width() {
            return one.width();
        }

        public long height() {
            return one.height();
        }

        public int channels() {
            return 3;
        }

        public void write(long x0, long y0, int w, int h, float[] tile, int tileW, int tileH, int srcX, int srcY) {
            int per = tileW * tileH;
            int n = tile.length / per;
            float[] mean = new float[per];
            for (int c = 0; c < n; c++)
                for (int i = 0; i < per; i++) mean[i] += tile[c * per + i] / n;
            one.write(x0, y0, w, h, mean, tileW, tileH, srcX, srcY);
        }
    }
}
