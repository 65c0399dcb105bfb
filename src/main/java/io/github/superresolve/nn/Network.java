package io.github.superresolve.nn;

/**
 * What tiling needs of a super-resolution network: run a batch of tiles, its factor and channels, the
 * context a tile needs, and the native memory a tile costs. {@link Generator} is the implementation.
 */
public interface Network {

    /**
     * Runs the network on a batch of {@code n} tiles of {@code channels() x h x w} values (NCHW,
     * normalised intensities); returns {@code n x channels() x (h scale) x (w scale)} values.
     */
    float[] run(float[] input, int n, int h, int w);

    int scale();

    int channels();

    /** Context, in input pixels, around a tile for an exact result. */
    int receptiveRadius();

    /** Native bytes a call holds per input pixel of its batch, beside {@link #fixedBytes()}. */
    double bytesPerPixel();

    /** Native bytes a call holds whatever the size of its batch (temporaries of bounded size). */
    default long fixedBytes() {
        return 0;
    }

    /**
     * The networks applied in turn (one for a plain network; one per stage for a recursive one), so that
     * each can be tiled with its own context at its own resolution.
     */
    default java.util.List<Network> stages() {
        return java.util.List.of(this);
    }

    /**
     * The network for one of several threads running images at once: buffers of its own, the weights
     * shared. This default returns the network itself, for networks whose calls may already run
     * concurrently (ONNX Runtime sessions); {@link Generator} makes a worker.
     */
    default Network worker() {
        return this;
    }

    /** Frees memory kept between calls; the network stays usable. */
    void release();

    /** Frees memory kept between calls once the network has not run for {@code millis}. */
    default void releaseWhenIdle(long millis) {
        release();
    }
}
