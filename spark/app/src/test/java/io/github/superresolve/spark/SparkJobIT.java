package io.github.superresolve.spark;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.measure.Calibration;
import ij.process.ShortProcessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application jar as spark-submit runs it: Spark's SparkSubmit in a JVM of its own, Spark's class
 * path (../runtime/target/lib) with the shaded jar loaded beside it, local mode. Outputs are compared
 * byte for byte with {@code super-resolve upscale} run in another JVM with two threads per op.
 */
class SparkJobIT {

    @TempDir
    static Path tmp;
    static Path in;

    /** grey.png, rgb.png (test photos' crops), sub/photo.jpg (-> TIFF), sub/grey16.tif (16-bit, calibrated). */
    @BeforeAll
    static void images() throws IOException {
        in = tmp.resolve("in");
        Files.createDirectories(in.resolve("sub"));
        Path res = Path.of(System.getProperty("superresolve.models")).getParent().resolve("src/test/resources/onnx");
        Files.copy(res.resolve("grey.png"), in.resolve("grey.png"));
        Files.copy(res.resolve("rgb.png"), in.resolve("rgb.png"));
        ImagePlus rgb = IJ.openImage(res.resolve("rgb.png").toString());
        assertTrue(new FileSaver(rgb).saveAsJpeg(in.resolve("sub/photo.jpg").toString()));
        ImagePlus grey = IJ.openImage(res.resolve("grey.png").toString());
        ShortProcessor sp = new ShortProcessor(grey.getWidth(), grey.getHeight());
        for (int i = 0; i < sp.getPixelCount(); i++) sp.set(i, 300 + 40 * grey.getProcessor().get(i));
        ImagePlus g16 = new ImagePlus("grey16", sp);
        Calibration c = new Calibration();
        c.pixelWidth = c.pixelHeight = 0.25;
        c.setUnit("um");
        g16.setCalibration(c);
        assertTrue(new FileSaver(g16).saveAsTiff(in.resolve("sub/grey16.tif").toString()));
    }

    @Test
    void outputsAreByteIdenticalToUpscaleAndARerunSkipsThem() throws Exception {
        Path out = tmp.resolve("out"), ref = tmp.resolve("ref");
        Run r = spark(List.of(), "--master", "local[2]", "--input", in.toString(), "--output", out.toString(), "--model", "srresnet-x2",
                "--report", tmp.resolve("report.csv").toString());
        assertEquals(0, r.code, r.all());
        assertTrue(r.out.contains("4 written, 0 skipped, 0 failed"), r.all());
        upscale(ref, "srresnet-x2", in.resolve("grey.png"), in.resolve("rgb.png"));
        upscale(ref.resolve("sub"), "srresnet-x2", in.resolve("sub/photo.jpg"), in.resolve("sub/grey16.tif"));
        Map<String, byte[]> expected = files(ref), got = files(out);
        assertEquals(expected.keySet(), got.keySet(), r.all());
        assertEquals(List.of("grey.png", "rgb.png", "sub/grey16.tif", "sub/photo.tif"), new ArrayList<>(got.keySet()));
        for (String k : expected.keySet()) assertArrayEquals(expected.get(k), got.get(k), k + " differs from upscale's output");
        ImagePlus g16 = IJ.openImage(out.resolve("sub/grey16.tif").toString());
        assertEquals(16, g16.getBitDepth());
        assertEquals(0.125, g16.getCalibration().pixelWidth, 1e-9, "calibration follows the scale");
        String csv = Files.readString(tmp.resolve("report.csv"));
        assertTrue(csv.startsWith("input,status,output,attempt,host,seconds,input_pixels,output_pixels,message,rse,rsp,executor\n"), csv);
        assertTrue(csv.lines().skip(1).allMatch(l -> l.endsWith(",driver")), "local mode's executor is the driver: " + csv);
        assertTrue(csv.contains("sub/grey16.tif,written,"), csv);

        FileTime before = Files.getLastModifiedTime(out.resolve("rgb.png"));
        Run again = spark(List.of(), "--master", "local[2]", "--input", in.toString(), "--output", out.toString(), "--model", "srresnet-x2");
        assertEquals(0, again.code, again.all());
        assertTrue(again.out.contains("0 written, 4 skipped, 0 failed"), again.all());
        assertEquals(before, Files.getLastModifiedTime(out.resolve("rgb.png")));
    }

