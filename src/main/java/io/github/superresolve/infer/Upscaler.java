package io.github.superresolve.infer;

import io.github.superresolve.image.TileSink;
import io.github.superresolve.image.TileSource;

/**
 * Makes an image {@link #scale()} times larger in x and y. Implementations: interpolation (bicubic,
 * Lanczos) and networks. Works on {@link TileSource}s of {@link #channels()} channels so that memory
 * stays bounded for any image size.
 */
public interface Upscaler {

    /** Name as users choose it: {@code bicubic}, {@code lanczos}, or a model name. */
    String name();

    int scale();

    /** Channels processed together: 3 for an RGB network, otherwise 1 (each channel on its own). */
    int channels();

    /** Number of work units {@link #upscale} reports for a {@code width x height} plane. */
    long workUnits(int width, int height);

    /** Upscales one plane: reads {@code source}, writes every pixel of {@code sink}. */
    void upscale(TileSource source, TileSink sink, Progress progress);

    /**
     * The model's own normalisation, or null for Super-Resolve's (used unless the user chose
     * percentile or none).
     */
    default IntensityRule intensityRule() {
        return null;
    }

    /** Frees native memory kept between calls (a network's buffers); the upscaler stays usable. */
    default void release() {
    }

    /**
     * Frees native memory kept between calls once the upscaler has not been used for a few seconds
     * ({@link #IDLE_MILLIS}). {@link ImageUpscaler} calls it after each image: a run over many images
     * keeps its buffers (allocating them anew cost ~3 s per image on a 2-core VM), an idle Fiji frees them.
     */
    default void releaseLater() {
        release();
    }

    /** Pause after which an upscaler's buffers are freed. */
    long IDLE_MILLIS = 15_000;
}
