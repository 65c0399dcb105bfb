package io.github.superresolve.metrics;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.github.superresolve.image.Luminance;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores a test image against a reference of the same size and layout (an already super-resolved
 * image against ground truth, or a method's output in a comparison): MSE, PSNR and SSIM per channel
 * and overall, in the reference's units, without a border of {@code border} pixels on each side (the
 * rim a scale-r method cannot know; the study's protocol uses r). RGB images are scored per component
 * (R, G, B) or on their luminance Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, unrounded); other
 * images per channel, slices and frames pooled. Bit depths may differ (an 8-bit reference and a 32-bit
 * result); the data range comes from the reference (see {@link DataRange}).
 */
public final class ImageScorer {

    private ImageScorer() {
    }

    /**
     * @param border    pixels left out on each side
     * @param luminance score RGB images on luminance Y instead of R, G and B
     * @param dataRange positive, or 0 for the reference type's range
     */
    public static Scores score(ImagePlus reference, ImagePlus test, int border, boolean luminance, double dataRange) {
        check(reference, test, border);
        double range = DataRange.of(reference, dataRange);
        boolean rgb = reference.getType() == ImagePlus.COLOR_RGB;
        int w = reference.getWidth() - 2 * border, h = reference.getHeight() - 2 * border;
        List<String> names = new ArrayList<>();
        if (rgb) names.addAll(luminance ? List.of("Y") : List.of("R", "G", "B"));
        else if (reference.getNChannels() == 1) names.add("grey");
        else for (int c = 1; c <= reference.getNChannels(); c++) names.add("C" + c);
        int planesPerChannel = reference.getNSlices() * reference.getNFrames();
        double[] sqSum = new double[names.size()], ssimSum = new double[names.size()];
        for (int z = 1; z <= reference.getNSlices(); z++)
            for (int t = 1; t <= reference.getNFrames(); t++)
                for (int c = 0; c < (rgb ? 1 : names.size()); c++) {
                    int index = reference.getStackIndex(c + 1, z, t);
                    float[][] a = planes(reference, index, border, w, h, rgb, luminance);
                    float[][] b = planes(test, index, border, w, h, rgb, luminance);
                    for (int k = 0; k < a.length; k++) {
                        int ch = rgb ? k : c;
                        sqSum[ch] += ImageMetrics.mse(a[k], b[k]);
                        ssimSum[ch] += ImageMetrics.ssim(a[k], b[k], w, h, range);
                    }
                }
        List<Scores.Channel> channels = new ArrayList<>();
        double mse = 0, ssim = 0;
        for (int k = 0; k < names.size(); k++) {
            double m = sqSum[k] / planesPerChannel, s = ssimSum[k] / planesPerChannel;
            channels.add(new Scores.Channel(names.get(k), m, ImageMetrics.psnrFromMse(m, range), s));
            mse += m / names.size();
            ssim += s / names.size();
        }
        return new Scores(mse, ImageMetrics.psnrFromMse(mse, range), ssim, List.copyOf(channels), range);
    }

    private static void check(ImagePlus ref, ImagePlus test, int border) {
        String a = "'" + ref.getTitle() + "'", b = "'" + test.getTitle() + "'";
        if (ref.getWidth() != test.getWidth() || ref.getHeight() != test.getHeight())
            throw new IllegalArgumentException("Images " + a + " (" + ref.getWidth() + "x" + ref.getHeight() + ") and " + b + " ("
                    + test.getWidth() + "x" + test.getHeight() + ") differ in size: compare images of the same size.");
        boolean rgbA = ref.getType() == ImagePlus.COLOR_RGB, rgbB = test.getType() == ImagePlus.COLOR_RGB;
        if (rgbA != rgbB)
            throw new IllegalArgumentException("Image " + (rgbA ? a : b) + " is RGB and " + (rgbA ? b : a)
                    + " is not: convert both to the same type (Image > Type) first.");
        if (ref.getNChannels() != test.getNChannels() || ref.getNSlices() != test.getNSlices() || ref.getNFrames() != test.getNFrames())
            throw new IllegalArgumentException("Images " + a + " and " + b + " differ in channels, slices or frames ("
                    + ref.getNChannels() + "/" + ref.getNSlices() + "/" + ref.getNFrames() + " and " + test.getNChannels() + "/"
                    + test.getNSlices() + "/" + test.getNFrames() + "): compare images of the same layout.");
        if (border < 0) throw new IllegalArgumentException("Border " + border + " is negative: give 0 or more pixels.");
        int w = ref.getWidth() - 2 * border, h = ref.getHeight() - 2 * border;
        if (w < ImageMetrics.SSIM_MIN_SIZE || h < ImageMetrics.SSIM_MIN_SIZE)
            throw new IllegalArgumentException("Images " + a + " and " + b + " are " + ref.getWidth() + "x" + ref.getHeight()
                    + ": without a border of " + border + " pixels that leaves less than the " + ImageMetrics.SSIM_MIN_SIZE + "x"
                    + ImageMetrics.SSIM_MIN_SIZE + " pixels SSIM needs: use larger images or a smaller border.");
    }

    /** The planes of stack index {@code index} inside the border: R, G, B, or Y, or the one plane. */
    private static float[][] planes(ImagePlus imp, int index, int border, int w, int h, boolean rgb, boolean luminance) {
        ImageProcessor ip = imp.getStack().getProcessor(index);
        int width = ip.getWidth();
        if (rgb) {
            int[] px = (int[]) ((ColorProcessor) ip).getPixels();
            float[][] out = new float[luminance ? 1 : 3][w * h];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int c = px[(y + border) * width + x + border];
                    if (luminance) out[0][y * w + x] = (float) Luminance.of(c);
                    else {
                        out[0][y * w + x] = (c >> 16) & 0xff;
                        out[1][y * w + x] = (c >> 8) & 0xff;
                        out[2][y * w + x] = c & 0xff;
                    }
                }
            return out;
        }
        float[] v = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                float f = ip.getf((y + border) * width + x + border);
                if (!Float.isFinite(f))
                    throw new IllegalArgumentException("Image '" + imp.getTitle() + "' has NaN or infinite pixels (plane " + index
                            + "): scores need finite values; replace them first (Process > Math > Remove NaNs).");
                v[y * w + x] = f;
            }
        return new float[][]{v};
    }
}
