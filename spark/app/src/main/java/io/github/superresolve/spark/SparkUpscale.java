package io.github.superresolve.spark;

import io.github.superresolve.image.ImageFiles;
import io.github.superresolve.infer.FileUpscaler;
import io.github.superresolve.infer.ImageUpscaler;
import io.github.superresolve.infer.MemoryBudget;
import io.github.superresolve.infer.NetworkUpscaler;
import io.github.superresolve.infer.Upscaler;
import io.github.superresolve.resolve.ModelResolver;
import io.github.superresolve.resolve.ResolvedModel;
import io.github.superresolve.resolve.Tiling;
import io.github.superresolve.nn.ModelCatalog;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Spark application: super-resolves every image under {@code --input} into {@code --output}, one
 * task per image (or per {@code --files-per-task}), with the same model, tiling, normalisation,
 * names, formats and calibration as {@code super-resolve upscale}. Submitted with
 * {@code spark-submit --class io.github.superresolve.spark.SparkUpscale super-resolve-spark-VERSION.jar ...},
 * or run without a cluster by {@code bin/super-resolve spark --master local[N] ...}.
 *
 * <p>The driver checks the model (loading it once, so a damaged model is one sentence before any task
 * starts), lists the inputs and skips those whose output exists, broadcasts a model file's bytes,
 * leaves out inputs that failed before and are unchanged since ({@link FailureLog}, unless
 * {@code --retry-failed}), runs the tasks ({@link UpscaleTasks}), remembers the inputs that failed for
 * reasons of their own, and prints a summary ({@link JobReport}).
 *
 * <p>Exit codes ({@link JobFailure}): 0 every image written or skipped; 1 some inputs failed (each
 * named above the summary; also when the only ones left failed in an earlier run and were not tried
 * again); 2 a usage error; 3 the job itself failed (Spark or the cluster, or the output's file system;
 * also when nothing could be written and the images failed for reasons not their own), with one sentence on stderr.
 * With {@code --status URI} the same code and the summary are also written to a file ({@link JobStatus}): in cluster
 * deploy mode the driver's exit code does not reach {@code spark-submit}.
 */
@Command(name = "super-resolve spark", sortOptions = false, usageHelpWidth = 110,
        footer = {"", "Spark's own options (--conf K=V, --driver-memory M) go before the jar with spark-submit; "
                + "bin/super-resolve spark passes them on. Failed inputs are remembered in OUTPUT/.super-resolve-failed.csv and skipped by reruns until they change or --retry-failed is given.",
                "Exit codes: 0 every image written or skipped; 1 some inputs failed, in this run or unchanged since an earlier one (named above the summary); "
                        + "2 usage error; 3 the job itself failed (Spark or the cluster, the output's file system, or nothing written for reasons "
                        + "not the inputs' own: one sentence on stderr). In cluster deploy mode spark-submit exits 0 whatever the driver did: "
                        + "give --status URI and read it with 'spark-submit --class io.github.superresolve.spark.JobStatus JAR URI', which exits with the driver's code."},
        description = {"Super-resolves every image under an input URI (local, hdfs://, s3a://... any Hadoop file system) "
                + "into an output URI on Apache Spark: same names, formats and calibration as 'super-resolve upscale'; "
                + "outputs already there are skipped; each failing image is named and the others are written."})
