package io.github.superresolve.resolve;

import io.github.superresolve.infer.NetworkUpscaler;

/**
 * How a network's upscaler tiles an image.
 *
 * @param tile        tile core size in input pixels, {@link NetworkUpscaler#AUTO} to choose it from memory
 * @param overlap     context around each tile in input pixels, negative for the network's receptive radius
 * @param batch       tiles per network call
 * @param memoryLimit native bytes the tiles may hold, {@code <= 0} for the default budget
 * @param worker      a network of its own buffers (weights shared), for one of several threads running at once
 */
public record Tiling(int tile, int overlap, int batch, long memoryLimit, boolean worker) {

    public Tiling {
        if (batch < 1) throw new IllegalArgumentException("The batch size must be at least 1, not " + batch + ".");
    }

    /** Automatic tiles, exact context, one tile per call, the default memory budget. */
    public static Tiling auto() {
        return new Tiling(NetworkUpscaler.AUTO, -1, 1, 0, false);
    }
}
