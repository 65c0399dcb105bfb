package io.github.superresolve.spark;

import io.github.superresolve.nn.ModelException;

import java.io.IOException;

/**
 * The application's exit codes, each meaning one thing, and the job's own failure: {@link #DONE} every
 * image written or skipped; {@link #SOME_FAILED} some inputs failed (each named above the summary, in
 * this run or, unchanged since, in an earlier one); {@link #USAGE} a usage error (an option, the model,
 * an input that does not exist); {@link #JOB_FAILED} the job itself failed: Spark or the cluster (no
 * executor could start, a stage aborted, the context stopped), or the output's file system (the output
 * folder, the report or the failure log cannot be written), or nothing written because every image tried
 * failed for a reason not its own ({@link JobReport#jobFailure()}). A job failure is one sentence on stderr,
 * without a stack trace ({@code -Dsuperresolve.debug=true} prints it).
 */
public final class JobFailure extends IOException {

    public static final int DONE = 0, SOME_FAILED = 1, USAGE = 2, JOB_FAILED = 3;

    /** A failure of the job with its sentence for the user. */
    public JobFailure(String sentence, Throwable cause) {
        super(sentence, cause);
    }

    /** The exit code for an exception out of the application: {@link #USAGE} for the user's input, {@link #JOB_FAILED} otherwise. */
    public static int exitCode(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof ModelException ? USAGE : JOB_FAILED;
    }

    /** One sentence for the user: what failed, and what to do. */
    public static String sentence(Throwable e) {
        if (e instanceof JobFailure || exitCode(e) == USAGE) return e.getMessage();
        String what = e.getClass().getName().startsWith("org.apache.spark") || e instanceof IllegalStateException
                ? "The Spark job failed" : "The job failed";
        return what + " (" + describe(e) + "): outputs written so far stay and a rerun does only what is missing; "
                + "the driver's log has Spark's account of the cluster.";
    }

    /** An exception's class and the first line of its message, at most 300 characters. */
    static String describe(Throwable e) {
        String m = e.getMessage() == null ? "" : e.getMessage().strip();
        int nl = m.indexOf('\n');
        if (nl >= 0) m = m.substring(0, nl).strip();
        if (m.length() > 300) m = m.substring(0, 297) + "...";
        return e.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }
}
