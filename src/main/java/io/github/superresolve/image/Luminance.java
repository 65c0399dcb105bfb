package io.github.superresolve.image;

/**
 * Luminance of RGB: Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, ImageJ's weighted RGB conversion,
 * without the video offset). One definition for training planes, metrics, spectra and comparisons.
 */
public final class Luminance {

    public static final float RED = 0.299f, GREEN = 0.587f, BLUE = 0.114f;

    private Luminance() {
    }

    /** Y of a packed 0xRRGGBB pixel, in double precision, on the 0-255 scale. */
    public static double of(int rgb) {
        return 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
    }

    /** Y of three components, in float arithmetic, on their own scale. */
    public static float of(float r, float g, float b) {
        return RED * r + GREEN * g + BLUE * b;
    }
}
