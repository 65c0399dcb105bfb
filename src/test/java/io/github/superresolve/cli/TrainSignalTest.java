package io.github.superresolve.cli;

import io.github.superresolve.nn.ModelFile;
import io.github.superresolve.train.TrainingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A real kill: {@code super-resolve train} in its own JVM receives SIGTERM (what Ctrl-C, {@code kill}
 * or a closing session sends), writes a checkpoint before exiting, and {@code --resume} finishes the run.
 */
class TrainSignalTest {

    @Test
    void sigtermWritesACheckpointAndResumeFinishes(@TempDir Path tmp) throws Exception {
        Path hr = TrainingTest.folder(tmp.resolve("hr"), 3, 40);
        Path out = tmp.resolve("k.zip");
        Path log = tmp.resolve("train.log");
        List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--hr-dir", hr.toString(),
                "--out", out.toString(), "--scale", "2", "--blocks", "1", "--width", "8", "--patch", "16", "--batch", "2",
                "--steps", "1000000", "--checkpoint-every", "1000000");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        long until = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < until && p.isAlive()
                && !(Files.exists(log) && Files.readString(log).contains("step 20/"))) Thread.sleep(200);
        assertTrue(p.isAlive(), "training ended early: " + Files.readString(log));
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "no exit after SIGTERM: " + Files.readString(log));
        String text = Files.readString(log);
        assertTrue(text.contains("Cancelled at step"), text);
        long saved = ((Number) ModelFile.readCheckpoint(tmp.resolve("k.checkpoint.zip")).model().card().training().get("steps")).longValue();
        assertTrue(saved >= 20, "checkpoint at step " + saved);

        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"train", "--hr-dir", hr.toString(), "--out", out.toString(), "--scale", "2", "--blocks", "1",
                "--width", "8", "--patch", "16", "--batch", "2", "--steps", String.valueOf(saved + 5), "--resume", "--quiet"},
                new PrintStream(o), new PrintStream(e));
        assertEquals(0, code, e.toString());
        assertTrue(e.toString().contains("Resuming k.checkpoint.zip at step " + saved), e.toString());
        assertEquals(saved + 5, ((Number) ModelFile.read(out).card().training().get("steps")).longValue());
    }

    private static String[] train(Path hr, Path out, long steps, int every, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--hr-dir", hr.toString(), "--out", out.toString(), "--scale", "2",
                "--blocks", "1", "--width", "8", "--patch", "16", "--batch", "2", "--steps", String.valueOf(steps),
                "--checkpoint-every", String.valueOf(every), "--seed", "5", "--quiet"));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    private static void assertClose(java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> expected,
                                    java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        for (String k : expected.keySet()) {
            double d = expected.get(k).sub(actual.get(k)).amaxNumber().doubleValue();
            assertTrue(d < 2e-6, what + " " + k + " differs by " + d);
        }
    }

    /**
     * SIGKILL (no chance to save) between two checkpoints: the checkpoint on disk is intact, equals an
     * uninterrupted run stopped at its step (weights and Adam moments), and resuming from it ends where
     * an uninterrupted run ends.
     */
    @Test
    void sigkillBetweenCheckpointsResumesWhereAnUninterruptedRunIs(@TempDir Path tmp) throws Exception {
        Path hr = TrainingTest.folder(tmp.resolve("hr"), 3, 40);
        Path out = tmp.resolve("k.zip");
        Path log = tmp.resolve("train.log");
        List<String> cmd = new java.util.ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(train(hr, out, 1_000_000, 25)));
        cmd.remove("--quiet");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        long until = System.currentTimeMillis() + 180_000;
        // wait for a checkpoint and a few steps past it: then the kill falls between two checkpoints
        while (System.currentTimeMillis() < until && p.isAlive()
                && !(Files.exists(log) && Files.readString(log).matches("(?s).*checkpoint at step 25\\..*step [34]0/.*"))) Thread.sleep(50);
        assertTrue(p.isAlive(), "training ended early: " + Files.readString(log));
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        ModelFile.Checkpoint killed = ModelFile.readCheckpoint(tmp.resolve("k.checkpoint.zip"));
        long saved = ((Number) killed.model().card().training().get("steps")).longValue();
        assertTrue(saved % 25 == 0 && saved >= 25 && saved <= 200, "checkpoint at step " + saved + ": " + Files.readString(log));

        // an uninterrupted run to the same step: same weights and optimiser state
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        Path ref = tmp.resolve("ref.zip");
        assertEquals(0, Main.run(train(hr, ref, saved, 25), new PrintStream(o), new PrintStream(e)), e.toString());
        ModelFile.Checkpoint straight = ModelFile.readCheckpoint(tmp.resolve("ref.checkpoint.zip"));
        assertClose(straight.model().params(), killed.model().params(), "weights at step " + saved);
        assertClose(straight.optimizer(), killed.optimizer(), "optimiser state at step " + saved);
        assertFalse(killed.optimizer().isEmpty(), "the checkpoint holds Adam's moments");

        // the killed run resumed ends where a run that was never interrupted ends
        assertEquals(0, Main.run(train(hr, out, saved + 6, 25, "--resume"), new PrintStream(o), new PrintStream(e)), e.toString());
        Path whole = tmp.resolve("whole.zip");
        assertEquals(0, Main.run(train(hr, whole, saved + 6, 1000), new PrintStream(o), new PrintStream(e)), e.toString());
        assertClose(ModelFile.read(whole).params(), ModelFile.read(out).params(), "weights at step " + (saved + 6));
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no temporary file left");
        }
    }
}