public final class SparkUpscale implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "URI", description = "Image file or folder (searched recursively).")
    String input;
    @Option(names = "--output", required = true, paramLabel = "URI", description = "Output folder (input's subfolders are kept).")
    String output;
    @Option(names = "--model", paramLabel = "NAME|FILE", description = "Model name, bicubic, lanczos, or a model file (.zip, .onnx, package .zip). Default: srresnet-x4.")
    String model = "srresnet-x4";
    @Option(names = "--scale", paramLabel = "N", description = "Upscaling factor (default: the model's own).")
    Integer scale;
    @Option(names = "--tile", paramLabel = "N|auto", description = "Tile size in input pixels, or auto (from --memory).")
    String tile = "auto";
    @Option(names = "--overlap", paramLabel = "N", description = "Tile context in input pixels (default: the network's receptive radius).")
    int overlap = -1;
    @Option(names = "--batch", paramLabel = "N", description = "Tiles per network call.")
    int batch = 1;
    @Option(names = "--memory", paramLabel = "SIZE", description = "Native memory budget of one task, e.g. 1G (default as upscale: at most 1 GB).")
    String memory = "auto";
    @Option(names = "--bit-depth", paramLabel = "same|32-bit", description = "Output bit depth.")
    String bitDepth = "same";
    @Option(names = "--normalization", paramLabel = "auto|percentile|none", description = "Intensity normalisation.")
    String normalization = "auto";
    @Option(names = "--overwrite", description = "Replace existing outputs (default: skip them).")
    boolean overwrite;
    @Option(names = "--retry-failed", description = "Try again the inputs that failed before (default: skip them until they change).")
    boolean retryFailed;
    @Option(names = "--files-per-task", paramLabel = "N", description = "Images per Spark task (default 1: a retry repeats one image).")
    int filesPerTask = 1;
    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2] (spark-submit sets it otherwise). local[N] retries a failed task up to 4 times; local[N,F] sets F.")
    String master;
    @Option(names = "--consistency", description = "Also check every result against its input (NAME-consistency.tif beside it; RSE and RSP in the summary and the report).")
    boolean consistency;
    @Option(names = "--degradation", paramLabel = "bicubic|box|gaussian:SIGMA", defaultValue = "bicubic",
            description = "How --consistency degrades results back (default: bicubic, what made the models' training inputs).")
    String degradation;
    @Option(names = "--report", paramLabel = "URI", description = "Also write a CSV of every image (status, attempt, host, seconds, pixels, message, rse, rsp, executor).")
    String report;
    @Option(names = "--status", paramLabel = "URI", description = "Also write the run's outcome (state, exit code, summary) to this file: "
            + "in cluster deploy mode spark-submit exits 0 whatever the driver did; read it back with the class JobStatus, which exits with the driver's code.")
    String status;
    @Option(names = "--quiet", description = "Only the summary and failures.")
    boolean quiet;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private PrintStream out = System.out, err = System.err;
    /** What the status file says while the job runs (null until the Spark context is up), its file system, and the summary lines. */
    private JobStatus running;
    private Configuration hadoopConf;
    private String summary = "";

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the application; returns its exit code (0 all written or skipped, 1 some failed, 2 usage error, 3 the job failed). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        SparkUpscale app = new SparkUpscale();
        app.out = out;
        app.err = err;
        CommandLine cl = new CommandLine(app);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            String sentence = JobFailure.sentence(e);
            app.summary = (app.summary + "\n" + sentence).strip(); // after the summary lines, when the job failed at its end
            err.println("super-resolve spark: " + sentence);
            if (Boolean.getBoolean("superresolve.debug")) e.printStackTrace(err); // -Dsuperresolve.debug=true: where it came from
            return JobFailure.exitCode(e);
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (Error e) { // the driver out of memory, a class missing from the cluster's Spark: the job, not the inputs
            app.summary = JobFailure.sentence(e);
            err.println("super-resolve spark: " + app.summary);
            if (Boolean.getBoolean("superresolve.debug")) e.printStackTrace(err);
            code = JobFailure.JOB_FAILED;
        }
        return app.status == null || app.help ? code : app.endStatus(code);
    }

    /** Writes the status file's final state ({@code --status}); a status file that cannot be written fails the run (exit 3). */
    private int endStatus(int code) {
        JobStatus s = running != null ? running : JobStatus.running("");
        try {
            String lines = summary.isEmpty() && code == JobFailure.USAGE ? "a usage error: the driver's stderr names it" : summary;
            s.ended(code, lines).write(status, hadoopConf != null ? hadoopConf : new Configuration());
            return code;
        } catch (JobFailure e) {
            err.println("super-resolve spark: " + e.getMessage());
            return JobFailure.JOB_FAILED;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (filesPerTask < 1) throw new IllegalArgumentException("--files-per-task must be at least 1, not " + filesPerTask + ".");
        ImageFiles.quietReaders = true;
        SparkConf conf = new SparkConf().setAppName("super-resolve " + input);
        int maxAttempts;
        if (master != null) conf.setMaster(localWithRetries(master));
        String m = conf.get("spark.master", "local[*]");
        maxAttempts = attempts(m, conf);
        String taskCpus = conf.get("spark.task.cpus", "1");
        if (!conf.contains("spark.executorEnv.OMP_NUM_THREADS")) conf.set("spark.executorEnv.OMP_NUM_THREADS", taskCpus);

        long budget = MemoryBudget.parse(memory);
        ImageUpscaler.Options options = new ImageUpscaler.Options(ImageUpscaler.BitDepth.parse(bitDepth),
                ImageUpscaler.Normalization.parse(normalization), 0.1, 99.9);
        int tileSize = tile.trim().equalsIgnoreCase("auto") ? NetworkUpscaler.AUTO : parsePositive("--tile", tile);
        String consistencyCheck = consistency ? io.github.superresolve.consistency.Degradation.parse(degradation).toString() : null;

        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            Configuration hadoop = sc.hadoopConfiguration();
            if (status != null) { // before anything else: an earlier run's outcome never stays in place
                hadoopConf = hadoop;
                running = JobStatus.running(sc.sc().applicationId());
                running.write(status, hadoop);
            }
            ModelShipment shipment = ModelShipment.resolve(model, hadoop);
            // the driver opens the model once: a damaged or mismatched model is one sentence before any task
            ResolvedModel resolved = ModelResolver.standard().resolve(shipment.localSpec());
            int s = resolved.scaleFor(scale != null ? scale : -1); // none given: the model's own
            Upscaler check = resolved.upscaler(s, new Tiling(tileSize, overlap, batch, budget, false));
            FileUpscaler naming = new FileUpscaler(check, options);
            check.release();
            ImageListing.Result work = ImageListing.list(input, output, naming, overwrite, hadoop);
            HadoopFiles.checkWritable(output, hadoop);
            FailureLog failures = FailureLog.read(output, hadoop);
            FailureLog.Split split = failures.split(work.tasks(), retryFailed);
            JobSettings settings = new JobSettings(shipment.name(), s,
                    tileSize, overlap, batch, budget, bitDepth, normalization, overwrite, maxAttempts,
                    conf.get("spark.superresolve.injectFailure", ""), conf.get("spark.superresolve.injectFailure.always", ""),
                    consistencyCheck);
            if (!quiet)
                out.printf("%d images under %s (%d already done, %d failed before): %s x%d on %s, %d task attempts at most%n",
                        work.tasks().size() + work.skipped().size(), input, work.skipped().size(), split.failedBefore().size(), shipment.name(), s, m, maxAttempts);
            long t0 = System.nanoTime();
            List<TaskOutcome> outcomes = new ArrayList<>();
            for (String rel : work.skipped())
                outcomes.add(new TaskOutcome(rel, TaskOutcome.Status.SKIPPED, null, null, 0, 0, 0, 0, "driver"));
            outcomes.addAll(split.failedBefore());
            if (!split.run().isEmpty()) {
                Broadcast<ModelShipment> bm = sc.broadcast(shipment);
                int slices = (split.run().size() + filesPerTask - 1) / filesPerTask;
                outcomes.addAll(sc.parallelize(split.run(), slices)
                        .mapPartitions(new UpscaleTasks(settings, bm, new HadoopConf(hadoop)))
                        .collect());
                bm.destroy();
            }
            JobReport r = new JobReport(outcomes, (System.nanoTime() - t0) / 1e9);
            if (!quiet)
                for (TaskOutcome o : outcomes)
                    if (o.status() == TaskOutcome.Status.WRITTEN)
                        out.printf("%s -> %s (attempt %d, executor %s on %s, %.1f s)%n", o.relativePath(), o.output(), o.attempt(), o.executor(), o.host(),
                                o.seconds());
            java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
            r.print(new PrintStream(lines, true, java.nio.charset.StandardCharsets.UTF_8));
            summary = lines.toString(java.nio.charset.StandardCharsets.UTF_8);
            out.print(summary);
            try {
                failures.after(outcomes, work.tasks()).write(output, hadoop);
            } catch (java.io.IOException | RuntimeException e) {
                throw new JobFailure("The failure log " + new Path(output, FailureLog.NAME) + " cannot be written (" + JobFailure.describe(e)
                        + "): check the output's permissions and file system.", e);
            }
            if (report != null) writeReport(r, hadoop);
            if (r.jobFailure() != null) throw new JobFailure(r.jobFailure(), null);
            return r.unfinished() > 0 ? JobFailure.SOME_FAILED : JobFailure.DONE;
        }
    }

    private static final Pattern LOCAL_N = Pattern.compile("local\\[(\\d+|\\*)]");
    private static final Pattern LOCAL_NF = Pattern.compile("local\\[(\\d+|\\*)\\s*,\\s*(\\d+)]");

    /** {@code local[N]} becomes {@code local[N,4]}: Spark's local mode alone never retries a task; a cluster retries 4 times. */
    static String localWithRetries(String master) {
        Matcher mm = LOCAL_N.matcher(master.trim());
        if (master.trim().equals("local")) return "local[1,4]";
        return mm.matches() ? "local[" + mm.group(1) + ",4]" : master.trim();
    }

    /** Attempts Spark makes of a task under this master. */
    static int attempts(String master, SparkConf conf) {
        Matcher nf = LOCAL_NF.matcher(master.trim());
        if (nf.matches()) return Math.max(1, Integer.parseInt(nf.group(2)));
        if (master.trim().startsWith("local")) return 1;
        return Math.max(1, conf.getInt("spark.task.maxFailures", 4));
    }

    private static int parsePositive(String option, String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " must be a positive number or auto, not '" + v + "'.");
    }

    private void writeReport(JobReport r, Configuration hadoop) throws JobFailure {
        Path p = new Path(report);
        try {
            HadoopFiles.writeAtomically(p, r.csv(), hadoop);
        } catch (java.io.IOException | RuntimeException e) {
            throw new JobFailure("The report " + report + " cannot be written (" + JobFailure.describe(e)
                    + "): check its folder's permissions and file system, or give another --report.", e);
        }
        if (!quiet) out.println("report: " + p);
    }
}
