package io.github.superresolve.image;

/** Receives rectangular tiles of a multi-channel output plane as normalised floats, channel-major. */
public interface TileSink {
    long width();

    long height();

    int channels();

    /**
     * Writes the sub-rectangle ({@code srcX}, {@code srcY}, {@code w}, {@code h}) of a tile that is
     * {@code tileW x tileH} per channel, to output position ({@code x0}, {@code y0}).
     */
    void write(long x0, long y0, int w, int h, float[] tile, int tileW, int tileH, int srcX, int srcY);
}
