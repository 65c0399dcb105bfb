package io.github.superresolve.image;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import net.imglib2.img.array.ArrayImgs;

import java.util.List;

/**
 * The planes of one sample of an image as floats in [0, 1], the way training reads its images and the
 * spectra read theirs: 8-bit values divided by 255, other bit depths scaled by their 0.1 and 99.9
 * percentiles (the same histogram percentiles as inference's normalisation, {@link Percentiles}).
 * Every value is finite: NaN and infinite pixels become 0, and values beyond the float range after
 * scaling are clipped to it.
 *
 * @param data   {@code channels} arrays of {@code width * height} values
 */
public record NormalisedPlanes(float[][] data, int width, int height) {

    /** Bytes the planes hold. */
    public long bytes() {
        return (long) data.length * width * height * 4;
    }

    /**
     * Sample {@code plane} of an image as {@code channels} normalised planes: an RGB image's colours (or
     * their luminance for one channel), the first three channels of a multichannel image at one Z/T
     * position, or one grey plane repeated.
     */
    public static NormalisedPlanes decode(ImagePlus imp, int plane, int channels) {
        int w = imp.getWidth(), h = imp.getHeight();
        float[][] out = new float[channels][];
        if (imp.getType() == ImagePlus.COLOR_RGB) {
            ColorProcessor cp = (ColorProcessor) imp.getStack().getProcessor(plane + 1);
            int[] px = (int[]) cp.getPixels();
            float[] r = new float[w * h], g = new float[w * h], b = new float[w * h];
            for (int i = 0; i < px.length; i++) {
                r[i] = ((px[i] >> 16) & 0xff) / 255f;
                g[i] = ((px[i] >> 8) & 0xff) / 255f;
                b[i] = (px[i] & 0xff) / 255f;
            }
            if (channels == 3) {
                out[0] = r;
                out[1] = g;
                out[2] = b;
            } else {
                float[] y = new float[w * h];
                for (int i = 0; i < y.length; i++) y[i] = Luminance.of(r[i], g[i], b[i]);
                out[0] = y;
            }
            return new NormalisedPlanes(out, w, h);
        }
        if (channels == 3 && imp.getNChannels() >= 3) {
            int zt = plane;
            int z = zt % imp.getNSlices(), t = zt / imp.getNSlices();
            for (int c = 0; c < 3; c++)
                out[c] = normalised(imp.getStack().getProcessor(imp.getStackIndex(c + 1, z + 1, t + 1)), imp.getBitDepth());
            return new NormalisedPlanes(out, w, h);
        }
        float[] grey = normalised(imp.getStack().getProcessor(plane + 1), imp.getBitDepth());
        for (int c = 0; c < channels; c++) out[c] = grey;
        return new NormalisedPlanes(out, w, h);
    }

    /** A plane scaled to [0, 1]: 8-bit by 255, others by the 0.1 and 99.9 percentiles. */
    public static float[] normalised(ImageProcessor ip, int bitDepth) {
        int n = ip.getWidth() * ip.getHeight();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = ip.getf(i);
        if (bitDepth == 8) {
            for (int i = 0; i < n; i++) v[i] /= 255f;
            return v;
        }
        // the same histogram percentiles as inference's normalisation
        Percentiles.Result lh = Percentiles.compute(List.of(ArrayImgs.floats(v, ip.getWidth(), ip.getHeight())), 0.1, 99.9);
        double lo = lh.low(), range = lh.high() - lh.low();
        if (!(range > 0)) range = 1;
        // NaN and infinite pixels become 0; a value far outside a narrow range stays finite (clipped to the float range)
        for (int i = 0; i < n; i++)
            v[i] = Float.isFinite(v[i]) ? (float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, (v[i] - lo) / range)) : 0f;
        return v;
    }
}
