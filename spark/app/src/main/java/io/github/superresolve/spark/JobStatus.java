package io.github.superresolve.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;

/**
 * The application's outcome in a file of its own ({@code --status URI}), for cluster deploy mode: there the driver
 * runs on a worker and {@code spark-submit} exits 0 whatever the driver did (Spark 3.5's standalone client exits 0
 * on every final driver state, FAILED included, even with {@code spark.standalone.submit.waitAppCompletion}; YARN
 * and Kubernetes report the driver's state, not its exit code), so the exit codes 0–3 would otherwise be lost.
 *
 * <p>The driver writes the file twice, each time atomically: {@code state=running} with the application's id when
 * the Spark context is up (so a rerun never leaves an earlier run's outcome in place), then {@code state=ended}
 * with the exit code and the summary lines (or the one sentence of a failure). A file still saying {@code running}
 * after the driver is gone means the driver died without ending (killed, out of memory): {@link #exitCode()}
 * reports that as {@link JobFailure#JOB_FAILED}.
 *
 * <p>{@link #main} reads it back and exits with the driver's code, through any Hadoop file system:
 * {@code spark-submit --class io.github.superresolve.spark.JobStatus super-resolve-spark-VERSION.jar URI}.
 */
public record JobStatus(String state, int exit, String application, String started, String ended, String summary) {

    public static final String RUNNING = "running", ENDED = "ended";

    /** The exit code the driver ended with; {@link JobFailure#JOB_FAILED} for a driver that never ended. */
    public int exitCode() {
        return ENDED.equals(state) ? exit : JobFailure.JOB_FAILED;
    }

    /** A job started: {@code state=running}. */
    static JobStatus running(String application) {
        return new JobStatus(RUNNING, -1, application, Instant.now().toString(), "", "");
    }

    /** This run ended with {@code code} and these summary lines. */
    JobStatus ended(int code, String summaryLines) {
        return new JobStatus(ENDED, code, application, started, Instant.now().toString(), summaryLines.strip());
    }

    /** The file's text: Java properties (one key per line; the summary's line breaks escaped). */
    String text() {
        Properties p = new Properties();
        p.setProperty("state", state);
        if (ENDED.equals(state)) p.setProperty("exit", String.valueOf(exit));
        p.setProperty("application", application == null ? "" : application);
        p.setProperty("started", started == null ? "" : started);
        if (ENDED.equals(state)) p.setProperty("ended", ended);
        p.setProperty("summary", summary == null ? "" : summary);
        StringWriter w = new StringWriter();
        try {
            p.store(w, "super-resolve spark: the outcome of one run (exit 0 all written or skipped, 1 some inputs failed, 2 usage error, 3 the job failed)");
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** Parses {@link #text()}; a file that is not one gets a sentence naming it. */
    static JobStatus parse(String text, String where) {
        Properties p = new Properties();
        try {
            p.load(new java.io.StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " is not a status file written by super-resolve spark --status (" + e.getMessage() + ").");
        }
        String state = p.getProperty("state");
        if (!RUNNING.equals(state) && !ENDED.equals(state))
            throw new IllegalArgumentException(where + " is not a status file written by super-resolve spark --status: it has no state=running or state=ended line.");
        int exit = -1;
        if (ENDED.equals(state)) {
            try {
                exit = Integer.parseInt(p.getProperty("exit", "").trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + " says state=ended without an exit code: it is damaged; the driver's log on its worker has the outcome.");
            }
        }
        return new JobStatus(state, exit, p.getProperty("application", ""), p.getProperty("started", ""), p.getProperty("ended", ""),
                p.getProperty("summary", ""));
    }

    /** Writes the file atomically (a hidden temporary name beside it, then a rename). */
    void write(String uri, Configuration hadoop) throws JobFailure {
        try {
            HadoopFiles.writeAtomically(new Path(uri), text(), hadoop);
        } catch (IOException | RuntimeException e) {
            throw new JobFailure("The status file " + uri + " cannot be written (" + JobFailure.describe(e)
                    + "): check its folder's permissions and file system, or give another --status.", e);
        }
    }

    /** Reads the file. */
    static JobStatus read(String uri, Configuration hadoop) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = HadoopFiles.of(p, hadoop);
        if (!fs.exists(p))
            throw new JobFailure("There is no status file " + uri + ": the driver did not start (see spark-submit's output and the master's "
                    + "log), or the application was submitted without --status " + uri + ".", null);
        try (FSDataInputStream in = fs.open(p)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), uri);
        }
    }

    /** What {@link #main} prints: the summary, then one line with the state and the code. */
    void print(PrintStream out) {
        if (!summary.isEmpty()) out.println(summary);
        if (ENDED.equals(state))
            out.printf("application %s ended %s with exit code %d%n", application, ended, exit);
        else
            out.printf("application %s started %s and has not ended: still running, or its driver died without ending (exit code %d)%n",
                    application, started, exitCode());
    }

    /**
     * Prints the status file's outcome and exits with the driver's exit code; 3 when the file is missing (the driver
     * never started) or cannot be read, 2 when it is not a status file.
     */
    public static void main(String[] args) {
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: spark-submit --class io.github.superresolve.spark.JobStatus super-resolve-spark-VERSION.jar URI "
                    + "(the file given to the application as --status URI); exits with the driver's exit code");
            System.exit(JobFailure.USAGE);
        }
        int code;
        try {
            JobStatus s = read(args[0], new Configuration());
            s.print(System.out);
            code = s.exitCode();
        } catch (IllegalArgumentException e) {
            System.err.println("super-resolve spark status: " + e.getMessage());
            code = JobFailure.USAGE;
        } catch (JobFailure e) {
            System.err.println("super-resolve spark status: " + e.getMessage());
            code = JobFailure.JOB_FAILED;
        } catch (IOException e) {
            System.err.println("super-resolve spark status: " + args[0] + " cannot be read (" + JobFailure.describe(e) + ").");
            code = JobFailure.JOB_FAILED;
        }
        System.exit(code);
    }
}
