package io.github.superresolve.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The driver's summary of a job: images written, skipped (output already there) and failed (each by
 * name, with its sentence), the inputs not tried again because they failed before, megapixels read and
 * written, throughput over the job's wall time, and each executor's share (images, megapixels, seconds
 * in tasks). A CSV of every image can be written beside it ({@code --report}).
 */
public record JobReport(List<TaskOutcome> outcomes, double wallSeconds) {

    public long count(TaskOutcome.Status s) {
        return outcomes.stream().filter(o -> o.status() == s).count();
    }

    public long written() {
        return count(TaskOutcome.Status.WRITTEN);
    }

    public long skipped() {
        return count(TaskOutcome.Status.SKIPPED);
    }

    public long failed() {
        return count(TaskOutcome.Status.FAILED);
    }

    /** Inputs not tried again because they failed before, unchanged since. */
    public long failedBefore() {
        return count(TaskOutcome.Status.FAILED_BEFORE);
    }

    /** Inputs left without an output because they failed, in this run or before. */
    public long unfinished() {
        return outcomes.stream().filter(TaskOutcome::unfinished).count();
    }

    /**
     * The job's own failure, or null: when nothing was written and an image failed on every attempt for a
     * reason that is not its own (an executor that cannot write the output or read the input, a model the
     * executors cannot load), the cluster or a file system failed the job rather than the inputs.
     */
    public String jobFailure() {
        if (written() > 0) return null;
        return outcomes.stream().filter(o -> o.status() == TaskOutcome.Status.FAILED && !o.inputFault()).findFirst()
                .map(o -> "No image could be written: each one tried failed for a reason not its own (" + o.relativePath() + ": " + o.message()
                        + "); check that the executors can read the input, write the output and load the model.")
                .orElse(null);
    }

    /** One executor's share of the written images. */
    public record Share(String executor, String host, long images, double inputMegapixels, double seconds) {
    }

    /** Each executor's share of the written images, by executor id (numbers in order, {@code driver} first). */
    public List<Share> shares() {
        Map<String, List<TaskOutcome>> by = new TreeMap<>(Comparator.comparing((String e) -> e.matches("\\d+") ? e.length() : 0)
                .thenComparing(Comparator.naturalOrder()));
        for (TaskOutcome o : outcomes)
            if (o.status() == TaskOutcome.Status.WRITTEN) by.computeIfAbsent(o.executor(), k -> new ArrayList<>()).add(o);
        List<Share> s = new ArrayList<>();
        by.forEach((e, os) -> s.add(new Share(e, os.get(0).host(), os.size(), os.stream().mapToLong(TaskOutcome::inputPixels).sum() / 1e6,
                os.stream().mapToDouble(TaskOutcome::seconds).sum())));
        return s;
    }

    public double inputMegapixels() {
        return outcomes.stream().mapToLong(TaskOutcome::inputPixels).sum() / 1e6;
    }

    public double outputMegapixels() {
        return outcomes.stream().mapToLong(TaskOutcome::outputPixels).sum() / 1e6;
    }

    /** Tasks that needed more than one attempt (retried by Spark). */
    public long retried() {
        return outcomes.stream().filter(o -> o.attempt() > 1).count();
    }

    /** The written images' consistency with their inputs: {count, mean RSE, mean RSP, least RSP}, or null when not checked. */
    public double[] consistency() {
        double[] rsps = outcomes.stream().filter(o -> o.status() == TaskOutcome.Status.WRITTEN && !Double.isNaN(o.rsp()))
                .mapToDouble(TaskOutcome::rsp).toArray();
        if (rsps.length == 0) return null;
        double rse = outcomes.stream().filter(o -> o.status() == TaskOutcome.Status.WRITTEN && !Double.isNaN(o.rsp()))
                .mapToDouble(TaskOutcome::rse).average().orElse(Double.NaN);
        return new double[]{rsps.length, rse, java.util.Arrays.stream(rsps).average().orElse(Double.NaN),
                java.util.Arrays.stream(rsps).min().orElse(Double.NaN)};
    }

    public void print(PrintStream out) {
        for (TaskOutcome o : outcomes)
            if (o.status() == TaskOutcome.Status.FAILED) out.println("failed: " + o.relativePath() + ": " + o.message());
        List<String> before = outcomes.stream().filter(o -> o.status() == TaskOutcome.Status.FAILED_BEFORE).map(TaskOutcome::relativePath).toList();
        if (!before.isEmpty())
            out.printf("skipped %d input%s that failed before: %s; --retry-failed tries them again%n", before.size(), before.size() == 1 ? "" : "s",
                    before.size() <= 20 ? String.join(", ", before) : String.join(", ", before.subList(0, 20)) + " and " + (before.size() - 20) + " more");
        double[] c = consistency();
        if (c != null)
            out.printf(Locale.ROOT, "consistency with the inputs (%d checked): mean RSE %.4g, mean RSP %.4f, least RSP %.4f%s%n", (long) c[0],
                    c[1], c[2], c[3], outcomes.stream().filter(o -> o.rsp() == c[3]).findFirst().map(o -> " (" + o.relativePath() + ")").orElse(""));
        out.printf(Locale.ROOT, "%d written, %d skipped, %d failed; %d retried; %.3g megapixels in, %.3g out in %.1f s: %.3g megapixels in/s, %.3g images/s%n",
                written(), skipped(), failed(), retried(), inputMegapixels(), outputMegapixels(), wallSeconds,
                inputMegapixels() / Math.max(1e-9, wallSeconds), written() / Math.max(1e-9, wallSeconds));
        List<Share> shares = shares();
        if (written() > 0)
            for (Share s : shares)
                out.printf(Locale.ROOT, "executor %s on %s: %d images (%.0f%%), %.3g megapixels in, %.1f s in tasks: %.3g megapixels in/s%n",
                        s.executor(), s.host(), s.images(), 100.0 * s.images() / written(), s.inputMegapixels(), s.seconds(),
                        s.inputMegapixels() / Math.max(1e-9, s.seconds()));
    }

    /**
     * One row per image: path, status ({@code written}, {@code skipped}, {@code failed}, {@code failed_before}), output,
     * attempt, host, seconds, pixels, message, RSE and RSP (empty unless checked), executor id.
     */
    public String csv() {
        StringBuilder b = new StringBuilder("input,status,output,attempt,host,seconds,input_pixels,output_pixels,message,rse,rsp,executor\n");
        for (TaskOutcome o : outcomes)
            b.append(quote(o.relativePath())).append(',').append(o.status().name().toLowerCase(Locale.ROOT)).append(',')
                    .append(quote(o.output())).append(',').append(o.attempt()).append(',').append(quote(o.host())).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", o.seconds())).append(',').append(o.inputPixels()).append(',')
                    .append(o.outputPixels()).append(',').append(quote(o.message())).append(',')
                    .append(Double.isNaN(o.rse()) ? "" : String.format(Locale.ROOT, "%.6g", o.rse())).append(',')
                    .append(Double.isNaN(o.rsp()) ? "" : String.format(Locale.ROOT, "%.6f", o.rsp())).append(',')
                    .append(quote(o.executor())).append('\n');
        return b.toString();
    }

    private static String quote(String s) {
        return Csv.quote(s);
    }
}
