package io.github.superresolve.hostile;

import io.github.superresolve.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a {@link HostileCase} through {@code super-resolve}'s own entry point ({@link Main#run}) in this
 * JVM and checks what a user would see and lose:
 * <ul>
 * <li>the exit code, and the sentence on standard error (one line, no Java exception text, no control
 * characters) or on standard output;</li>
 * <li>nothing created, changed or deleted under {@code watched} except the case's output;</li>
 * <li>bounded work: the case ends within {@link #HANG_GUARD} (a guard against hangs, not a speed claim)
 * and allocates at most {@link #MAX_ALLOCATED} bytes of Java heap on its thread.</li>
 * </ul>
 * What it measured is returned, so a fuzz test can print the worst case per family.
 */
public final class HostileRun {

    /** A case still running after this is a hang (ten infinite loops are what the guard is for). */
    public static final Duration HANG_GUARD = Duration.ofSeconds(120);
    /** Heap a case may allocate on its thread: far below the 5 GB bombs, far above any real refusal. */
    public static final long MAX_ALLOCATED = 768L << 20;

    /** Raw Java or native text that must never reach a user. */
    private static final Pattern RAW = Pattern.compile(
            "Exception|\\bnull\\b|For input string|offset \\d+, count|Index \\d+ out of bounds|\\bat [a-z]+\\.[a-z]+\\.|\\[[EW]:onnxruntime|\u001b\\[");

    /** What a run measured. */
    public record Measured(HostileCase c, int exit, String out, String err, double seconds, long allocatedBytes) {
    }

    private HostileRun() {
    }

    public static Measured check(HostileCase c, Path watched) throws IOException {
        Map<Path, String> before = snapshot(watched, c.output());
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] measured = new long[2];
        java.util.Map<String, String> saved = new java.util.HashMap<>();
        for (var e : c.properties().entrySet()) saved.put(e.getKey(), System.setProperty(e.getKey(), e.getValue()));
        int exit;
        try {
            exit = assertTimeoutPreemptively(HANG_GUARD, () -> {
            long a0 = mx.getCurrentThreadAllocatedBytes(), t0 = System.nanoTime();
            int code = Main.run(c.args().toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            measured[0] = System.nanoTime() - t0;
            measured[1] = mx.getCurrentThreadAllocatedBytes() - a0;
            return code;
        }, () -> c + " did not end within " + HANG_GUARD.toSeconds() + " s");
        } finally {
            for (var e : saved.entrySet()) {
                if (e.getValue() == null) System.clearProperty(e.getKey());
                else System.setProperty(e.getKey(), e.getValue());
            }
        }
        String o = out.toString(StandardCharsets.UTF_8), e = err.toString(StandardCharsets.UTF_8);
        assertEquals(c.exit(), exit, () -> c + ": exit code; stdout: " + o + " stderr: " + e);
        if (c.exit() != 0) {
            String line = e.strip();
            assertFalse(line.isEmpty(), () -> c + ": refused without a sentence");
            assertFalse(line.contains("\n"), () -> c + ": more than one line on stderr: " + e);
            assertFalse(RAW.matcher(line).find(), () -> c + ": raw Java or native text reaches the user: " + line);
            assertTrue(line.chars().noneMatch(ch -> ch < 0x20), () -> c + ": control characters reach the terminal: " + line);
            if (c.sentence() != null) assertTrue(c.sentence().matcher(line).find(), () -> c + ": expected /" + c.sentence() + "/ in: " + line);
        } else if (c.sentence() != null) {
            assertTrue(c.sentence().matcher(o).find(), () -> c + ": expected /" + c.sentence() + "/ in: " + o);
        }
        assertTrue(measured[1] <= MAX_ALLOCATED, () -> c + ": allocated " + (measured[1] >> 20) + " MB of heap");
        Map<Path, String> after = snapshot(watched, c.output());
        if (!before.equals(after)) fail(c + ": files outside its output changed: " + diff(before, after));
        return new Measured(c, exit, o, e, measured[0] / 1e9, measured[1]);
    }

    /** Every file and folder under {@code root} (symbolic links not followed) with its size and time, except under {@code output}. */
    static Map<Path, String> snapshot(Path root, Path output) throws IOException {
        Map<Path, String> m = new TreeMap<>();
        if (root == null || !Files.exists(root)) return m;
        Path skip = output == null ? null : output.toAbsolutePath().normalize();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path a = p.toAbsolutePath().normalize();
                if (skip != null && (a.startsWith(skip) || a.getFileName().toString().startsWith("." + skip.getFileName()))) continue;
                var attrs = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                m.put(a, attrs.isDirectory() ? "dir" : attrs.size() + "@" + attrs.lastModifiedTime().toMillis());
            }
        }
        return m;
    }

    private static String diff(Map<Path, String> a, Map<Path, String> b) {
        StringBuilder s = new StringBuilder();
        for (var e : a.entrySet()) if (!e.getValue().equals(b.get(e.getKey()))) s.append(b.containsKey(e.getKey()) ? " changed " : " deleted ").append(e.getKey());
        for (var e : b.keySet()) if (!a.containsKey(e)) s.append(" created ").append(e);
        return s.toString();
    }
}
