package io.github.superresolve.metrics;

import ij.ImagePlus;
import ij.process.ImageProcessor;

/**
 * The data range of an image for PSNR and SSIM: the full range of its type (255 for 8-bit and RGB,
 * 65535 for 16-bit), or, for 32-bit float, the span max - min of the reference's values. A user-given
 * range (e.g. 4095 for a 12-bit camera stored in 16 bits) overrides both. Never a hard-coded 255 for
 * other types.
 */
public final class DataRange {

    private DataRange() {
    }

    /** @param given a positive range, or 0 (or NaN) for the type's */
    public static double of(ImagePlus reference, double given) {
        if (given > 0 && Double.isFinite(given)) return given;
        if (given < 0 || Double.isInfinite(given))
            throw new IllegalArgumentException("Data range " + given + " is not valid: give a positive number, or 0 for the image type's range.");
        return switch (reference.getBitDepth()) {
            case 8, 24 -> 255;
            case 16 -> 65535;
            default -> floatSpan(reference);
        };
    }

    private static double floatSpan(ImagePlus imp) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 1; i <= imp.getStackSize(); i++) {
            ImageProcessor ip = imp.getStack().getProcessor(i);
            for (int k = 0, n = ip.getPixelCount(); k < n; k++) {
                float v = ip.getf(k);
                if (!Float.isFinite(v)) continue;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(hi > lo))
            throw new IllegalArgumentException("Reference '" + imp.getTitle() + "' is a flat 32-bit image, so it has no data range: give one (data_range).");
        return hi - lo;
    }
}
