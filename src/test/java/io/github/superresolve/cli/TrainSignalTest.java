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
}
