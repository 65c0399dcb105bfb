package io.github.superresolve.exchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The process's peak resident memory, resettable (Linux: {@code /proc/self/clear_refs} value 5 resets
 * VmHWM). Used to measure what ONNX Runtime really holds during a call; elsewhere {@link #available()}
 * is false and callers estimate instead.
 */
final class PeakMemory {

    private static final Path STATUS = Paths.get("/proc/self/status"), CLEAR = Paths.get("/proc/self/clear_refs");

    private PeakMemory() {
    }

    static boolean available() {
        return Files.isReadable(STATUS) && Files.isWritable(CLEAR);
    }

    /** Resets the peak to the current resident size; returns the current size in bytes. */
    static long reset() throws IOException {
        Files.write(CLEAR, "5".getBytes(StandardCharsets.US_ASCII));
        return field("VmRSS:");
    }

    /** The peak resident size since the last {@link #reset()}, in bytes. */
    static long peak() throws IOException {
        return field("VmHWM:");
    }

    private static long field(String name) throws IOException {
        for (String l : Files.readAllLines(STATUS))
            if (l.startsWith(name)) return 1024 * Long.parseLong(l.substring(name.length()).replace("kB", "").trim());
        throw new IOException("no " + name + " in " + STATUS);
    }
}
