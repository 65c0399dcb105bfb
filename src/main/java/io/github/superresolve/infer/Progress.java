package io.github.superresolve.infer;

import java.util.concurrent.CancellationException;

/**
 * Receives progress of a long job and tells it when to stop. Cancel is cooperative: work checks
 * {@link #checkCancelled()} between tiles; interrupting the working thread cancels too.
 */
public interface Progress {

    /** Progress that reports nothing and cancels only on interruption. */
    Progress NONE = (done, total) -> { };

    /** {@code done} of {@code total} work units are finished. */
    void report(long done, long total);

    /** Whether the user asked to stop. */
    default boolean isCancelled() {
        return Thread.currentThread().isInterrupted();
    }

    /** Throws {@link CancellationException} if the user asked to stop. */
    default void checkCancelled() {
        if (isCancelled()) throw new CancellationException("Super-resolution was cancelled.");
    }

    /** A view of this progress that maps its own 0..total onto [from, from+span) of the parent's 0..parentTotal. */
    default Progress slice(long from, long span, long parentTotal) {
        Progress parent = this;
        return new Progress() {
            @Override
            public void report(long done, long total) {
                long d = total <= 0 ? from : from + Math.round((double) span * done / total);
                parent.report(d, parentTotal);
            }

            @Override
            public boolean isCancelled() {
                return parent.isCancelled();
            }
        };
    }
}
