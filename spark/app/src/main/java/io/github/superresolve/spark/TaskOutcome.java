package io.github.superresolve.spark;

import java.io.Serializable;

/**
 * What became of one image.
 *
 * @param relativePath  the input's path relative to the input root
 * @param status        written, skipped (its output was there), failed, or failed before (a remembered
 *                      failure of the unchanged input, not tried again: {@link FailureLog})
 * @param output        the output's URI (written or skipped), or null
 * @param message       why it failed, or null
 * @param inputPixels   pixels read (width x height x planes; 0 unless written)
 * @param outputPixels  pixels written
 * @param seconds       time spent on it in the task (reading, upscaling, writing)
 * @param attempt       Spark's attempt of the task (1 for the first; 0 when no task saw it)
 * @param host          host name of the JVM that did it
 * @param rse           the result's resolution-scaled error against its input (input units), NaN unless checked
 * @param rsp           the result's resolution-scaled Pearson coefficient with its input, NaN unless checked
 * @param executor      Spark's executor id of the JVM that did it ({@code driver} in local mode and for the driver's own skips)
 * @param inputFault    whether it failed for a reason of the input itself (unreadable, damaged), which is
 *                      remembered so that reruns skip it; false for failures of the cluster, file systems or model
 */
public record TaskOutcome(String relativePath, Status status, String output, String message, long inputPixels, long outputPixels,
                          double seconds, int attempt, String host, double rse, double rsp, String executor,
                          boolean inputFault) implements Serializable {

    /** An outcome without an executor id (the driver's) and not the input's fault. */
    public TaskOutcome(String relativePath, Status status, String output, String message, long inputPixels, long outputPixels,
                       double seconds, int attempt, String host, double rse, double rsp) {
        this(relativePath, status, output, message, inputPixels, outputPixels, seconds, attempt, host, rse, rsp, "driver", false);
    }

    /** An outcome without a consistency check. */
    public TaskOutcome(String relativePath, Status status, String output, String message, long inputPixels, long outputPixels,
                       double seconds, int attempt, String host) {
        this(relativePath, status, output, message, inputPixels, outputPixels, seconds, attempt, host, Double.NaN, Double.NaN);
    }

    /** What can become of an image. */
    public enum Status { WRITTEN, SKIPPED, FAILED, FAILED_BEFORE }

    /** Whether the image has no output because it failed, in this run or (unchanged since) in an earlier one. */
    public boolean unfinished() {
        return status == Status.FAILED || status == Status.FAILED_BEFORE;
    }

    static TaskOutcome failed(ImageTask t, String message, double seconds, int attempt, Where w, boolean inputFault) {
        return new TaskOutcome(t.relativePath(), Status.FAILED, null, message, 0, 0, seconds, attempt, w.host(), Double.NaN, Double.NaN,
                w.executor(), inputFault);
    }

    static TaskOutcome skipped(ImageTask t, String output, int attempt, Where w) {
        return new TaskOutcome(t.relativePath(), Status.SKIPPED, output, null, 0, 0, 0, attempt, w.host(), Double.NaN, Double.NaN,
                w.executor(), false);
    }

    /** Where a task ran: Spark's executor id and the host name. */
    record Where(String executor, String host) implements Serializable {
        static final Where DRIVER = new Where("driver", "driver");
    }
}
