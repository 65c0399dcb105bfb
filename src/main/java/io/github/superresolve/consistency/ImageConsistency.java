package io.github.superresolve.consistency;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.plugin.LutLoader;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Luminance;
import io.github.superresolve.image.NonFinitePixels;
import io.github.superresolve.image.Resampler;
import io.github.superresolve.io.Printable;

import java.awt.image.IndexColorModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Consistency of a whole super-resolved ImageJ image with its input: every channel, slice and frame of a
 * hyperstack is analysed on its own ({@link ConsistencyAnalysis}), giving a {@link ConsistencyReport} of
 * rows and a calibrated 32-bit error map. Any bit depth (8-bit, 16-bit, 32-bit, RGB); the two images
 * may differ in bit depth (an 8-bit input and its 32-bit output). Pixel values are used raw: a density
 * calibration of the input is ignored, and RSE and the map are in raw pixel units.
 *
 * <p>RGB: by default each component R, G and B is analysed on its own, giving three rows per plane and
 * a three-channel map (a colour network can be faithful in one component and invent in another); with
 * {@link Options#luminance()} the luminance Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as
 * {@link Luminance}) is analysed instead, one row and one map channel per plane. An RGB input may have
 * an RGB output or a three-channel output (ImageJ's 32-bit result of an RGB image), and the other way round.
 *
 * <p>The map: title {@code NAME-consistency}, NAME the output's title without extension; the input's
 * width, height, slices and frames, channels as the rows (the input's channels, or R, G, B, or Y); the
 * input's spatial calibration (pixel width, height and depth, unit, origin, frame interval), without a
 * density calibration; ImageJ's Fire LUT (black for agreement, through red and yellow to white for the
 * largest disagreement), display range from 0 to the largest finite error of each channel. NaN pixels
 * mark pixels left out (non-finite in the input or the output). {@link #enlarge} puts it onto the output.
 */
public final class ImageConsistency {

    /**
     * How to analyse.
     *
     * @param degradation how outputs are degraded back to the input's resolution
     * @param luminance   RGB images (and three-channel partners of RGB images) on luminance Y instead of R, G
     *                    and B; ignored for images that are not RGB
     */
    public record Options(Degradation degradation, boolean luminance) {
        /** Checks the degradation. */
        public Options {
            if (degradation == null) throw new IllegalArgumentException("No degradation was given: " + Degradation.KNOWN);
        }

        /** Bicubic degradation, RGB per component. */
        public static Options defaults() {
            return new Options(Degradation.bicubic(), false);
        }
    }

    /** How {@link #enlarge} enlarges a map onto the output's size. */
    public enum Enlargement {
        /** Each map pixel becomes a scale x scale block: exactly the input pixels, visibly blocky. */
        NEAREST,
        /** Bicubic interpolation (clipped at 0, NaN blocks kept): smoother for overlays. */
        BICUBIC;

        /** Reads {@code nearest} or {@code bicubic} (any case); null means nearest. */
        public static Enlargement parse(String s) {
            if (s == null || s.isBlank()) return NEAREST;
            for (Enlargement e : values()) if (e.name().equalsIgnoreCase(s.trim())) return e;
            throw new IllegalArgumentException("Map enlargement '" + s.trim() + "' is not known: use nearest or bicubic.");
        }
    }

    private ImageConsistency() {
    }

    /**
     * The scale that turned {@code input} into {@code output}: their width and height ratio, which must be
     * the same whole number for both.
     *
     * @throws IllegalArgumentException with a sentence when the sizes are no whole multiple of each other
     */
    public static int scaleOf(ImagePlus input, ImagePlus output) {
        checkPresent(input, output);
        int w = input.getWidth(), h = input.getHeight(), ow = output.getWidth(), oh = output.getHeight();
        if (ow < w || oh < h || ow % w != 0 || oh % h != 0 || ow / w != oh / h)
            throw new IllegalArgumentException("Output " + quoted(output) + " (" + ow + "x" + oh + ") is not input " + quoted(input)
                    + " (" + w + "x" + h + ") enlarged by a whole number: give the output this input was super-resolved into.");
        return ow / w;
    }

    /** {@link #analyse(ImagePlus, ImagePlus, int, Options)} with the scale found from the sizes ({@link #scaleOf}). */
    public static ConsistencyReport analyse(ImagePlus input, ImagePlus output, Options options) {
        return analyse(input, output, scaleOf(input, output), options);
    }

    /**
     * Analyses every plane of {@code output} against the matching plane of {@code input}. Neither image is modified.
     *
     * @param input   the image that was super-resolved
     * @param output  its super-resolved result: {@code scale} times as wide and high, the same slices and frames,
     *                the same channels (RGB counting as three)
     * @param scale   the super-resolution's scale, 1 or more
     * @param options degradation, and RGB per component or luminance
     * @throws IllegalArgumentException with a sentence when the images do not fit together
     */
    public static ConsistencyReport analyse(ImagePlus input, ImagePlus output, int scale, Options options) {
        checkPresent(input, output);
        if (options == null) options = Options.defaults();
        if (scale < 1)
            throw new IllegalArgumentException("Scale " + scale + " is not valid: the scale of a super-resolution is a whole number of 1 or more.");
        for (ImagePlus imp : List.of(input, output))
            if (imp.getType() == ImagePlus.COLOR_256)
                throw new IllegalArgumentException("Image " + quoted(imp) + " is 8-bit indexed colour: convert it to RGB (Image > Type > RGB Color) first.");
        int w = input.getWidth(), h = input.getHeight();
        if ((long) output.getWidth() != (long) w * scale || (long) output.getHeight() != (long) h * scale)
            throw new IllegalArgumentException("Output " + quoted(output) + " is " + output.getWidth() + "x" + output.getHeight()
                    + " pixels, but input " + quoted(input) + " (" + w + "x" + h + ") at scale " + scale + " becomes "
                    + (long) w * scale + "x" + (long) h * scale + ": give the output this input was super-resolved into, and its scale.");
        boolean rgbIn = input.getType() == ImagePlus.COLOR_RGB, rgbOut = output.getType() == ImagePlus.COLOR_RGB;
        int inC = rgbIn ? 3 : input.getNChannels(), outC = rgbOut ? 3 : output.getNChannels();
        if (inC != outC || input.getNSlices() != output.getNSlices() || input.getNFrames() != output.getNFrames())
            throw new IllegalArgumentException("Input " + quoted(input) + " and output " + quoted(output)
                    + " differ in channels, slices or frames (" + layout(input) + " and " + layout(output)
                    + "): give the output this input was super-resolved into.");
        boolean colour = rgbIn || rgbOut;
        boolean luminance = colour && options.luminance();
        List<String> labels = new ArrayList<>();
        if (colour) labels.addAll(luminance ? List.of("Y") : List.of("R", "G", "B"));
        else for (int c = 1; c <= inC; c++) labels.add(String.valueOf(c));
        int k = labels.size(), nz = input.getNSlices(), nt = input.getNFrames();
        String name = baseName(output.getTitle());
        List<ConsistencyRow> rows = new ArrayList<>();
        ImageStack stack = new ImageStack(w, h);
        for (int t = 1; t <= nt; t++)
            for (int z = 1; z <= nz; z++) {
                float[][] a = components(input, z, t, colour, luminance);
                float[][] b = components(output, z, t, colour, luminance);
                for (int c = 0; c < k; c++) {
                    PlaneConsistency p = ConsistencyAnalysis.analyse(a[c], w, h, b[c], scale, options.degradation());
                    rows.add(new ConsistencyRow(name, labels.get(c), z, t, p.rse(), p.rsp(), p.gain(), p.offset(), p.pixels()));
                    String label = (colour ? labels.get(c) : "c" + labels.get(c)) + (nz > 1 ? " z" + z : "") + (nt > 1 ? " t" + t : "");
                    stack.addSlice(label, new FloatProcessor(w, h, p.errorMap()));
                }
            }
        ImagePlus map = new ImagePlus(name + "-consistency", stack);
        map.setDimensions(k, nz, nt);
        if (k * nz * nt > 1) map.setOpenAsHyperStack(true);
        Calibration cal = input.getCalibration().copy();
        cal.disableDensityCalibration();
        map.setCalibration(cal);
        map = withErrorDisplay(map);
        map.setProperty("Info", info(input, output, scale, options.degradation(), rows));
        return new ConsistencyReport(name, scale, options.degradation(), rows, map);
    }

    /**
     * A consistency map enlarged onto its output: each plane {@code scale} times as wide and high (the
     * scale from the sizes), the output's spatial calibration, the map's LUT and display ranges, title
     * {@code MAPTITLE-enlarged}. NaN blocks stay NaN.
     *
     * @param map    a map from {@link #analyse} (not modified)
     * @param output the output it belongs to (for its size and calibration)
     */
    public static ImagePlus enlarge(ImagePlus map, ImagePlus output, Enlargement how) {
        if (map == null || output == null) throw new IllegalArgumentException("Enlarging a map needs the map and its output.");
        if (how == null) how = Enlargement.NEAREST;
        int w = map.getWidth(), h = map.getHeight(), ow = output.getWidth(), oh = output.getHeight();
        if (ow % w != 0 || oh % h != 0 || ow / w != oh / h)
            throw new IllegalArgumentException("Output " + quoted(output) + " (" + ow + "x" + oh + ") is not map " + quoted(map)
                    + " (" + w + "x" + h + ") enlarged by a whole number: give the output the map was made for.");
        int s = ow / w;
        ImageStack src = map.getStack(), dst = new ImageStack(ow, oh);
        for (int i = 1; i <= src.getSize(); i++) {
            float[] plane = (float[]) src.getProcessor(i).convertToFloat().getPixels();
            float[] big;
            if (how == Enlargement.NEAREST) {
                big = new float[ow * oh];
                for (int y = 0; y < oh; y++)
                    for (int x = 0; x < ow; x++) big[y * ow + x] = plane[(y / s) * w + x / s];
            } else {
                big = Resampler.upscale(NonFinitePixels.filled(plane, w, h), w, h, s, Kernel.BICUBIC);
                for (int j = 0; j < big.length; j++) if (big[j] < 0) big[j] = 0;
                NonFinitePixels.restore(plane, w, h, s, big);
            }
            dst.addSlice(src.getSliceLabel(i), new FloatProcessor(ow, oh, big));
        }
        ImagePlus out = new ImagePlus(map.getTitle() + "-enlarged", dst);
        out.setDimensions(map.getNChannels(), map.getNSlices(), map.getNFrames());
        if (dst.getSize() > 1) out.setOpenAsHyperStack(true);
        Calibration cal = output.getCalibration().copy();
        cal.disableDensityCalibration();
        out.setCalibration(cal);
        out = withErrorDisplay(out);
        Object info = map.getProperty("Info");
        if (info != null) out.setProperty("Info", info);
        return out;
    }

    /**
     * A lookup table for error maps: ImageJ's Fire (computed by {@link LutLoader}, so available headless),
     * or, should it be missing, a black-red-yellow-white ramp of the same spirit.
     */
    public static LUT errorLut() {
        IndexColorModel cm = null;
        try {
            cm = LutLoader.getLut("fire");
        } catch (RuntimeException e) {
            // fall through to the computed ramp
        }
        if (cm == null || cm.getMapSize() != 256) {
            byte[] r = new byte[256], g = new byte[256], b = new byte[256];
            for (int i = 0; i < 256; i++) {
                r[i] = (byte) Math.min(255, 3 * i);
                g[i] = (byte) Math.max(0, Math.min(255, 3 * i - 255));
                b[i] = (byte) Math.max(0, Math.min(255, 3 * i - 510));
            }
            cm = new IndexColorModel(8, 256, r, g, b);
        }
        return new LUT(cm, 0, 1);
    }

    /** The map with the error LUT on every channel and display ranges 0 to each channel's largest finite value. */
    private static ImagePlus withErrorDisplay(ImagePlus imp) {
        int k = imp.getNChannels();
        double[] max = new double[k];
        ImageStack stack = imp.getStack();
        for (int i = 1; i <= stack.getSize(); i++) {
            int c = (i - 1) % k;
            for (float v : (float[]) stack.getPixels(i)) if (Float.isFinite(v) && v > max[c]) max[c] = v;
        }
        for (int c = 0; c < k; c++) if (!(max[c] > 0)) max[c] = 1; // a perfect (all-zero) map shows black
        if (k > 1) {
            CompositeImage ci = new CompositeImage(imp, IJ.COLOR);
            ci.setCalibration(imp.getCalibration());
            for (int c = 1; c <= k; c++) {
                LUT lut = errorLut();
                lut.min = 0;
                lut.max = max[c - 1];
                ci.setChannelLut(lut, c);
                ci.setC(c);
                ci.setDisplayRange(0, max[c - 1]);
            }
            ci.setC(1);
            return ci;
        }
        LUT lut = errorLut();
        imp.getProcessor().setLut(lut);
        imp.getStack().setColorModel(lut);
        imp.setDisplayRange(0, max[0]);
        return imp;
    }

    /** The planes of slice z, frame t: one per channel, R, G, B, or Y. */
    private static float[][] components(ImagePlus imp, int z, int t, boolean colour, boolean luminance) {
        ImageStack stack = imp.getStack();
        if (imp.getType() == ImagePlus.COLOR_RGB) {
            int[] px = (int[]) ((ColorProcessor) stack.getProcessor(imp.getStackIndex(1, z, t))).getPixels();
            float[][] out = new float[luminance ? 1 : 3][px.length];
            for (int i = 0; i < px.length; i++) {
                int c = px[i];
                if (luminance) out[0][i] = (float) Luminance.of(c);
                else {
                    out[0][i] = (c >> 16) & 0xff;
                    out[1][i] = (c >> 8) & 0xff;
                    out[2][i] = c & 0xff;
                }
            }
            return out;
        }
        int nc = imp.getNChannels();
        float[][] planes = new float[nc][];
        for (int c = 1; c <= nc; c++) planes[c - 1] = floats(stack.getProcessor(imp.getStackIndex(c, z, t)));
        if (colour && luminance) { // a three-channel partner of an RGB image
            float[] y = new float[planes[0].length];
            for (int i = 0; i < y.length; i++)
                y[i] = (float) (0.299 * planes[0][i] + 0.587 * planes[1][i] + 0.114 * planes[2][i]);
            return new float[][]{y};
        }
        return planes;
    }

    /** Raw values of a grey plane as floats (a copy). */
    private static float[] floats(ImageProcessor ip) {
        int n = ip.getPixelCount();
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = ip.getf(i);
        return f;
    }

    /** The text of the map's Info property: what was compared, how, and the scores. */
    private static String info(ImagePlus input, ImagePlus output, int scale, Degradation d, List<ConsistencyRow> rows) {
        StringBuilder b = new StringBuilder();
        b.append("Consistency of ").append(Printable.escape(output.getTitle())).append(" with its input ")
                .append(Printable.escape(input.getTitle())).append(" (scale ").append(scale).append(")\n");
        b.append("Degradation: ").append(d).append(" - ").append(d.description()).append('\n');
        b.append("Map: |input - (gain * degraded output + offset)| at the input's resolution, in the input's raw units; NaN = not compared\n");
        for (ConsistencyRow r : rows)
            b.append(String.format(Locale.ROOT, "channel %s, slice %d, frame %d: RSE %s, RSP %s, gain %s, offset %s%n", r.channel(), r.slice(),
                    r.frame(), ConsistencyCsv.number(r.rse()), blankAsNaN(ConsistencyCsv.number(r.rsp())),
                    ConsistencyCsv.number(r.gain()), ConsistencyCsv.number(r.offset())));
        return b.toString();
    }

    private static String blankAsNaN(String s) {
        return s.isEmpty() ? "NaN (undefined: nothing varies)" : s;
    }

    /** A title without its extension (the last dot's part when it has at most 4 characters), "image" when there is none. */
    public static String baseName(String title) {
        String t = title == null || title.isBlank() ? "image" : title;
        int dot = t.lastIndexOf('.');
        if (dot > 0 && t.length() - dot <= 5) t = t.substring(0, dot);
        return t;
    }

    private static void checkPresent(ImagePlus input, ImagePlus output) {
        if (input == null) throw new IllegalArgumentException("No input image was given: give the image that was super-resolved.");
        if (output == null) throw new IllegalArgumentException("No output image was given: give the super-resolved image.");
    }

    private static String layout(ImagePlus imp) {
        return (imp.getType() == ImagePlus.COLOR_RGB ? "RGB, " : imp.getNChannels() + " channels, ") + imp.getNSlices() + " slices, "
                + imp.getNFrames() + " frames";
    }

    private static String quoted(ImagePlus imp) {
        return "'" + Printable.escape(imp.getTitle()) + "'";
    }
}
