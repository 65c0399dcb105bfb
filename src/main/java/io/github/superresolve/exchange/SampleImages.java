package io.github.superresolve.exchange;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A package's sample tensors ({@code sample_tensor} of its input and output): the test input and
 * output as PNG images a person can open, which the model description format asks for beside the
 * {@code .npy} test tensors (it reads them with imageio, so 8-bit and 16-bit grey or RGB PNG).
 */
final class SampleImages {

    private SampleImages() {
    }

    /**
     * Planar values (channel, y, x) of 1 or 3 channels as a PNG, rounded and clipped to 0..255
     * ({@code sixteen} false) or 0..65535.
     */
    static byte[] png(float[] planar, int channels, int height, int width, boolean sixteen) throws IOException {
        ColorSpace cs = ColorSpace.getInstance(channels == 3 ? ColorSpace.CS_sRGB : ColorSpace.CS_GRAY);
        int bits = sixteen ? 16 : 8;
        int[] nBits = new int[channels];
        java.util.Arrays.fill(nBits, bits);
        ComponentColorModel cm = new ComponentColorModel(cs, nBits, false, false, Transparency.OPAQUE,
                sixteen ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(width, height);
        int plane = height * width, max = sixteen ? 65535 : 255;
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    r.setSample(x, y, c, (int) Math.max(0, Math.min(max, Math.round(planar[c * plane + y * width + x]))));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (!ImageIO.write(new BufferedImage(cm, r, false, null), "png", b))
            throw new IOException("No PNG writer for a " + bits + "-bit image of " + channels + " channels.");
        return b.toByteArray();
    }

    /**
     * A 16-bit package's output (in the input's normalised units) taken back to the input's 16-bit
     * intensities, channel by channel: what Super-Resolve shows a user.
     */
    static float[] denormalised(float[] out, float[] raw, int channels, int size, int scale) {
        float[] v = new float[out.length];
        int plane = size * size, outPlane = plane * scale * scale;
        for (int c = 0; c < channels; c++) {
            float[] ch = java.util.Arrays.copyOfRange(raw, c * plane, (c + 1) * plane);
            double lo = BioImageIoExport.percentile(ch, BioImageIoExport.LOW_PERCENTILE);
            double span = BioImageIoExport.percentile(ch, BioImageIoExport.HIGH_PERCENTILE) - lo + BioImageIoExport.EPS;
            for (int i = c * outPlane; i < (c + 1) * outPlane; i++) v[i] = (float) (out[i] * span + lo);
        }
        return v;
    }
}
