package io.github.superresolve.spark;

import io.github.superresolve.infer.FileUpscaler;
import io.github.superresolve.infer.ImageUpscaler;
import io.github.superresolve.infer.InterpolationUpscaler;
import io.github.superresolve.image.Kernel;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver's parts without a Spark context: listing, masters and attempts, the fault drill, the report. */
class JobPartsTest {

    @TempDir
    Path tmp;

    static final FileUpscaler NAMING = new FileUpscaler(new InterpolationUpscaler(Kernel.BICUBIC, 2), ImageUpscaler.Options.defaults());

    @Test
    void listsImagesRecursivelyKeepsFoldersAndSkipsFinishedOutputsAndHiddenFiles() throws Exception {
        Path in = tmp.resolve("in"), out = in.resolve("out"); // the output inside the input is not input
        for (String f : List.of("a.png", "b.jpg", "notes.txt", ".hidden.png", "_SUCCESS", "day1/c.tif", "day1/.tmp/d.png", "_logs/e.png", "out/a.png"))
            write(in.resolve(f));
        write(out.resolve("day1/c.tif")); // finished by an earlier run
        ImageListing.Result r = ImageListing.list(in.toString(), out.toString(), NAMING, false, new Configuration());
        // out/a.png is a finished output (a.png skipped), never an input itself
        assertEquals(List.of("b.jpg"), r.tasks().stream().map(ImageTask::relativePath).toList());
        assertEquals(List.of("a.png", "day1/c.tif"), r.skipped());
        ImageTask b = r.tasks().get(0);
        assertEquals("b.tif", b.outputName(), "JPEG becomes TIFF as upscale writes it");
        assertEquals("b.jpg", b.name());
        assertTrue(b.outputFolder().endsWith("/in/out"), b.outputFolder());

        ImageListing.Result all = ImageListing.list(in.toString(), out.toString(), NAMING, true, new Configuration());
        assertEquals(List.of("a.png", "b.jpg", "day1/c.tif"), all.tasks().stream().map(ImageTask::relativePath).toList(), "--overwrite redoes it");
        assertTrue(all.tasks().get(2).outputFolder().endsWith("/in/out/day1"));
    }

