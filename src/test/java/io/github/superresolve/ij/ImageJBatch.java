package io.github.superresolve.ij;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a macro in real ImageJ 1.x ({@code ij.ImageJ -batch}) under a virtual display, for the macro tests. */
public final class ImageJBatch {

    private ImageJBatch() {
    }

    /**
     * Whether {@code xvfb-run} is on the PATH (the tests call it by name). Under CI (the {@code CI}
     * variable set) its absence fails instead: CI installs xvfb, and a green CI must mean the ImageJ
     * tests ran.
     */
    public static boolean available() {
        String path = System.getenv("PATH");
        boolean found = false;
        if (path != null)
            for (String d : path.split(java.io.File.pathSeparator))
                if (!d.isEmpty() && Files.isExecutable(Paths.get(d, "xvfb-run"))) found = true;
        if (!found && System.getenv("CI") != null)
            throw new AssertionError("CI must install xvfb (xvfb-run on the PATH): the ImageJ tests run ImageJ under it");
        return found;
    }

    /** Runs {@code macro} with {@code args} in ImageJ on the test class path; returns ImageJ's output (Log and errors). */
    static String run(Path pluginsHome, Path macro, String args, Path scratch, int seconds) throws IOException, InterruptedException {
        List<String> cmd = List.of("xvfb-run", "-a", Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dplugins.dir=" + pluginsHome, "-cp", System.getProperty("java.class.path"),
                "ij.ImageJ", "-batch", macro.toAbsolutePath().toString(), args);
        return runLogged(cmd, null, scratch, seconds);
    }

    /**
     * Runs a command (in {@code dir}, or here if null) with {@code OMP_NUM_THREADS=2}; returns its output
     * (stdout and stderr). Output goes to a file, not a pipe: a macro error can open a modal dialog under
     * Xvfb, so the test gives up after {@code seconds} (killing the process tree) instead of blocking,
     * and fails with what was printed.
     */
    public static String runLogged(List<String> cmd, Path dir, Path scratch, int seconds) throws IOException, InterruptedException {
        Path logFile = Files.createTempFile(scratch, "imagej", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().put("OMP_NUM_THREADS", "2");
        Process p = pb.start();
        boolean finished = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        assertTrue(finished, String.join(" ", cmd.subList(0, Math.min(3, cmd.size()))) + " did not finish within " + seconds
                + " s (a macro error dialog?): " + log);
        return log;
    }
}
