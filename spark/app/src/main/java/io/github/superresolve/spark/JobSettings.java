package io.github.superresolve.spark;

import io.github.superresolve.infer.ImageUpscaler;

import java.io.Serializable;

/**
 * What every task needs to know, sent with the tasks (small; a model file's bytes travel separately,
 * as a broadcast).
 *
 * @param model          a shipped model's name, {@code bicubic} or {@code lanczos}, or the file name of a
 *                       model file broadcast with the job ({@link ModelShipment})
 * @param scale          upscaling factor
 * @param tile           tile core size, 0 to choose it from {@code memory}
 * @param overlap        tile context in input pixels, negative for the network's receptive radius
 * @param batch          tiles per network call
 * @param memory         native memory budget of one task in bytes, 0 for the default (as {@code upscale})
 * @param bitDepth       output bit depth ({@code same} or {@code 32-bit})
 * @param normalization  {@code auto}, {@code percentile} or {@code none}
 * @param overwrite      replace existing outputs (otherwise they are skipped)
 * @param maxAttempts    attempts Spark makes of a task ({@code spark.task.maxFailures}, or F of
 *                       {@code local[N,F]}): a failure on the last attempt is reported, not thrown
 * @param failFirst      fault drill ({@code spark.superresolve.injectFailure}): relative paths, comma-separated,
 *                       whose first attempt fails as a lost executor would make it fail; empty for none
 * @param failAlways     fault drill ({@code spark.superresolve.injectFailure.always}): relative paths whose every
 *                       attempt fails
 * @param consistency    how results are degraded back to check their consistency with their inputs
 *                       ({@link io.github.superresolve.consistency.Degradation#parse}), or null for no check
 */
public record JobSettings(String model, int scale, int tile, int overlap, int batch, long memory, String bitDepth,
                          String normalization, boolean overwrite, int maxAttempts, String failFirst, String failAlways,
                          String consistency) implements Serializable {

    /** Settings without a consistency check. */
    public JobSettings(String model, int scale, int tile, int overlap, int batch, long memory, String bitDepth,
                       String normalization, boolean overwrite, int maxAttempts, String failFirst, String failAlways) {
        this(model, scale, tile, overlap, batch, memory, bitDepth, normalization, overwrite, maxAttempts, failFirst, failAlways, null);
    }

    ImageUpscaler.Options options() {
        return new ImageUpscaler.Options(ImageUpscaler.BitDepth.parse(bitDepth), ImageUpscaler.Normalization.parse(normalization), 0.1, 99.9);
    }

    /** Whether the fault drill asks this attempt (0-based) of this image to fail. */
    boolean injectedFailure(String relativePath, int attemptNumber) {
        return listed(failAlways, relativePath) || attemptNumber == 0 && listed(failFirst, relativePath);
    }

    private static boolean listed(String paths, String relativePath) {
        if (paths == null || paths.isBlank()) return false;
        for (String p : paths.split(",")) if (p.trim().equals(relativePath)) return true;
        return false;
    }
}
