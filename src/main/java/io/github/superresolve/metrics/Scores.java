package io.github.superresolve.metrics;

import java.util.List;

/**
 * Full-reference scores of one test image against its reference: per channel and over all channels.
 * MSE is in the reference's units (0-255 for 8-bit and RGB, the study's unit); {@link #psnr()} is
 * computed from the MSE pooled over channels ({@link Double#POSITIVE_INFINITY} when the images are
 * identical); {@link #ssim()} is the mean of the channels' SSIMs.
 *
 * @param channels  channel names (R, G, B; Y for luminance; C1, C2... for multichannel images)
 * @param dataRange the data range used for PSNR and the SSIM constants
 */
public record Scores(double mse, double psnr, double ssim, List<Channel> channels, double dataRange) {

    /** Scores of one channel (pooled over the slices and frames of a stack). */
    public record Channel(String name, double mse, double psnr, double ssim) {
    }

    /** A value for tables: "inf" for an infinite PSNR, otherwise fixed decimals. */
    public static String format(double v, int decimals) {
        if (v == Double.POSITIVE_INFINITY) return "inf";
        if (Double.isNaN(v)) return "";
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }
}
