package io.github.superresolve.eval;

import io.github.superresolve.image.NormalisedPlanes;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.github.superresolve.image.Luminance;

/**
 * The pixels a spectrum is taken of, from the current plane of an image (one plane of a stack or
 * hyperstack: the one shown), with the checks every spectrum needs, failing with one sentence that
 * names the image. Shared by the Fiji command and the command-line tool so both see the same values.
 */
public final class SpectrumInput {

    private SpectrumInput() {
    }

    /** A plane of {@code width * height} values, row-major. */
    public record Plane(float[] values, int width, int height) {
    }

    /**
     * The centre {@code min(maxSide, width) x min(maxSide, height)} crop of the current plane as grey
     * values in the image's own units (RGB as luminance 0.299 R + 0.587 G + 0.114 B).
     *
     * @param name how a message names the image, e.g. {@code "Image 'cells.tif'"} or {@code "Input /data/a.png"}
     * @throws IllegalArgumentException for images under 4x4 pixels and NaN or infinite pixels
     */
    public static Plane luminance(ImagePlus imp, int maxSide, String name) {
        checkSize(imp, 4, name, "a spectrum needs at least 4x4 pixels");
        ImageProcessor ip = currentPlane(imp);
        int w = Math.min(maxSide, ip.getWidth()), h = Math.min(maxSide, ip.getHeight());
        int x0 = (ip.getWidth() - w) / 2, y0 = (ip.getHeight() - h) / 2;
        float[] v = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                float f;
                if (ip instanceof ColorProcessor cp) {
                    int c = cp.get(x0 + x, y0 + y);
                    f = Luminance.of((c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff);
                } else f = ip.getf(x0 + x, y0 + y);
                v[y * w + x] = f;
            }
        checkFinite(v, name);
        return new Plane(v, w, h);
    }

    /**
     * What the fftGAN discriminator sees of this image: the centre {@code size x size} patch of the
     * current plane, normalised exactly as training normalises its images ({@link NormalisedPlanes#decode}:
     * 8-bit and RGB by 255, 16- and 32-bit by the plane's 0.1 and 99.9 percentiles), one array per
     * channel: three (red, green, blue) for RGB, as an RGB model's discriminator sees them, otherwise one.
     *
     * @throws IllegalArgumentException for images smaller than the patch and NaN or infinite pixels
     */
    public static float[][] discriminatorPatch(ImagePlus imp, int size, String name) {
        if (size < 4) throw new IllegalArgumentException("The fftGAN patch must be at least 4 pixels, not " + size + ".");
        checkSize(imp, size, name, "the fftGAN discriminator sees a " + size + "x" + size
                + " patch: choose a smaller patch size or a larger image");
        if (imp.getBitDepth() == 32) checkFinite((float[]) currentPlane(imp).getPixels(), name);
        boolean rgb = imp.getType() == ImagePlus.COLOR_RGB;
        NormalisedPlanes p = NormalisedPlanes.decode(imp, imp.getCurrentSlice() - 1, rgb ? 3 : 1);
        int x0 = (p.width() - size) / 2, y0 = (p.height() - size) / 2;
        float[][] out = new float[p.data().length][size * size];
        for (int c = 0; c < out.length; c++)
            for (int y = 0; y < size; y++) System.arraycopy(p.data()[c], (y0 + y) * p.width() + x0, out[c], y * size, size);
        return out;
    }

    private static ImageProcessor currentPlane(ImagePlus imp) {
        return imp.getStack().getProcessor(imp.getCurrentSlice());
    }

    private static void checkSize(ImagePlus imp, int min, String name, String why) {
        if (imp.getWidth() < min || imp.getHeight() < min)
            throw new IllegalArgumentException(name + " is " + imp.getWidth() + "x" + imp.getHeight() + " pixels: " + why + ".");
    }

    private static void checkFinite(float[] v, String name) {
        long bad = 0;
        for (float f : v) if (!Float.isFinite(f)) bad++;
        if (bad > 0)
            throw new IllegalArgumentException(name + " has " + bad + " NaN or infinite pixels: replace them first"
                    + " (Process > Math > Remove NaNs..., or set them to a value) and run again.");
    }
}
