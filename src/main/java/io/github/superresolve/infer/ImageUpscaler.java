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
import io.github.superresolve.image.ImagePlanes;
import io.github.superresolve.image.IntensityMap;
import io.github.superresolve.image.Percentiles;
import io.github.superresolve.image.RaiTileSink;
import io.github.superresolve.image.RaiTileSource;
import io.github.superresolve.image.TileSink;
import io.github.superresolve.image.TileSource;
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
 * (all slices and frames), computed from a histogram.
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
        if (imp.getWidth() < MIN_SIZE || imp.getHeight() < MIN_SIZE)
            throw new IllegalArgumentException("Image '" + t + "' is " + imp.getWidth() + "x" + imp.getHeight()
                    + " pixels; Super-Resolve needs at least " + MIN_SIZE + "x" + MIN_SIZE + " pixels.");
        long outPixels = (long) imp.getWidth() * scale * imp.getHeight() * scale;
        if (outPixels > Integer.MAX_VALUE)
            throw new IllegalArgumentException("Image '" + t + "' would become " + imp.getWidth() * (long) scale + "x"
                    + imp.getHeight() * (long) scale + " pixels per plane, more than ImageJ can hold (2^31): crop it or use a smaller scale.");
        int type = imp.getType();
        if (type == ImagePlus.COLOR_256)
            throw new IllegalArgumentException("Image '" + t + "' is 8-bit indexed colour: convert it to RGB (Image > Type > RGB Color) first.");
    }

    public static ImagePlus upscale(ImagePlus imp, Upscaler up, Options o, Progress progress) {
        try {
            return upscalePlanes(imp, up, o, progress);
        } finally {
            up.releaseLater(); // kept for the next image, freed when idle
        }
    }

    private static ImagePlus upscalePlanes(ImagePlus imp, Upscaler up, Options o, Progress progress) {
        int s = up.scale();
        validate(imp, s);
        boolean rgb = imp.getType() == ImagePlus.COLOR_RGB;
        int w = imp.getWidth(), h = imp.getHeight(), nc = imp.getNChannels(), nz = imp.getNSlices(), nt = imp.getNFrames();
        ImageStack in = imp.getStack();
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
                maps[c][k] = intensityMap(imp, planes, o, c);
                outMaps[c][k] = maps[c][k];
                if (rule != null) {
                    maps[c][k] = rule.input(planes); // after intensityMap, which refuses NaN pixels
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
                    List<RandomAccessibleInterval<? extends RealType<?>>> src = ImagePlanes.channels(pixels, w, h);
                    if (rgb && o.bitDepth() == BitDepth.FLOAT32) {
                        List<RandomAccessibleInterval<? extends RealType<?>>> dst = new ArrayList<>();
                        for (int k = 0; k < 3; k++) {
                            FloatProcessor fp = new FloatProcessor(w * s, h * s);
                            outPlanes[(t * nz + z) * outC + k] = fp;
                            dst.add(ImagePlanes.channels(fp.getPixels(), w * s, h * s).get(0));
                        }
                        done = run(up, src, dst, maps[c], outMaps[c], progress, done, total, unitsPerPass);
                    } else {
                        ImageProcessor op = newProcessor(imp, o, w * s, h * s);
                        outPlanes[(t * nz + z) * outC + c] = op;
                        if (op instanceof ColorProcessor cp) {
                            // written as three 8-bit planes, then packed: ImgLib2's ARGB channel views
                            // sign-extend values >= 128 when writing and corrupt the other channels
                            byte[][] rgbOut = new byte[3][w * s * h * s];
                            List<RandomAccessibleInterval<? extends RealType<?>>> dst = new ArrayList<>();
                            for (byte[] b : rgbOut) dst.add(ImagePlanes.channels(b, w * s, h * s).get(0));
                            done = run(up, src, dst, maps[c], outMaps[c], progress, done, total, unitsPerPass);
                            cp.setRGB(rgbOut[0], rgbOut[1], rgbOut[2]);
                        } else {
                            List<RandomAccessibleInterval<? extends RealType<?>>> dst = ImagePlanes.channels(op.getPixels(), w * s, h * s);
                            done = run(up, src, dst, maps[c], outMaps[c], progress, done, total, unitsPerPass);
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
                            IntensityMap[] outMaps, Progress progress, long done, long total, long units) {
        if (src.size() == up.channels()) {
            TileSource ts = new RaiTileSource(src, inMaps);
            TileSink sink = new RaiTileSink(dst, outMaps);
            up.upscale(ts, sink, progress.slice(done, units, total));
            return done + units;
        }
        if (up.channels() == 1) { // RGB through a grey network: component by component
            for (int k = 0; k < src.size(); k++) {
                up.upscale(new RaiTileSource(List.of(src.get(k)), new IntensityMap[]{inMaps[k]}),
                        new RaiTileSink(List.of(dst.get(k)), new IntensityMap[]{outMaps[k]}), progress.slice(done, units, total));
                done += units;
            }
            return done;
        }
        // a grey plane through an RGB network: R = G = B, outputs averaged
        TileSource grey = new RaiTileSource(src, inMaps);
        up.upscale(new ReplicatedSource(grey, up.channels()), new MeanSink(new RaiTileSink(dst, outMaps)),
                progress.slice(done, units, total));
        return done + units;
    }

    private static IntensityMap intensityMap(ImagePlus imp, List<RandomAccessibleInterval<? extends RealType<?>>> planes,
                                             Options o, int channel) {
        int bd = imp.getBitDepth();
        boolean percentile = o.normalization() == Normalization.PERCENTILE
                || (o.normalization() == Normalization.AUTO && (bd == 16 || bd == 32));
        if (bd == 32) {
            Percentiles.Result r = Percentiles.compute(planes, o.lowPercentile(), o.highPercentile());
            if (r.nonFinite() > 0)
                throw new IllegalArgumentException("Image '" + imp.getTitle() + "' has " + r.nonFinite()
                        + " NaN or infinite pixels in channel " + (channel + 1)
                        + ": replace them first (Process > Math > Remove NaNs..., or set them to a value) and run again.");
            if (percentile) return new IntensityMap(r.low(), r.high());
            return IntensityMap.IDENTITY;
        }
        if (percentile) {
            Percentiles.Result r = Percentiles.compute(planes, o.lowPercentile(), o.highPercentile());
            return new IntensityMap(r.low(), r.high());
        }
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
