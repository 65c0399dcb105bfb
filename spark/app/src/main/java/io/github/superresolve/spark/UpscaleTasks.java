package io.github.superresolve.spark;

import io.github.superresolve.consistency.ConsistencyReport;
import io.github.superresolve.consistency.Degradation;
import io.github.superresolve.consistency.ImageConsistency;
import io.github.superresolve.image.ImageFiles;

import io.github.superresolve.infer.FileUpscaler;
import io.github.superresolve.infer.Progress;
import io.github.superresolve.nn.ModelException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a Spark task does with its images: for each, read it (directly from a local file system, else
 * copied to a local temporary file), upscale it with {@link FileUpscaler} as {@code upscale} does,
 * and write the output atomically: on a local file system by {@code upscale}'s own temporary-file
 * rename; elsewhere by uploading to a hidden temporary name in the output folder and renaming it
 * (atomic on HDFS; a copy on S3, where the hidden name keeps readers from seeing half a file).
 *
 * <p><b>Failures.</b> A problem of the input itself (unreadable, damaged, too small, NaN pixels: the
 * core's {@link IllegalArgumentException} sentences) is the same on every attempt, so it is reported
 * at once and the task goes on with its other images. Anything else (an I/O error, a lost file system,
 * an executor out of memory) is thrown, so that Spark retries the task, possibly elsewhere; on the
 * task's last attempt it is reported instead of thrown, so that one image failing every time is named
 * in the summary and does not stop the job. Outputs written before a failure stay; the retry skips them.
 */
final class UpscaleTasks implements FlatMapFunction<Iterator<ImageTask>, TaskOutcome> {

    private final JobSettings settings;
    private final Broadcast<ModelShipment> model;
    private final HadoopConf hadoop;

    UpscaleTasks(JobSettings settings, Broadcast<ModelShipment> model, HadoopConf hadoop) {
        this.settings = settings;
        this.model = model;
        this.hadoop = hadoop;
    }

    @Override
    public Iterator<TaskOutcome> call(Iterator<ImageTask> tasks) throws Exception {
        ImageFiles.quietReaders = true; // in the executor's JVM too: the task's one sentence per damaged input, not ImageJ's console lines
        TaskContext ctx = TaskContext.get();
        int attempt = ctx == null ? 0 : ctx.attemptNumber();
        int cpus = ctx == null ? 1 : ctx.cpus();
        TaskOutcome.Where where = where();
        ModelShipment m = model.value();
        FileUpscaler files = Workers.borrow(settings, m, cpus);
        try {
            List<TaskOutcome> out = new ArrayList<>();
            while (tasks.hasNext()) out.add(one(tasks.next(), files, attempt, where));
            return out.iterator();
        } finally {
            Workers.giveBack(settings, m, files);
        }
    }

    TaskOutcome one(ImageTask t, FileUpscaler files, int attempt, TaskOutcome.Where where) throws IOException {
        long t0 = System.nanoTime();
        try {
            if (settings.injectedFailure(t.relativePath(), attempt))
                throw new IllegalStateException("injected failure of " + t.relativePath() + " on attempt " + (attempt + 1) + " (fault drill)");
            return transfer(t, files, attempt, where);
        } catch (IllegalArgumentException e) { // the input itself: the same on every attempt, remembered for reruns
            return TaskOutcome.failed(t, e.getMessage(), seconds(t0), attempt + 1, where, true);
        } catch (ModelException e) { // the model: would fail the same way again, but it is not the input's fault
            return TaskOutcome.failed(t, e.getMessage(), seconds(t0), attempt + 1, where, false);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            if (attempt + 1 < settings.maxAttempts())
                throw new IOException("Image " + t.input() + " failed on attempt " + (attempt + 1) + " of " + settings.maxAttempts()
                        + " (" + why + "); Spark retries the task.", e);
            return TaskOutcome.failed(t, "failed on every attempt (" + settings.maxAttempts() + "), last: " + why, seconds(t0), attempt + 1, where, false);
        }
    }

    private TaskOutcome transfer(ImageTask t, FileUpscaler files, int attempt, TaskOutcome.Where where) throws IOException {
        long t0 = System.nanoTime();
        Path outFolder = new Path(t.outputFolder());
        FileSystem outFs = outFolder.getFileSystem(hadoop.get());
        Path expected = new Path(outFolder, t.outputName());
        if (!settings.overwrite() && outFs.exists(expected)) return TaskOutcome.skipped(t, expected.toString(), attempt + 1, where);
        java.nio.file.Path scratch = null;
        try {
            java.nio.file.Path localIn = local(new Path(t.input()));
            if (localIn == null) {
                scratch = Files.createTempDirectory("super-resolve-task-");
                localIn = scratch.resolve("in").resolve(t.name());
                Files.createDirectories(localIn.getParent());
                Path src = new Path(t.input());
                src.getFileSystem(hadoop.get()).copyToLocalFile(false, src, new Path(localIn.toUri()), true);
            }
            boolean localOut = local(outFolder) != null;
            java.nio.file.Path outDir;
            if (localOut) {
                outDir = local(outFolder);
                Files.createDirectories(outDir);
            } else {
                if (scratch == null) scratch = Files.createTempDirectory("super-resolve-task-");
                outDir = scratch.resolve("out");
                Files.createDirectories(outDir);
            }
            FileUpscaler.Prepared p = files.prepare(localIn, outDir);
            Path target = new Path(outFolder, p.target().getFileName().toString());
            if (!settings.overwrite() && !target.equals(expected) && outFs.exists(target))
                return TaskOutcome.skipped(t, target.toString(), attempt + 1, where);
            if (settings.consistency() != null && !settings.overwrite()) {
                Path mapTarget = new Path(outFolder, ImageConsistency.baseName(p.target().getFileName().toString()) + "-consistency.tif");
                if (outFs.exists(mapTarget))
                    return TaskOutcome.failed(t, "The consistency map " + mapTarget + " exists, but not the output: use --overwrite to replace it.",
                            seconds(t0), attempt + 1, where, false);
            }
            FileUpscaler.Written w = files.write(p, Progress.NONE);
            double rse = Double.NaN, rsp = Double.NaN;
            if (settings.consistency() != null) {
                // the result as written, against its input: the map beside it as NAME-consistency.tif
                ConsistencyReport report = ImageConsistency.analyse(p.image(), ImageFiles.open(p.target()), settings.scale(),
                        new ImageConsistency.Options(Degradation.parse(settings.consistency()), false));
                java.nio.file.Path map = outDir.resolve(report.map().getTitle() + ".tif");
                Path mapTarget = new Path(outFolder, map.getFileName().toString());
                ImageFiles.save(report.map(), map);
                if (!localOut) upload(outFs, map, mapTarget, attempt);
                rse = report.overallRse();
                rsp = report.overallRsp();
            }
            if (!localOut) upload(outFs, p.target(), target, attempt);
            return new TaskOutcome(t.relativePath(), TaskOutcome.Status.WRITTEN, target.toString(), null, w.inputPixels(),
                    (long) w.width() * w.height() * p.image().getStackSize(), seconds(t0), attempt + 1, where.host(), rse, rsp, where.executor(), false);
        } finally {
            if (scratch != null) deleteQuietly(scratch);
        }
    }

    /** Uploads under a hidden temporary name in the output folder, then renames it to the output. */
    private void upload(FileSystem fs, java.nio.file.Path local, Path target, int attempt) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".part-" + attempt + "-" + Long.toHexString(System.nanoTime()));
        fs.mkdirs(target.getParent());
        fs.copyFromLocalFile(false, true, new Path(local.toUri()), tmp);
        if (settings.overwrite() && fs.exists(target)) fs.delete(target, false);
        if (!fs.rename(tmp, target)) {
            boolean done = fs.exists(target); // another attempt (speculation) finished first
            fs.delete(tmp, false);
            if (!done) throw new IOException("Could not rename " + tmp + " to " + target + ".");
        }
    }

    /** The local file a Hadoop path stands for, or null if it is on another file system. */
    private java.nio.file.Path local(Path p) throws IOException {
        URI u = p.toUri();
        if (u.getScheme() == null || u.getScheme().equals("file")) return java.nio.file.Path.of(u.getPath());
        FileSystem fs = p.getFileSystem(hadoop.get());
        return fs instanceof LocalFileSystem ? java.nio.file.Path.of(u.getPath()) : null;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** This JVM's executor id ({@code driver} in local mode or outside Spark) and host name. */
    static TaskOutcome.Where where() {
        SparkEnv env = SparkEnv.get();
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return new TaskOutcome.Where(env == null ? "driver" : env.executorId(), host);
    }

    private static void deleteQuietly(java.nio.file.Path dir) {
        try (Stream<java.nio.file.Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is removed with the executor's scratch space
        }
    }
}
