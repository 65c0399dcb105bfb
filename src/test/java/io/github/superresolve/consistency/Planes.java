package io.github.superresolve.consistency;

import io.github.superresolve.TestData;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;

/** Test planes and toy "networks" for the consistency tests. */
final class Planes {

    private Planes() {
    }

    /** A smooth synthetic pattern in [lo, hi]: two crossed sinusoids and a ramp. */
    static float[] smooth(int w, int h, double lo, double hi) {
        float[] p = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double v = 0.5 + 0.25 * Math.sin(2 * Math.PI * x / 23.0) * Math.cos(2 * Math.PI * y / 17.0) + 0.25 * (x + y) / (w + h - 2.0);
                p[y * w + x] = (float) (lo + (hi - lo) * v);
            }
        return p;
    }

    /** The 8-bit camera crop (64 x 48) as a float plane. */
    static float[] camera() {
        return (float[]) TestData.open("reference/camera-crop.png").getProcessor().convertToFloat().getPixels();
    }

    /** Nearest-neighbour upsampling: each pixel becomes an r x r block. */
    static float[] nearest(float[] p, int w, int h, int r) {
        float[] out = new float[w * r * h * r];
        for (int y = 0; y < h * r; y++)
            for (int x = 0; x < w * r; x++) out[y * w * r + x] = p[(y / r) * w + x / r];
        return out;
    }

    static float[] bicubic(float[] p, int w, int h, int r) {
        return Resampler.upscale(p, w, h, r, Kernel.BICUBIC);
    }

    /**
     * A "network" that paints a fixed high-contrast texture (a 0/255 checkerboard of 2 x 2 output pixel
     * cells) over the output pixels of input pixels [x0, x1) x [y0, y1).
     */
    static float[] painted(float[] out, int w, int r, int x0, int y0, int x1, int y1) {
        float[] o = out.clone();
        int ow = w * r;
        for (int y = y0 * r; y < y1 * r; y++)
            for (int x = x0 * r; x < x1 * r; x++) o[y * ow + x] = ((x / 2 + y / 2) % 2 == 0) ? 255f : 0f;
        return o;
    }

    static float[] scaled(float[] p, double a, double b) {
        float[] o = new float[p.length];
        for (int i = 0; i < p.length; i++) o[i] = (float) (a * p[i] + b);
        return o;
    }

    static double range(float[] p) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float v : p) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi - lo;
    }
}
