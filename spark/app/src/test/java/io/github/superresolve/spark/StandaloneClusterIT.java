package io.github.superresolve.spark;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application on a real Spark standalone cluster (issue 33, part 1), started by the test on the loopback
 * address from Spark's own jars (../runtime/target/lib): a master and two workers of one core each, every one a
 * JVM of its own, with a SPARK_HOME whose jars/ links those jars (what a worker needs to start executors), and the
 * shaded jar submitted through {@code SparkSubmit} in client mode. Each executor is then a JVM the worker starts.
 * Part of the default {@code mvn -B -f spark verify} (3-5 minutes on 2 cores); {@code -Pno-cluster} leaves it out.
 */
class StandaloneClusterIT {

    @TempDir
    static Path tmp;
    static Path in, sparkHome;
    static int masterPort;
    static Process master;
    static final List<Process> workers = new ArrayList<>();
    static final List<Process> daemons = new ArrayList<>();

    @BeforeAll
    static void clusterAndImages() throws Exception {
        // should this JVM end without @AfterAll (killed by a timeout), the daemons go with it
        Runtime.getRuntime().addShutdownHook(new Thread(() -> daemons.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        })));
        // SPARK_HOME/jars: links to the runtime's jars, as a Spark distribution has them
        sparkHome = tmp.resolve("spark-home");
        Path jars = Files.createDirectories(sparkHome.resolve("jars"));
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("superresolve.spark.lib")))) {
            for (Path j : s.filter(p -> p.toString().endsWith(".jar")).toList()) Files.createSymbolicLink(jars.resolve(j.getFileName()), j);
        }
        masterPort = freePort();
        master = daemon("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(masterPort),
                "--webui-port", "0");
        awaitLog("master", "I have been elected leader", 120);
        for (int i = 1; i <= 2; i++) {
            Path work = Files.createDirectories(tmp.resolve("work-" + i));
            workers.add(daemon("worker-" + i, "org.apache.spark.deploy.worker.Worker", "spark://127.0.0.1:" + masterPort,
                    "--host", "127.0.0.1", "--cores", "1", "--memory", "2g", "--work-dir", work.toString(), "--webui-port", "0"));
        }
        for (int i = 1; i <= 2; i++) awaitLog("worker-" + i, "Successfully registered with master", 120);

        // eight photos: crops of the bundled coffee photo (RGB PNG), two of them under a subfolder
        in = tmp.resolve("in");
        Files.createDirectories(in.resolve("sub"));
        ImagePlus coffee = IJ.openImage(Path.of(System.getProperty("superresolve.models")).getParent()
                .resolve("src/main/resources/samples/coffee.png").toString());
        for (int i = 0; i < 8; i++) {
            coffee.setRoi(i * 17 % 128, i * 29 % 128, 96, 96);
            ImagePlus crop = coffee.crop();
            Path p = in.resolve((i < 6 ? "" : "sub/") + "coffee-" + i + ".png");
            assertTrue(new FileSaver(crop).saveAsPng(p.toString()));
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        // workers first (their executors with them), then the master; each given 20 s before it is killed
        List<Process> order = new ArrayList<>(daemons);
        java.util.Collections.reverse(order);
        for (Process p : order) {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle c : children) if (c.isAlive()) c.destroyForcibly();
        }
    }

    @Test
    void clientModeOnTwoWorkersWritesUpscalesBytesOnBothExecutors() throws Exception {
        Path out = tmp.resolve("out"), ref = tmp.resolve("ref"), report = tmp.resolve("report.csv");
        Set<Path> appsBefore = appDirs();
        Peaks peaks = new Peaks();
        long t0 = System.nanoTime();
        SparkJobIT.Run r;
        try {
            r = submit(List.of(), "--input", in.toString(), "--output", out.toString(), "--model", "srresnet-x2", "--report", report.toString());
        } finally {
            peaks.stop();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        // what each application costs the workers' disks (looked at before the workers' cleanup can remove it):
        // every executor's folder gets a copy of the application jar
        Set<Path> apps = appDirs();
        apps.removeAll(appsBefore);
        long copied = jarBytes(apps);
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("8 written, 0 skipped, 0 failed"), r.all());
        long jar = Files.size(Path.of(System.getProperty("superresolve.spark.jar")));
        assertEquals(2 * jar, copied, "one copy of the jar per executor folder: " + apps);

        List<Path> top = new ArrayList<>(), sub = new ArrayList<>();
        for (int i = 0; i < 8; i++) (i < 6 ? top : sub).add(in.resolve((i < 6 ? "" : "sub/") + "coffee-" + i + ".png"));
        upscale(ref, "srresnet-x2", top.toArray(Path[]::new));
        upscale(ref.resolve("sub"), "srresnet-x2", sub.toArray(Path[]::new));
        Map<String, byte[]> expected = SparkJobIT.files(ref), got = SparkJobIT.files(out);
        assertEquals(expected.keySet(), got.keySet(), "nothing else in the output folder: " + r.all());
        for (String k : expected.keySet()) assertArrayEquals(expected.get(k), got.get(k), k + " differs from upscale's output");

        String csv = Files.readString(report);
        Set<String> executors = new TreeSet<>();
        csv.lines().skip(1).forEach(l -> executors.add(l.substring(l.lastIndexOf(',') + 1)));
        assertEquals(2, executors.size(), "both executors did images: " + csv);
        assertTrue(executors.stream().noneMatch("driver"::equals), csv);
        System.out.printf("StandaloneClusterIT: 8 images 96x96 srresnet-x2 on 2 executors in %.1f s (submit to exit): %.2f images/s; "
                + "executors' peak RSS %s; application jar copied into the workers' folders: %.0f MB%n%s%n", wall, 8 / wall, peaks, copied / 1e6, r.out());

        // a rerun on the cluster with a damaged file added: the eight are skipped (untouched), the damaged one named, exit 1
        // a PNG cut short (an interrupted copy): the kind of file ImageJ would hand to ImageIO, whose complaint must not
        // reach the executors' stdout (ImageFiles.quietReaders, set in the executors' JVMs by UpscaleTasks)
        byte[] whole = Files.readAllBytes(in.resolve("coffee-0.png"));
        Files.write(in.resolve("broken.png"), Arrays.copyOf(whole, whole.length / 2));
        java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(out.resolve("coffee-0.png"));
        Set<Path> appsBeforeRerun = appDirs();
        SparkJobIT.Run again = submit(List.of(), "--input", in.toString(), "--output", out.toString(), "--model", "srresnet-x2");
        Set<Path> rerunApps = appDirs();
        rerunApps.removeAll(appsBeforeRerun);
        StringBuilder executorStdout = new StringBuilder();
        for (Path d : rerunApps) if (Files.exists(d.resolve("stdout"))) executorStdout.append(Files.readString(d.resolve("stdout")));
        assertTrue(!rerunApps.isEmpty() && !executorStdout.toString().contains("ImageIO"),
                "no ImageJ reader chatter in the executors' stdout, the sentence is in the summary: " + rerunApps + "\n" + executorStdout);
        Files.delete(in.resolve("broken.png"));
        assertEquals(1, again.code(), again.all());
        assertTrue(again.out().contains("0 written, 8 skipped, 1 failed"), again.all());
        assertTrue(again.out().contains("failed: broken.png: Input "), again.all());
        assertEquals(before, Files.getLastModifiedTime(out.resolve("coffee-0.png")));
        assertTrue(Files.exists(out.resolve(FailureLog.NAME)), "the damaged input remembered: " + again.all());
    }

    /**
     * An executor killed (SIGKILL, by its process id) while it runs a task: Spark runs the task again on another
     * executor, the job still writes every image with upscale's bytes, and nothing half-written is left.
     */
    @Test
    void anExecutorKilledMidTaskHasItsTaskCompletedElsewhere() throws Exception {
        Path big = tmp.resolve("big"), out = tmp.resolve("killed-out"), ref = tmp.resolve("killed-ref"), report = tmp.resolve("killed.csv");
        Files.createDirectories(big);
        ImagePlus coffee = IJ.openImage(Path.of(System.getProperty("superresolve.models")).getParent()
                .resolve("src/main/resources/samples/coffee.png").toString());
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // large enough that a task lasts seconds
            coffee.setRoi(i * 11, i * 7, 192, 192);
            Path p = big.resolve("big-" + i + ".png");
            assertTrue(new FileSaver(coffee.crop()).saveAsPng(p.toString()));
            inputs.add(p);
        }
        Path work1 = tmp.resolve("work-1");
        Process driver = start(submitCommand(List.of(), "--input", big.toString(), "--output", out.toString(), "--model", "srresnet-x2",
                "--report", report.toString()), Map.of("OMP_NUM_THREADS", "1", "SPARK_LOCAL_IP", "127.0.0.1"));
        String killed = null;
        try {
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
            while (killed == null && driver.isAlive() && System.nanoTime() < end) {
                // worker 1's executor, while its log shows a task started and not finished
                for (Path log : executorLogs(work1)) {
                    String text;
                    try {
                        text = Files.readString(log);
                    } catch (IOException gone) { // a finished application's folder, removed by the worker's cleanup
                        continue;
                    }
                    long running = text.lines().filter(l -> l.contains("Running task")).count();
                    long finished = text.lines().filter(l -> l.contains("Finished task")).count();
                    List<ProcessHandle> ex = workers.get(0).children().filter(ProcessHandle::isAlive).toList();
                    if (running > finished && ex.size() == 1) {
                        Thread.sleep(500); // into the task
                        ex.get(0).destroyForcibly();
                        killed = log.getParent().getFileName().toString();
                        break;
                    }
                }
                Thread.sleep(100);
            }
            if (!driver.waitFor(10, TimeUnit.MINUTES)) throw new AssertionError("the job did not end in 10 minutes");
        } finally {
            driver.destroyForcibly();
        }
        SparkJobIT.Run r = result(driver);
        assertTrue(killed != null, "no task seen running on worker 1's executor: " + r.all());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("6 written, 0 skipped, 0 failed; "), r.all());
        assertTrue(!r.out().contains("; 0 retried;"), "the killed executor's task ran again: " + r.all());
        upscale(ref, "srresnet-x2", inputs.toArray(Path[]::new));
        Map<String, byte[]> expected = SparkJobIT.files(ref), got = SparkJobIT.files(out);
        assertEquals(expected.keySet(), got.keySet(), "nothing half-written: " + r.all());
        for (String k : expected.keySet()) assertArrayEquals(expected.get(k), got.get(k), k + " differs from upscale's output");
        String csv = Files.readString(report);
        String victim = killed;
        assertTrue(csv.lines().skip(1).anyMatch(l -> !l.split(",")[3].equals("1") && !l.endsWith("," + victim)),
                "a row written on a later attempt by another executor than " + victim + ": " + csv);
        System.out.printf("StandaloneClusterIT: executor %s killed mid-task%n%s%n%s%n", victim, r.out(), csv);
    }

    /**
     * Cluster deploy mode: the driver itself started by a worker (it then needs the add-opens list through
     * spark.driver.extraJavaOptions, which the launcher does not add there); spark-submit waits for it
     * (spark.standalone.submit.waitAppCompletion) and the summary is in the driver's stdout on its worker.
     */
    @Test
    void clusterDeployModeRunsTheDriverOnAWorker() throws Exception {
        Path out = tmp.resolve("cluster-out"), ref = tmp.resolve("cluster-ref");
        Set<Path> earlier = driverDirs();
        long t0 = System.nanoTime();
        SparkJobIT.Run r = submit(List.of("--deploy-mode", "cluster",
                        "--conf", "spark.driver.extraJavaOptions=" + String.join(" ", opens()),
                        "--conf", "spark.driver.memory=1g",
                        "--conf", "spark.standalone.submit.waitAppCompletion=true",
                        // one worker's core is the driver's: one executor on the other
                        "--conf", "spark.scheduler.minRegisteredResourcesRatio=0.5"),
                "--input", in.resolve("sub").toString(), "--output", out.toString(), "--model", "srresnet-x2",
                "--status", tmp.resolve("cluster-status.properties").toString());
        double wall = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.code(), r.all());
        SparkJobIT.Run status = readStatus(tmp.resolve("cluster-status.properties"));
        assertEquals(0, status.code(), "the driver's own exit code, read back from --status: " + status.all());
        assertTrue(status.out().contains("2 written, 0 skipped, 0 failed"), status.all());
        Set<Path> drivers = driverDirs();
        drivers.removeAll(earlier);
        assertEquals(1, drivers.size(), "one driver ran on a worker: " + drivers + "\n" + r.all());
        String summary = Files.readString(drivers.iterator().next().resolve("stdout"));
        assertTrue(summary.contains("2 written, 0 skipped, 0 failed"), summary + "\n" + r.all());
        upscale(ref, "srresnet-x2", in.resolve("sub/coffee-6.png"), in.resolve("sub/coffee-7.png"));
        Map<String, byte[]> expected = SparkJobIT.files(ref), got = SparkJobIT.files(out);
        assertEquals(expected.keySet(), got.keySet(), summary);
        for (String k : expected.keySet()) assertArrayEquals(expected.get(k), got.get(k), k + " differs from upscale's output");
        System.out.printf("StandaloneClusterIT: cluster deploy mode, 2 images in %.1f s (submit to exit)%n%s%n", wall, summary);
    }

    /**
     * Cluster deploy mode with a driver that fails (a usage error, the application's exit 2): the sentence is in the
     * driver's stderr on its worker and the worker logs the failure; what spark-submit returns is printed (issue 33
     * found 0: the exit codes are the driver's own, visible in client mode).
     */
    @Test
    void clusterDeployModeADriverThatFailsIsSeenOnItsWorker() throws Exception {
        Set<Path> earlier = driverDirs();
        SparkJobIT.Run r = submit(List.of("--deploy-mode", "cluster",
                        "--conf", "spark.driver.extraJavaOptions=" + String.join(" ", opens()),
                        "--conf", "spark.driver.memory=1g",
                        "--conf", "spark.standalone.submit.waitAppCompletion=true"),
                "--input", in.resolve("sub").toString(), "--output", tmp.resolve("failing-out").toString(), "--model", "nope",
                "--status", tmp.resolve("failing-status.properties").toString());
        Set<Path> drivers = driverDirs();
        drivers.removeAll(earlier);
        assertEquals(1, drivers.size(), "one driver ran on a worker: " + drivers + "\n" + r.all());
        String err = Files.readString(drivers.iterator().next().resolve("stderr"));
        assertTrue(err.contains("super-resolve spark: Model 'nope' is neither a model name"), drivers + "\n" + err + "\n" + r.all());
        String workers = Files.readString(tmp.resolve("worker-1.log")) + Files.readString(tmp.resolve("worker-2.log"));
        assertTrue(workers.contains("exited with failure"), workers);
        // what spark-submit cannot say, the status file does: JobStatus exits with the driver's 2 and gives its sentence
        SparkJobIT.Run status = readStatus(tmp.resolve("failing-status.properties"));
        assertEquals(2, status.code(), status.all());
        assertTrue(status.out().contains("Model 'nope' is neither a model name"), status.all());
        System.out.printf("StandaloneClusterIT: cluster deploy mode, the driver failing with exit 2: spark-submit exit %d%n%s%n", r.code(), r.all());
    }

    /**
     * What each application leaves on the workers' disks, and what removes it: every executor's folder gets a copy of
     * the 200 MB application jar, submitted as a path or as local:PATH alike (Spark 3.5's SparkContext.addJar turns
     * local:PATH into file:PATH, which executors fetch by copying); workers started with spark.worker.cleanup.* (here
     * every 5 s, for data untouched for 60 s) delete a finished application's folders.
     */
    @Test
    void aFinishedApplicationsJarCopiesAreRemovedByTheWorkersCleanup() throws Exception {
        Path out = tmp.resolve("local-jar-out"), ref = tmp.resolve("local-jar-ref");
        Set<Path> before = appDirs();
        SparkJobIT.Run r = submitJar("local:" + Path.of(System.getProperty("superresolve.spark.jar")).toAbsolutePath(),
                "io.github.superresolve.spark.SparkUpscale", List.of(),
                "--input", in.resolve("sub").toString(), "--output", out.toString(), "--model", "srresnet-x2");
        long ended = System.nanoTime();
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("2 written, 0 skipped, 0 failed"), r.all());
        Set<Path> apps = appDirs();
        apps.removeAll(before);
        assertEquals(1, apps.stream().map(p -> p.getParent().getFileName()).distinct().count(), "one application: " + apps);
        long copied = jarBytes(apps);
        upscale(ref, "srresnet-x2", in.resolve("sub/coffee-6.png"), in.resolve("sub/coffee-7.png"));
        Map<String, byte[]> expected = SparkJobIT.files(ref), got = SparkJobIT.files(out);
        assertEquals(expected.keySet(), got.keySet(), r.all());
        for (String k : expected.keySet()) assertArrayEquals(expected.get(k), got.get(k), k + " differs from upscale's output");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (apps.stream().anyMatch(Files::exists) && System.nanoTime() < end) Thread.sleep(500);
        assertTrue(apps.stream().noneMatch(Files::exists), "the workers' cleanup removed the finished application's folders: " + apps);
        System.out.printf("StandaloneClusterIT: the jar as local:PATH, 2 images: %.0f MB of jar copies in the executors' folders, removed by the "
                + "workers' cleanup %.0f s after the application ended%n", copied / 1e6, (System.nanoTime() - ended) / 1e9);
    }

    /** JobStatus on a status file, through SparkSubmit (local, no cluster needed to read it). */
    static SparkJobIT.Run readStatus(Path file) throws Exception {
        return exec(SparkJobIT.submitCommand("io.github.superresolve.spark.JobStatus", List.of(), file.toString()),
                Map.of("SPARK_LOCAL_IP", "127.0.0.1"));
    }

    /** The executors' folders (work-N/APP/EXECUTOR) the workers have made. */
    static Set<Path> appDirs() throws IOException {
        Set<Path> d = new TreeSet<>();
        for (int i = 1; i <= 2; i++)
            try (Stream<Path> s = Files.list(tmp.resolve("work-" + i))) {
                for (Path app : s.filter(p -> p.getFileName().toString().startsWith("app-")).toList())
                    try (Stream<Path> e = Files.list(app)) {
                        e.filter(Files::isDirectory).forEach(d::add);
                    } catch (IOException gone) {
                        // removed by the worker's cleanup meanwhile
                    }
            }
        return d;
    }

    /** The bytes of the jars in these folders. */
    static long jarBytes(Set<Path> dirs) throws IOException {
        long n = 0;
        for (Path d : dirs)
            try (Stream<Path> s = Files.list(d)) {
                for (Path j : s.filter(p -> p.toString().endsWith(".jar")).toList()) n += Files.size(j);
            }
        return n;
    }

    /** The drivers' folders (driver-ID) the workers made in cluster deploy mode. */
    static Set<Path> driverDirs() throws IOException {
        Set<Path> d = new TreeSet<>();
        for (int i = 1; i <= 2; i++)
            try (Stream<Path> s = Files.list(tmp.resolve("work-" + i))) {
                s.filter(p -> p.getFileName().toString().startsWith("driver-")).forEach(d::add);
            }
        return d;
    }

    /** Executors' stderr files under a worker's work folder (APP/EXECUTOR/stderr). */
    static List<Path> executorLogs(Path work) throws IOException {
        try (Stream<Path> s = Files.walk(work, 3)) {
            return s.filter(p -> p.getFileName().toString().equals("stderr")).toList();
        } catch (java.io.UncheckedIOException gone) { // a folder removed by the worker's cleanup while walking: look again
            return List.of();
        }
    }

    // ---- the cluster

    /** A Spark daemon (master, worker) in a JVM of its own, as sbin/start-*.sh would start it; its log in tmp/NAME.log. */
    static Process daemon(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SparkJobIT.java(), "-Xmx512m"));
        cmd.addAll(opens());
        // a worker's cleanup of finished applications' folders (docs/spark.md): every 5 s, data untouched for 60 s
        cmd.addAll(List.of("-Dspark.worker.cleanup.enabled=true", "-Dspark.worker.cleanup.interval=5", "-Dspark.worker.cleanup.appDataTtl=60"));
        cmd.addAll(List.of("-cp", System.getProperty("superresolve.spark.lib") + "/*", mainClass));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().putAll(Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.12", "SPARK_LOCAL_IP", "127.0.0.1",
                "OMP_NUM_THREADS", "1"));
        pb.environment().remove("SPARK_CONF_DIR");
        Process p = pb.start();
        daemons.add(p);
        return p;
    }

    static void awaitLog(String name, String line, int seconds) throws Exception {
        Path log = tmp.resolve(name + ".log");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains(line)) return;
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not log '" + line + "' within " + seconds + " s:\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    static List<String> opens() {
        return Arrays.asList(System.getProperty("superresolve.spark.opens").trim().split("\\s+"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The application submitted to the master in client mode: the driver in this JVM's child, executors on the workers. */
    static SparkJobIT.Run submit(List<String> submitOptions, String... args) throws Exception {
        return submitJar(System.getProperty("superresolve.spark.jar"), "io.github.superresolve.spark.SparkUpscale", submitOptions, args);
    }

    /** A main class of the application jar at this path or URI (e.g. local:/path) submitted in client mode. */
    static SparkJobIT.Run submitJar(String jar, String mainClass, List<String> submitOptions, String... args) throws Exception {
        return exec(submitCommand(jar, mainClass, submitOptions, args), Map.of("OMP_NUM_THREADS", "1", "SPARK_LOCAL_IP", "127.0.0.1"));
    }

    static List<String> submitCommand(List<String> submitOptions, String... args) {
        return submitCommand(System.getProperty("superresolve.spark.jar"), "io.github.superresolve.spark.SparkUpscale", submitOptions, args);
    }

    static List<String> submitCommand(String jar, String mainClass, List<String> submitOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(SparkJobIT.java(), "-Xmx1g"));
        cmd.addAll(opens());
        cmd.add("-Dlog4j2.configurationFile=" + System.getProperty("superresolve.spark.log4j"));
        cmd.addAll(List.of("-cp", System.getProperty("superresolve.spark.lib") + "/*", "org.apache.spark.deploy.SparkSubmit",
                "--master", "spark://127.0.0.1:" + masterPort, "--deploy-mode", "client",
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.executor.memory=1g",
                "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", opens()),
                // wait for both executors before the first task (not only the first one to register)
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=120s"));
        cmd.addAll(submitOptions);
        cmd.addAll(List.of("--class", mainClass, jar));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** super-resolve upscale in a JVM of its own, two threads per op (as SparkJobIT's). */
    static void upscale(Path outDir, String model, Path... inputs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SparkJobIT.java(), "-Xmx2g", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                "io.github.superresolve.cli.Main", "upscale"));
        for (Path p : inputs) cmd.add(p.toString());
        cmd.addAll(List.of("-o", outDir.toString(), "--model", model, "--scale", "2"));
        SparkJobIT.Run r = exec(cmd, Map.of("OMP_NUM_THREADS", "2"));
        assertEquals(0, r.code(), r.all());
    }

    static SparkJobIT.Run exec(List<String> cmd, Map<String, String> env) throws Exception {
        return SparkJobIT.exec(cmd, env, tmp);
    }

    static Process start(List<String> cmd, Map<String, String> env) throws IOException {
        return SparkJobIT.start(cmd, env, tmp);
    }

    static SparkJobIT.Run result(Process p) throws IOException {
        return SparkJobIT.result(p);
    }

    /** The executors' JVMs (the workers' java children) and their peak resident memory, VmHWM, polled while a job runs. */
    static final class Peaks {
        final Map<Long, Long> kb = new ConcurrentHashMap<>();
        final Thread poller;
        volatile boolean running = true;

        Peaks() {
            poller = new Thread(() -> {
                while (running) {
                    for (ProcessHandle e : executors()) {
                        long hwm = vmHwmKb(e.pid());
                        if (hwm > 0) kb.merge(e.pid(), hwm, Math::max);
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ex) {
                        return;
                    }
                }
            }, "executor-rss");
            poller.setDaemon(true);
            poller.start();
        }

        void stop() throws InterruptedException {
            running = false;
            poller.join(5000);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            new TreeMap<>(kb).forEach((pid, k) -> b.append(b.length() == 0 ? "" : ", ").append(String.format("pid %d %.2f GB", pid, k / 1048576.0)));
            return b.length() == 0 ? "(none seen)" : b.toString();
        }
    }

    /** The executor JVMs the workers have started. */
    static List<ProcessHandle> executors() {
        List<ProcessHandle> l = new ArrayList<>();
        for (Process w : workers) w.children().filter(ProcessHandle::isAlive).forEach(l::add);
        return l;
    }

    static long vmHwmKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }
}