    @Test
    void aSingleFileIsItsOwnTaskAndAnEmptyOrMissingInputIsOneSentence() throws Exception {
        Path f = tmp.resolve("one.tiff");
        write(f);
        ImageListing.Result r = ImageListing.list(f.toString(), tmp.resolve("o").toString(), NAMING, false, new Configuration());
        assertEquals(List.of("one.tiff"), r.tasks().stream().map(ImageTask::outputName).toList());
        Files.createDirectories(tmp.resolve("empty"));
        write(tmp.resolve("empty/readme.txt"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageListing.list(tmp.resolve("empty").toString(), tmp.resolve("o").toString(), NAMING, false, new Configuration()));
        assertEquals("No images found under " + tmp.resolve("empty") + ": it holds no .tif, .tiff, .png, .jpg, .jpeg, .gif or .bmp files.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ImageListing.list(tmp.resolve("gone").toString(), tmp.resolve("o").toString(), NAMING, false, new Configuration()));
        assertEquals("Input " + tmp.resolve("gone") + " does not exist.", e.getMessage());
    }

    @Test
    void localModeRetriesLikeAClusterAndAttemptsFollowTheMaster() {
        assertEquals("local[2,4]", SparkUpscale.localWithRetries("local[2]"));
        assertEquals("local[*,4]", SparkUpscale.localWithRetries("local[*]"));
        assertEquals("local[1,4]", SparkUpscale.localWithRetries("local"));
        assertEquals("local[2,7]", SparkUpscale.localWithRetries("local[2,7]"));
        assertEquals("yarn", SparkUpscale.localWithRetries("yarn"));
        SparkConf conf = new SparkConf(false);
        assertEquals(7, SparkUpscale.attempts("local[2,7]", conf));
        assertEquals(1, SparkUpscale.attempts("local[2]", conf), "Spark's own local[N] never retries");
        assertEquals(4, SparkUpscale.attempts("spark://head:7077", conf));
        assertEquals(2, SparkUpscale.attempts("yarn", conf.set("spark.task.maxFailures", "2")));
    }

    @Test
    void faultDrillFailsTheFirstAttemptOrEveryAttemptOfTheNamedImagesOnly() {
        JobSettings s = new JobSettings("bicubic", 2, 0, -1, 1, 0, "same", "auto", false, 4, "a.png, day1/b.tif", "c.png");
        assertTrue(s.injectedFailure("a.png", 0));
        assertFalse(s.injectedFailure("a.png", 1));
        assertTrue(s.injectedFailure("day1/b.tif", 0));
        assertTrue(s.injectedFailure("c.png", 0) && s.injectedFailure("c.png", 3));
        assertFalse(s.injectedFailure("b.tif", 0), "relative paths, not names");
        assertFalse(new JobSettings("bicubic", 2, 0, -1, 1, 0, "same", "auto", false, 4, "", "").injectedFailure("a.png", 0));
    }

    /** With --consistency each written image carries RSE and RSP: in the CSV and summed up in the summary. */
    @Test
    void reportSumsUpConsistency() {
        JobReport r = new JobReport(List.of(
                new TaskOutcome("a.png", TaskOutcome.Status.WRITTEN, "file:/o/a.png", null, 100, 400, 1.0, 1, "h1", 0.5, 0.999),
                new TaskOutcome("b.png", TaskOutcome.Status.WRITTEN, "file:/o/b.png", null, 100, 400, 1.0, 1, "h1", 1.5, 0.98),
                new TaskOutcome("c.png", TaskOutcome.Status.FAILED, null, "broken", 0, 0, 0.1, 1, "h2")), 2.0);
        assertArrayEquals(new double[]{2, 1.0, 0.9895, 0.98}, r.consistency(), 1e-12);
        assertEquals("b.png,written,file:/o/b.png,1,h1,1.000,100,400,,1.50000,0.980000,driver", r.csv().split("\n")[2]);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        r.print(new java.io.PrintStream(o, true));
        assertTrue(o.toString().contains("consistency with the inputs (2 checked): mean RSE 1.000, mean RSP 0.9895, least RSP 0.9800 (b.png)"), o.toString());
    }

    @Test
    void reportCountsAndQuotesCsvFields() {
        JobReport r = new JobReport(List.of(
                new TaskOutcome("a.png", TaskOutcome.Status.WRITTEN, "file:/o/a.png", null, 1_000_000, 4_000_000, 2.0, 2, "h1"),
                new TaskOutcome("b,c.png", TaskOutcome.Status.FAILED, null, "Input \"b,c.png\" is damaged.", 0, 0, 0.1, 1, "h2"),
                new TaskOutcome("d.png", TaskOutcome.Status.SKIPPED, null, null, 0, 0, 0, 0, "driver")), 4.0);
        assertEquals(1, r.written());
        assertEquals(1, r.failed());
        assertEquals(1, r.skipped());
        assertEquals(1, r.retried());
        assertEquals(1.0, r.inputMegapixels(), 1e-12);
        assertEquals(4.0, r.outputMegapixels(), 1e-12);
        String[] lines = r.csv().split("\n");
        assertEquals("input,status,output,attempt,host,seconds,input_pixels,output_pixels,message,rse,rsp,executor", lines[0], "new columns at the end");
        assertEquals("a.png,written,file:/o/a.png,2,h1,2.000,1000000,4000000,,,,driver", lines[1]);
        assertEquals("\"b,c.png\",failed,,1,h2,0.100,0,0,\"Input \"\"b,c.png\"\" is damaged.\",,,driver", lines[2]);
        assertNull(r.consistency(), "not checked");
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        r.print(new java.io.PrintStream(o, true));
        assertTrue(o.toString().startsWith("failed: b,c.png: Input \"b,c.png\" is damaged.\n1 written, 1 skipped, 1 failed; 1 retried; 1.00 megapixels in, 4.00 out in 4.0 s: 0.250 megapixels in/s, 0.250 images/s"),
                o.toString());
    }

    /** Each executor's share of the written images: by executor id in numeric order, with its host, megapixels and seconds. */
    @Test
    void reportGivesEachExecutorsShare() {
        JobReport r = new JobReport(List.of(
                new TaskOutcome("a.png", TaskOutcome.Status.WRITTEN, "o/a", null, 1_000_000, 4_000_000, 2.0, 1, "w2", Double.NaN, Double.NaN, "10", false),
                new TaskOutcome("b.png", TaskOutcome.Status.WRITTEN, "o/b", null, 500_000, 2_000_000, 1.0, 2, "w1", Double.NaN, Double.NaN, "2", false),
                new TaskOutcome("c.png", TaskOutcome.Status.WRITTEN, "o/c", null, 500_000, 2_000_000, 1.0, 1, "w1", Double.NaN, Double.NaN, "2", false),
                new TaskOutcome("d.png", TaskOutcome.Status.FAILED, null, "broken", 0, 0, 0.1, 1, "w2", Double.NaN, Double.NaN, "10", true)), 2.0);
        assertEquals(List.of(new JobReport.Share("2", "w1", 2, 1.0, 2.0), new JobReport.Share("10", "w2", 1, 1.0, 2.0)), r.shares());
        assertTrue(r.csv().split("\n")[4].endsWith(",broken,,,10"), r.csv());
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        r.print(new java.io.PrintStream(o, true));
        assertTrue(o.toString().contains("executor 2 on w1: 2 images (67%), 1.00 megapixels in, 2.0 s in tasks: 0.500 megapixels in/s\n"
                + "executor 10 on w2: 1 images (33%), 1.00 megapixels in, 2.0 s in tasks: 0.500 megapixels in/s"), o.toString());
    }

    /** 0 done, 1 some inputs failed, 2 usage, 3 the job itself: the mapping from what was thrown, and its one sentence. */
    @Test
    void exitCodesMeanOneThingEachAndAJobFailureIsOneSentence() {
        assertEquals(2, JobFailure.exitCode(new IllegalArgumentException("Input x does not exist.")));
        assertEquals(2, JobFailure.exitCode(new io.github.superresolve.nn.ModelException("Model m is damaged.")));
        Exception spark = new org.apache.spark.SparkException("Job aborted due to stage failure: Task 0 in stage 0.0 failed 4 times\n"
                + "\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2898)");
        assertEquals(3, JobFailure.exitCode(spark));
        assertEquals("The Spark job failed (SparkException: Job aborted due to stage failure: Task 0 in stage 0.0 failed 4 times): "
                + "outputs written so far stay and a rerun does only what is missing; the driver's log has Spark's account of the cluster.",
                JobFailure.sentence(spark));
        Exception stopped = new IllegalStateException("Cannot call methods on a stopped SparkContext.");
        assertEquals(3, JobFailure.exitCode(stopped));
        assertTrue(JobFailure.sentence(stopped).startsWith("The Spark job failed (IllegalStateException: Cannot call methods"));
        assertEquals(3, JobFailure.exitCode(new java.io.IOException("Permission denied")));
        assertTrue(JobFailure.sentence(new java.io.IOException("Permission denied")).startsWith("The job failed (IOException: Permission denied): "));
        // nothing written and the images failed for reasons not their own: the job failed, not the inputs
        TaskOutcome lost = new TaskOutcome("a.png", TaskOutcome.Status.FAILED, null, "failed on every attempt (4), last: AccessDeniedException: /out",
                0, 0, 0.1, 4, "w1", Double.NaN, Double.NaN, "1", false);
        TaskOutcome damaged = new TaskOutcome("b.png", TaskOutcome.Status.FAILED, null, "Input b.png is cut short.", 0, 0, 0.1, 1, "w1",
                Double.NaN, Double.NaN, "1", true);
        TaskOutcome written = new TaskOutcome("c.png", TaskOutcome.Status.WRITTEN, "o/c", null, 1, 4, 0.1, 1, "w1");
        assertEquals("No image could be written: each one tried failed for a reason not its own (a.png: failed on every attempt (4), last: "
                + "AccessDeniedException: /out); check that the executors can read the input, write the output and load the model.",
                new JobReport(List.of(damaged, lost), 1).jobFailure());
        assertNull(new JobReport(List.of(damaged), 1).jobFailure(), "the inputs' own failures: exit 1");
        assertNull(new JobReport(List.of(lost, written), 1).jobFailure(), "some written: exit 1, the failed one named");
        assertEquals(3, JobFailure.exitCode(new OutOfMemoryError("Java heap space")));
        assertTrue(JobFailure.sentence(new OutOfMemoryError("Java heap space")).startsWith("The job failed (OutOfMemoryError: Java heap space): "));
        JobFailure f = new JobFailure("The output o cannot be written.", null);
        assertEquals(3, JobFailure.exitCode(f));
        assertEquals("The output o cannot be written.", JobFailure.sentence(f));
    }

    @Test
    void anOutputThatCannotBeWrittenFailsTheJobBeforeAnyTask() throws Exception {
        Path file = tmp.resolve("a-file");
        write(file);
        String out = file.resolve("out").toString();
        JobFailure e = assertThrows(JobFailure.class, () -> HadoopFiles.checkWritable(out, new Configuration()));
        assertTrue(e.getMessage().startsWith("The output " + out + " cannot be written ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("): check its permissions and file system, or give another --output."), e.getMessage());
        HadoopFiles.checkWritable(tmp.resolve("fine/out").toString(), new Configuration());
        assertTrue(Files.isDirectory(tmp.resolve("fine/out")));
        assertEquals(0, Files.list(tmp.resolve("fine/out")).count(), "the probe removed");
    }

    /** Inputs that failed for their own reasons are remembered, skipped unless changed or retried, and forgotten once written. */
    @Test
    void failuresAreRememberedUntilTheInputChangesOrIsRetried() throws Exception {
        ImageTask broken = new ImageTask("file:/in/broken.png", "file:/out", "broken.png", "broken.png", 5000, 111);
        ImageTask cut = new ImageTask("file:/in/a,b/cut.tif", "file:/out/a,b", "a,b/cut.tif", "cut.tif", 2000, 222);
        ImageTask lost = new ImageTask("file:/in/lost.png", "file:/out", "lost.png", "lost.png", 10, 333);
        List<TaskOutcome> first = List.of(
                TaskOutcome.failed(broken, "Input broken.png cannot be read: \"not an image\".", 0.1, 1, TaskOutcome.Where.DRIVER, true),
                TaskOutcome.failed(cut, "Input a,b/cut.tif is cut short.", 0.1, 1, TaskOutcome.Where.DRIVER, true),
                TaskOutcome.failed(lost, "failed on every attempt (4), last: IOException", 0.1, 4, TaskOutcome.Where.DRIVER, false));
        String out = tmp.resolve("out").toString();
        FailureLog none = FailureLog.read(out, new Configuration());
        assertTrue(none.entries().isEmpty());
        none.after(first, List.of(broken, cut, lost)).write(out, new Configuration());
        FailureLog log = FailureLog.read(out, new Configuration());
        assertEquals(List.of("a,b/cut.tif", "broken.png"), List.copyOf(log.entries().keySet()), "a cluster's failure is not the input's");
        assertEquals("Input broken.png cannot be read: \"not an image\".", log.entries().get("broken.png").message());

        ImageTask fixed = new ImageTask(cut.input(), cut.outputFolder(), cut.relativePath(), cut.outputName(), 4000, 223);
        FailureLog.Split s = log.split(List.of(broken, fixed, lost), false);
        assertEquals(List.of("a,b/cut.tif", "lost.png"), s.run().stream().map(ImageTask::relativePath).toList(), "a changed input is tried again");
        assertEquals(List.of("broken.png"), s.failedBefore().stream().map(TaskOutcome::relativePath).toList());
        TaskOutcome before = s.failedBefore().get(0);
        assertEquals(TaskOutcome.Status.FAILED_BEFORE, before.status());
        assertEquals(0, before.attempt(), "not tried");
        assertTrue(before.unfinished());
        assertEquals(3, log.split(List.of(broken, fixed, lost), true).run().size(), "--retry-failed");

        List<TaskOutcome> second = new java.util.ArrayList<>(s.failedBefore());
        second.add(new TaskOutcome("a,b/cut.tif", TaskOutcome.Status.WRITTEN, "file:/out/a,b/cut.tif", null, 1, 4, 0.1, 1, "h"));
        JobReport r = new JobReport(second, 1.0);
        assertEquals(1, r.unfinished());
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        r.print(new java.io.PrintStream(o, true));
        assertTrue(o.toString().startsWith("skipped 1 input that failed before: broken.png; --retry-failed tries them again\n"
                + "1 written, 0 skipped, 0 failed;"), o.toString());
        assertTrue(r.csv().contains("\nbroken.png,failed_before,,0,driver,0.000,0,0,\"Input broken.png cannot be read: \"\"not an image\"\".\",,,driver\n"), r.csv());
        log.after(second, List.of(broken, fixed, lost)).write(out, new Configuration());
        assertEquals(List.of("broken.png"), List.copyOf(FailureLog.read(out, new Configuration()).entries().keySet()), "the fixed one forgotten");
        log.after(List.of(), List.of()).write(out, new Configuration());
        assertFalse(Files.exists(tmp.resolve("out").resolve(FailureLog.NAME)), "removed when empty");
        assertEquals(List.of(), Files.list(tmp.resolve("out")).toList(), "no temporary files left");
    }

    @Test
    void hadoopConfigurationTravelsWithTheTasks() throws Exception {
        Configuration c = new Configuration(false);
        c.set("fs.s3a.endpoint", "http://store:9000");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(new HadoopConf(c));
        }
        try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            assertEquals("http://store:9000", ((HadoopConf) i.readObject()).get().get("fs.s3a.endpoint"));
        }
    }

    @Test
    void modelsAreNamesOrFilesWithASentenceOtherwise() throws Exception {
        Configuration c = new Configuration();
        assertFalse(ModelShipment.resolve("bicubic", c).isFile());
        assertFalse(ModelShipment.resolve("srresnet-x2", c).isFile());
        assertEquals("Model 'srresnet' is neither a model name (" + String.join(", ", io.github.superresolve.nn.ModelCatalog.standard().names())
                + ", bicubic, lanczos) nor a model file (.zip or .onnx).", assertThrows(IllegalArgumentException.class,
                () -> ModelShipment.resolve("srresnet", c)).getMessage());
        assertEquals("Model " + tmp.resolve("pkg/rdf.yaml") + " is a package's rdf.yaml: give the package's zip instead, which travels to the executors as one file.",
                assertThrows(IllegalArgumentException.class, () -> ModelShipment.resolve(tmp.resolve("pkg/rdf.yaml").toString(), c)).getMessage());
        assertEquals("Model file " + tmp.resolve("m.onnx") + " does not exist.",
                assertThrows(IllegalArgumentException.class, () -> ModelShipment.resolve(tmp.resolve("m.onnx").toString(), c)).getMessage());
        Path m = tmp.resolve("m.onnx");
        Files.write(m, new byte[]{1, 2, 3});
        ModelShipment s = ModelShipment.resolve(m.toString(), c);
        assertTrue(s.isFile());
        Path local = Path.of(s.localSpec());
        assertEquals("m.onnx", local.getFileName().toString());
        assertEquals(3, Files.size(local));
        assertEquals(local.toString(), s.localSpec(), "written once per JVM");
    }

    private static void write(Path p) throws Exception {
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[]{0});
    }

    @Test
    void aStatusFileRoundTripsAndARunningOneMeansTheJobFailed() {
        JobStatus running = JobStatus.running("app-20261207-0001");
        JobStatus back = JobStatus.parse(running.text(), "s");
        assertEquals(JobStatus.RUNNING, back.state());
        assertEquals("app-20261207-0001", back.application());
        assertEquals(JobFailure.JOB_FAILED, back.exitCode(), "a driver that never ended");
        JobStatus ended = JobStatus.parse(running.ended(1, "failed: a b.png: Input a b.png is damaged.\n3 written, 0 skipped, 1 failed; = : #!\n").text(), "s");
        assertEquals(1, ended.exitCode());
        assertEquals("failed: a b.png: Input a b.png is damaged.\n3 written, 0 skipped, 1 failed; = : #!", ended.summary(), "line breaks and = : # kept");
        assertEquals(running.started(), ended.started());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobStatus.parse("hello=1\n", "hdfs://x/s"));
        assertTrue(e.getMessage().startsWith("hdfs://x/s is not a status file written by super-resolve spark --status"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JobStatus.parse("state=ended\nexit=\n", "s"));
        assertTrue(e.getMessage().contains("without an exit code"), e.getMessage());
    }
}
