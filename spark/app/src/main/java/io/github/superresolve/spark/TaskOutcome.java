package io.github.superresolve.spark;

import java.io.Serializable;

/**
 * What became of one image.
 *
 * @param relativePath  the input's path relative to the input root
 * @param status        written, skipped (its output was there) or failed
 * @param output        the output's URI (written or skipped), or null
 * @param message       why it failed, or null
 * @param inputPixels   pixels read (width x height x planes; 0 unless written)
 * @param outputPixels  pixels written
 * @param seconds       time spent on it in the task (reading, upscaling, writing)
 * @param attempt       Spark's attempt of the task (1 for the first)
 * @param host          executor host that did it
 * @param rse           the result's resolution-scaled error against its input (input units), NaN unless checked
 * @param rsp           the result's resolution-scaled Pearson coefficient with its input, NaN unless checked
 */
public record TaskOutcome(String relativePath, Status status, String output, String message, long inputPixels, long outputPixels,
                          double seconds, int attempt, String host, double rse, double rsp) implements Serializable {

    /** An outcome without a consistency check. */
    public TaskOutcome(String relativePath, Status status, String output, String message, long inputPixels, long outputPixels,
                       double seconds, int attempt, String host) {
        this(relativePath, status, output, message, inputPixels, outputPixels, seconds, attempt, host, Double.NaN, Double.NaN);
    }

    public enum Status { WRITTEN, SKIPPED, FAILED }

    static TaskOutcome failed(ImageTask t, String message, double seconds, int attempt, String host) {
        return new TaskOutcome(t.relativePath(), Status.FAILED, null, message, 0, 0, seconds, attempt, host);
    }

    static TaskOutcome skipped(ImageTask t, String output, int attempt, String host) {
        return new TaskOutcome(t.relativePath(), Status.SKIPPED, output, null, 0, 0, 0, attempt, host);
    }
}