    @Test
    void retriesAFailedTaskReportsImagesThatFailEveryTimeAndWritesTheOthers() throws Exception {
        Path bad = tmp.resolve("bad"), out = tmp.resolve("bad-out");
        Files.createDirectories(bad);
        Files.copy(in.resolve("grey.png"), bad.resolve("grey.png"));
        Files.copy(in.resolve("rgb.png"), bad.resolve("rgb.png"));
        Files.copy(in.resolve("sub/photo.jpg"), bad.resolve("photo.jpg"));
        byte[] noise = new byte[5000];
        new Random(1).nextBytes(noise);
        Files.write(bad.resolve("broken.png"), noise);
        byte[] tif = Files.readAllBytes(in.resolve("sub/grey16.tif"));
        Files.write(bad.resolve("cut.tif"), Arrays.copyOf(tif, tif.length / 2));
        Run r = spark(List.of("--conf", "spark.superresolve.injectFailure=rgb.png", "--conf", "spark.superresolve.injectFailure.always=grey.png"),
                "--master", "local[2]", "--input", bad.toString(), "--output", out.toString(), "--model", "bicubic", "--scale", "2",
                "--report", tmp.resolve("bad.csv").toString());
        assertEquals(1, r.code, "a failed image makes the exit code 1: " + r.all());
        assertTrue(r.out.contains("2 written, 0 skipped, 3 failed; 2 retried"), r.all());
        assertTrue(r.out.contains("failed: broken.png: Input "), r.all());
        assertTrue(r.out.contains("failed: cut.tif: Input ") && r.out.contains("is cut short"), r.all());
        assertTrue(r.out.contains("failed: grey.png: failed on every attempt (4), last: IllegalStateException: injected failure"), r.all());
        assertEquals(List.of(FailureLog.NAME, "photo.tif", "rgb.png"), new ArrayList<>(files(out).keySet()),
                "the others are written, nothing half-written, the damaged inputs remembered");
        assertEquals(List.of("broken.png", "cut.tif"), List.copyOf(FailureLog.parse(Files.readString(out.resolve(FailureLog.NAME))).entries().keySet()),
                "only the inputs' own failures are remembered");
        String csv = Files.readString(tmp.resolve("bad.csv"));
        assertTrue(csv.contains("\nrgb.png,written,") && csv.lines().anyMatch(l -> l.startsWith("rgb.png,written,") && l.split(",")[3].equals("2")),
                "rgb.png written on the second attempt: " + csv);
        assertTrue(csv.lines().anyMatch(l -> l.startsWith("grey.png,failed,") && l.split(",")[3].equals("4")), csv);
        assertTrue(csv.lines().anyMatch(l -> l.startsWith("broken.png,failed,") && l.split(",")[3].equals("1")),
                "a damaged input is not retried: " + csv);

        // a rerun: the damaged inputs are not tried again, unless changed (cut.tif is fixed) or --retry-failed
        Files.write(bad.resolve("cut.tif"), tif);
        Run again = spark(List.of(), "--master", "local[2]", "--input", bad.toString(), "--output", out.toString(), "--model", "bicubic", "--scale", "2",
                "--report", tmp.resolve("bad-again.csv").toString());
        assertEquals(1, again.code, "broken.png still has no output: " + again.all());
        assertTrue(again.out.contains("skipped 1 input that failed before: broken.png; --retry-failed tries them again"), again.all());
        assertTrue(again.out.contains("2 written, 2 skipped, 0 failed"), "grey.png and the fixed cut.tif written: " + again.all());
        assertFalse(again.out.contains("broken.png ->") || again.out.contains("failed: broken.png"), again.all());
        String csv2 = Files.readString(tmp.resolve("bad-again.csv"));
        assertTrue(csv2.lines().anyMatch(l -> l.startsWith("broken.png,failed_before,,0,driver,0.000,0,0,\"Input ")), "not processed: " + csv2);
        assertTrue(Files.exists(out.resolve("cut.tif")), again.all());
        assertEquals(List.of("broken.png"), List.copyOf(FailureLog.parse(Files.readString(out.resolve(FailureLog.NAME))).entries().keySet()));
        Run retry = spark(List.of(), "--master", "local[1]", "--input", bad.toString(), "--output", out.toString(), "--model", "bicubic", "--scale", "2",
                "--retry-failed");
        assertEquals(1, retry.code, retry.all());
        assertTrue(retry.out.contains("failed: broken.png: Input ") && retry.out.contains("0 written, 4 skipped, 1 failed"), retry.all());
        assertFalse(retry.out.contains("that failed before"), retry.all());
    }

