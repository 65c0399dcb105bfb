package io.github.superresolve.image;

/**
 * Reads rectangular tiles of a multi-channel plane as normalised floats, channel-major
 * ({@code dst[c*h*w + y*w + x]}). Regions may extend past the border; how they are filled is the
 * source's rule (mirror for networks).
 */
public interface TileSource {
    int width();

    int height();

    int channels();

    void read(long x0, long y0, int w, int h, float[] dst, int offset);
}
