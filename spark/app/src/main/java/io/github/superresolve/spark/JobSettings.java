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
 * @param injectFailure  fault drill: relative paths (comma-separated) whose first attempt fails, or with
 *                       a leading {@code always:} every attempt; empty for none
 */
public record JobSettings(String model, int scale, int tile, int overlap, int batch, long memory, String bitDepth,
                          String normalization, boolean overwrite, int maxAttempts, String injectFailure) implements Serializable {

    ImageUpscaler.Options options() {
        return new ImageUpscaler.Options(ImageUpscaler.BitDepth.parse(bitDepth), ImageUpscaler.Normalization.parse(normalization), 0.1, 99.9);
    }

    /** Whether the fault drill asks this attempt (0-based) of this image to fail. */
    boolean injectedFailure(String relativePath, int attemptNumber) {
        if (injectFailure == null || injectFailure.isBlank()) return false;
        String spec = injectFailure.trim();
        boolean always = spec.startsWith("always:");
        if (always) spec = spec.substring("always:".length());
        for (String p : spec.split(","))
            if (p.trim().equals(relativePath)) return always || attemptNumber == 0;
        return false;
    }
}