    /**
     * Exit code 3: the job itself failed, in one sentence: its output cannot be written (found before any task), or nothing
     * could be written because every image failed for a reason not its own (the fault drill's lost executor, every attempt).
     */
    @Test
    void theJobItselfFailingExitsWith3AndOneSentence() throws Exception {
        Path file = tmp.resolve("plain-file");
        Files.writeString(file, "not a folder");
        String out = file.resolve("out").toString();
        Run r = spark(List.of(), "--master", "local[1]", "--input", in.resolve("grey.png").toString(), "--output", out, "--model", "bicubic", "--scale", "2");
        assertEquals(3, r.code, r.all());
        assertTrue(r.err.contains("super-resolve spark: The output " + out + " cannot be written ("), r.all());
        assertTrue(r.err.contains("): check its permissions and file system, or give another --output.\n"), r.all());
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r.all());

        Path out2 = tmp.resolve("lost-out");
        Run lost = spark(List.of("--conf", "spark.superresolve.injectFailure.always=grey.png"), "--master", "local[1]",
                "--input", in.resolve("grey.png").toString(), "--output", out2.toString(), "--model", "bicubic", "--scale", "2");
        assertEquals(3, lost.code, lost.all());
        assertTrue(lost.out.contains("0 written, 0 skipped, 1 failed"), "the summary first: " + lost.all());
        assertTrue(lost.err.contains("super-resolve spark: No image could be written: each one tried failed for a reason not its own (grey.png: "
                + "failed on every attempt (4), last: IllegalStateException: injected failure"), lost.all());
        assertFalse(Files.exists(out2.resolve(FailureLog.NAME)), "not the input's fault: not remembered");
    }

    @Test
    void aModelFileIsBroadcastAndGivesUpscalesBytesInOneTaskAtATime() throws Exception {
        Path model = Path.of(System.getProperty("superresolve.models")).getParent().resolve("src/test/resources/onnx/espcn-x2-grey.onnx");
        Path out = tmp.resolve("onnx-out"), ref = tmp.resolve("onnx-ref");
        Run r = spark(List.of(), "--master", "local[1]", "--input", in.resolve("grey.png").toString(), "--output", out.toString(),
                "--model", model.toString());
        assertEquals(0, r.code, r.all());
        upscale(ref, model.toString(), in.resolve("grey.png"));
        assertArrayEquals(Files.readAllBytes(ref.resolve("grey.png")), Files.readAllBytes(out.resolve("grey.png")));
    }

    @Test
    void onAnotherFileSystemInputsAreCopiedAndOutputsUploadedUnderAHiddenNameThenRenamed() throws Exception {
        Path out = tmp.resolve("scratch-out"), ref = tmp.resolve("scratch-ref");
        Run r = spark(List.of("--conf", "spark.hadoop.fs.scratch.impl=" + ScratchFileSystem.class.getName()),
                "--master", "local[2]", "--input", "scratch://" + in.resolve("sub"), "--output", "scratch://" + out, "--model", "srresnet-x2");
        assertEquals(0, r.code, r.all());
        assertTrue(r.out.contains("sub/photo.jpg -> scratch:") || r.out.contains("photo.jpg -> scratch:"), r.all());
        upscale(ref, "srresnet-x2", in.resolve("sub/photo.jpg"), in.resolve("sub/grey16.tif"));
        Map<String, byte[]> expected = files(ref), got = files(out);
        assertEquals(expected.keySet(), got.keySet(), "no temporary files left: " + r.all());
        for (String k : expected.keySet()) assertArrayEquals(expected.get(k), got.get(k), k + " differs from upscale's output");
    }

    /** --consistency: a map beside each output, RSE and RSP in the report, the same numbers as upscale --consistency. */
    @Test
    void consistencyMapsBesideTheOutputsAndInTheReport() throws Exception {
        Path out = tmp.resolve("checked"), ref = tmp.resolve("checked-ref");
        Run r = spark(List.of(), "--master", "local[2]", "--input", in.toString(), "--output", out.toString(), "--model", "srresnet-x2",
                "--consistency", "--report", tmp.resolve("checked.csv").toString());
        assertEquals(0, r.code, r.all());
        assertTrue(r.out.contains("consistency with the inputs (4 checked)"), r.all());
        assertTrue(Files.exists(out.resolve("grey-consistency.tif")) && Files.exists(out.resolve("sub/grey16-consistency.tif")), r.all());
        ImagePlus map = IJ.openImage(out.resolve("sub/grey16-consistency.tif").toString());
        assertEquals(0.25, map.getCalibration().pixelWidth, 1e-12, "the input's calibration");
        List<String> report = Files.readAllLines(tmp.resolve("checked.csv"));
        assertTrue(report.get(0).endsWith(",rse,rsp,executor"), report.get(0));
        // upscale --consistency on the same image gives the same RSP
        io.github.superresolve.cli.Main.run(new String[]{"upscale", in.resolve("grey.png").toString(), "-o", ref.toString(), "--model", "srresnet-x2",
                "--consistency"}, new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(new java.io.ByteArrayOutputStream()));
        String cli = Files.readAllLines(ref.resolve("consistency.csv")).get(1);
        String rsp = cli.split(",")[5];
        String line = report.stream().filter(l -> l.startsWith("grey.png,")).findFirst().orElseThrow();
        assertEquals(Double.parseDouble(rsp), Double.parseDouble(line.split(",")[10]), 1e-6, line + " vs " + cli);
        Run bad = spark(List.of(), "--master", "local[1]", "--input", in.toString(), "--output", tmp.resolve("y").toString(), "--model", "bicubic",
                "--consistency", "--degradation", "wavelet");
        assertEquals(2, bad.code, bad.all());
        assertTrue(bad.err.contains("Degradation 'wavelet' is not known"), bad.all());
    }

    /**
     * --status: the outcome in a file (for cluster deploy mode, where spark-submit exits 0 whatever the driver did), and
     * JobStatus reading it back with the driver's exit code: 0 for a run that wrote everything, 1 with the failed input
     * named, 2 for a usage error found by the driver, 3 for a driver that never ended or never started.
     */
    @Test
    void theStatusFileKeepsTheDriversExitCodeAndJobStatusExitsWithIt() throws Exception {
        Path out = tmp.resolve("status-out"), status = tmp.resolve("status/run.properties");
        Files.createDirectories(status.getParent());
        Run ok = spark(List.of(), "--master", "local[1]", "--input", in.resolve("grey.png").toString(), "--output", out.toString(),
                "--model", "bicubic", "--scale", "2", "--status", status.toString());
        assertEquals(0, ok.code, ok.all());
        String text = Files.readString(status);
        assertTrue(text.contains("state=ended") && text.contains("exit=0") && text.contains("application=local-"), text);
        Run read = submit("io.github.superresolve.spark.JobStatus", List.of(), status.toString());
        assertEquals(0, read.code, read.all());
        assertTrue(read.out.contains("1 written, 0 skipped, 0 failed") && read.out.contains("ended") && read.out.contains("with exit code 0"), read.all());

        Files.write(in.resolve("damaged-status.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        try {
            Run some = spark(List.of(), "--master", "local[1]", "--input", in.toString(), "--output", tmp.resolve("status-out-2").toString(),
                    "--model", "bicubic", "--scale", "2", "--status", status.toString());
            assertEquals(1, some.code, some.all());
        } finally {
            Files.delete(in.resolve("damaged-status.png"));
        }
        Run read1 = submit("io.github.superresolve.spark.JobStatus", List.of(), status.toString());
        assertEquals(1, read1.code, read1.all());
        assertTrue(read1.out.contains("failed: damaged-status.png: "), "the failed input named: " + read1.all());

        Run usage = spark(List.of(), "--master", "local[1]", "--input", in.toString(), "--output", out.toString(), "--model", "nope",
                "--status", status.toString());
        assertEquals(2, usage.code, usage.all());
        Run read2 = submit("io.github.superresolve.spark.JobStatus", List.of(), status.toString());
        assertEquals(2, read2.code, read2.all());
        assertTrue(read2.out.contains("Model 'nope' is neither a model name"), read2.all());

        // a driver that died while running (what the file says then), and one that never started
        Files.writeString(status, text.replace("state=ended", "state=running").replaceAll("(?m)^exit=.*$", ""));
        Run died = submit("io.github.superresolve.spark.JobStatus", List.of(), status.toString());
        assertEquals(3, died.code, died.all());
        assertTrue(died.out.contains("has not ended"), died.all());
        Run none = submit("io.github.superresolve.spark.JobStatus", List.of(), tmp.resolve("status/none.properties").toString());
        assertEquals(3, none.code, none.all());
        assertTrue(none.err.contains("There is no status file " + tmp.resolve("status/none.properties")), none.all());
        assertEquals(List.of("run.properties"), Files.list(status.getParent()).map(p -> p.getFileName().toString()).toList(),
                "written atomically: no temporary file left");
    }

    @Test
    void usageErrorsAreOneSentence() throws Exception {
        Run r = spark(List.of(), "--master", "local[1]", "--input", tmp.resolve("nothing-here").toString(), "--output", tmp.resolve("x").toString(),
                "--model", "bicubic");
        assertEquals(2, r.code, r.all());
        assertTrue(r.err.contains("super-resolve spark: Input " + tmp.resolve("nothing-here") + " does not exist."), r.all());
        Run m = spark(List.of(), "--master", "local[1]", "--input", in.toString(), "--output", tmp.resolve("x").toString(), "--model", "nope");
        assertEquals(2, m.code, m.all());
        assertTrue(m.err.contains("super-resolve spark: Model 'nope' is neither a model name"), m.all());
        assertFalse(Files.exists(tmp.resolve("x")), "nothing written");
    }

    // ---- helpers

    record Run(int code, String out, String err) {
        String all() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Run spark(List<String> submitOptions, String... args) throws Exception {
        return submit("io.github.superresolve.spark.SparkUpscale", submitOptions, args);
    }

    /** A main class of the shaded jar through SparkSubmit in a JVM of its own, with Spark's class path. */
    static Run submit(String mainClass, List<String> submitOptions, String... args) throws Exception {
        return exec(submitCommand(mainClass, submitOptions, args), Map.of("OMP_NUM_THREADS", "1", "SPARK_LOCAL_IP", "127.0.0.1"));
    }

    static List<String> submitCommand(String mainClass, List<String> submitOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.add("-Xmx2g");
        cmd.addAll(Arrays.asList(System.getProperty("superresolve.spark.opens").trim().split("\\s+")));
        cmd.add("-Dlog4j2.configurationFile=" + System.getProperty("superresolve.spark.log4j"));
        // Spark's class path, plus the test classes for ScratchFileSystem (a cluster's file system connectors sit there too)
        cmd.addAll(List.of("-cp", System.getProperty("superresolve.spark.lib") + "/*" + java.io.File.pathSeparator
                + Path.of(SparkJobIT.class.getProtectionDomain().getCodeSource().getLocation().toURI()), "org.apache.spark.deploy.SparkSubmit"));
        cmd.addAll(submitOptions);
        cmd.addAll(List.of("--class", mainClass, System.getProperty("superresolve.spark.jar")));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** super-resolve upscale in a JVM of its own, two threads per op as bin/super-resolve gives on 2 cores. */
    static void upscale(Path outDir, String model, Path... inputs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx2g", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                "io.github.superresolve.cli.Main", "upscale"));
        for (Path p : inputs) cmd.add(p.toString());
        cmd.addAll(List.of("-o", outDir.toString(), "--model", model, "--scale", "2"));
        Run r = exec(cmd, Map.of("OMP_NUM_THREADS", "2"));
        assertEquals(0, r.code, r.all());
    }

    static Run exec(List<String> cmd, Map<String, String> env) throws Exception {
        return exec(cmd, env, tmp);
    }

    /** A command run to its end (at most 10 minutes), its stdout and stderr kept in files under {@code dir}. */
    static Run exec(List<String> cmd, Map<String, String> env, Path dir) throws Exception {
        Process p = start(cmd, env, dir);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return result(p);
    }

    /** A command started with its stdout and stderr in files under {@code dir} (read by {@link #result}). */
    static Process start(List<String> cmd, Map<String, String> env, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path o = Files.createTempFile(dir, "out", ".txt"), e = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(o.toFile()).redirectError(e.toFile());
        Process p = pb.start();
        OUTPUTS.put(p, new Path[]{o, e});
        return p;
    }

    private static final Map<Process, Path[]> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The exit code and output of a process {@link #start} started, once it has ended. */
    static Run result(Process p) throws IOException {
        Path[] f = OUTPUTS.remove(p);
        return new Run(p.exitValue(), Files.readString(f[0]), Files.readString(f[1]));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Relative path -> bytes of the files under a folder (hidden ones too, to catch leftovers). */
    static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) m.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
        }
        return m;
    }
}
