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
final class ImageJBatch {

    private ImageJBatch() {
    }

    static boolean available() {
        return Files.isExecutable(Paths.get("/usr/bin/xvfb-run"));
    }

    /**
     * Runs {@code macro} with {@code args}; returns ImageJ's output (Log and errors). Output goes to a file,
     * not a pipe: a macro error can open a modal dialog under Xvfb, so the test must be able to give up
     * after {@code seconds} (and kill ImageJ) instead of blocking.
     */
    static String run(Path pluginsHome, Path macro, String args, Path scratch, int seconds) throws IOException, InterruptedException {
        List<String> cmd = List.of("xvfb-run", "-a", Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dplugins.dir=" + pluginsHome, "-cp", System.getProperty("java.class.path"),
                "ij.ImageJ", "-batch", macro.toAbsolutePath().toString(), args);
        Path logFile = Files.createTempFile(scratch, "imagej", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
        pb.environment().put("OMP_NUM_THREADS", "2");
        Process p = pb.start();
        boolean finished = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        assertTrue(finished, "ImageJ did not finish within " + seconds + " s (a macro error dialog?): " + log);
        return log;
    }
}
