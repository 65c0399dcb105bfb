package io.github.superresolve.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The inputs that failed for reasons of their own (unreadable, damaged, too small: the sentences of
 * {@link TaskOutcome#inputFault()}), remembered in the output folder as {@value #NAME} so that a rerun
 * does not start a task just to fail them again. A CSV with the columns {@code input,size,modified,message}:
 * the input's path relative to the input root, its length and modification time (milliseconds) when it
 * failed, and the sentence. An input whose size or modification time has changed since (a fixed file) is
 * tried again; {@code --retry-failed} tries them all again. Failures of the cluster, the file systems or
 * the model are not remembered. Written by the driver through the output's Hadoop file system under a
 * hidden temporary name and renamed, as the outputs are; removed when nothing is left in it.
 */
final class FailureLog {

    /** The file's name in the output folder (hidden, so that listings of outputs and inputs leave it out). */
    static final String NAME = ".super-resolve-failed.csv";

    /** One remembered failure. */
    record Entry(String relativePath, long size, long modified, String message) {
    }

    /** The tasks to run, and the inputs not tried again because they failed before and are unchanged since. */
    record Split(List<ImageTask> run, List<TaskOutcome> failedBefore) {
    }

    private final Map<String, Entry> entries;

    FailureLog(Map<String, Entry> entries) {
        this.entries = entries;
    }

    Map<String, Entry> entries() {
        return entries;
    }

    /** The log in an output folder; empty when there is none. */
    static FailureLog read(String outputUri, Configuration hadoop) throws IOException {
        Path p = new Path(outputUri, NAME);
        FileSystem fs = HadoopFiles.of(p, hadoop);
        if (!fs.exists(p)) return new FailureLog(new TreeMap<>());
        try (FSDataInputStream in = fs.open(p)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static FailureLog parse(String csv) {
        Map<String, Entry> m = new TreeMap<>();
        for (String line : csv.split("\n")) {
            List<String> f = Csv.fields(line);
            if (f.size() < 4 || f.get(0).equals("input")) continue; // the header, or a line cut short
            try {
                m.put(f.get(0), new Entry(f.get(0), Long.parseLong(f.get(1)), Long.parseLong(f.get(2)), f.get(3)));
            } catch (NumberFormatException e) {
                // a damaged line: that input is simply tried again
            }
        }
        return new FailureLog(m);
    }

    String csv() {
        StringBuilder b = new StringBuilder("input,size,modified,message\n");
        for (Entry e : entries.values())
            b.append(Csv.quote(e.relativePath())).append(',').append(e.size()).append(',').append(e.modified()).append(',')
                    .append(Csv.quote(e.message().replace('\n', ' '))).append('\n');
        return b.toString();
    }

    /** Leaves out the inputs that failed before and are unchanged since, unless {@code retry}. */
    Split split(List<ImageTask> tasks, boolean retry) {
        List<ImageTask> run = new ArrayList<>();
        List<TaskOutcome> before = new ArrayList<>();
        for (ImageTask t : tasks) {
            Entry e = entries.get(t.relativePath());
            if (!retry && e != null && e.size() == t.size() && e.modified() == t.modified())
                before.add(new TaskOutcome(t.relativePath(), TaskOutcome.Status.FAILED_BEFORE, null, e.message(), 0, 0, 0, 0,
                        TaskOutcome.Where.DRIVER.host(), Double.NaN, Double.NaN, TaskOutcome.Where.DRIVER.executor(), true));
            else run.add(t);
        }
        return new Split(run, before);
    }

    /** The log after a job: the failures skipped again, and this run's failures of inputs themselves. */
    FailureLog after(List<TaskOutcome> outcomes, List<ImageTask> tasks) {
        Map<String, ImageTask> byPath = new LinkedHashMap<>();
        for (ImageTask t : tasks) byPath.put(t.relativePath(), t);
        Map<String, Entry> m = new TreeMap<>();
        for (TaskOutcome o : outcomes) {
            ImageTask t = byPath.get(o.relativePath());
            if (o.status() == TaskOutcome.Status.FAILED_BEFORE && entries.containsKey(o.relativePath()))
                m.put(o.relativePath(), entries.get(o.relativePath()));
            else if (o.status() == TaskOutcome.Status.FAILED && o.inputFault() && t != null && t.size() >= 0)
                m.put(o.relativePath(), new Entry(o.relativePath(), t.size(), t.modified(), o.message()));
        }
        return new FailureLog(m);
    }

    /** Writes the log into the output folder (atomically), or removes it when it is empty. */
    void write(String outputUri, Configuration hadoop) throws IOException {
        Path p = new Path(outputUri, NAME);
        FileSystem fs = HadoopFiles.of(p, hadoop);
        if (entries.isEmpty()) {
            if (fs.exists(p) && !fs.delete(p, false)) throw new IOException("Could not remove " + p + ".");
            return;
        }
        HadoopFiles.writeAtomically(p, csv(), hadoop);
    }
}
