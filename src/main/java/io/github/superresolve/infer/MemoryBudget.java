package io.github.superresolve.infer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How much native memory a network's tiles may hold. By default the least of {@link #DEFAULT_CAP}, a
 * quarter of the computer's RAM and half of the RAM available now (so a laptop running other programs
 * is not pushed into swap); a user's limit replaces the default. Native memory is outside the Java heap,
 * so Fiji's -Xmx does not bound it: RAM is what counts.
 *
 * <p>Why a cap of 1 GB by default: larger tiles waste fewer padded pixels but, measured, are not faster
 * end to end. srresnet-x4 on a 512 x 512 photo, 2 cores, two runs each: 4 tiles of 256 x 256 (1 GB)
 * 11.8-12.0 s and 1.17 GB peak, 2 tiles of 512 x 256 (1.5 GB) 13.1-15.4 s and 1.80 GB (a new tile size's
 * buffers are first touched once per image, and that costs more than the padding saves); rgan-x4
 * 24.8-25.1 s with 1 GB, 24.5-25.2 s with 1.5 GB. A run that takes more than it needs competes with
 * the user's other programs.
 */
public final class MemoryBudget {

    public static final long MB = 1L << 20;
    public static final long DEFAULT_CAP = 1024 * MB;
    /** Smallest budget the default chooses, whatever the RAM says. */
    public static final long FLOOR = 256 * MB;

    private MemoryBudget() {
    }

    /** The budget for a user's limit in bytes, or the default when {@code limit <= 0}. */
    public static long resolve(long limit) {
        return limit > 0 ? limit : automatic(totalRam(), availableRam());
    }

    /** The default from total and available RAM (bytes; <= 0 when unknown). */
    static long automatic(long total, long available) {
        long b = DEFAULT_CAP;
        if (total > 0) b = Math.min(b, total / 4);
        if (available > 0) b = Math.min(b, available / 2);
        return Math.max(FLOOR, b);
    }

    /**
     * Parses a user's limit: a number of megabytes, or with a unit (512M, 1.5G, 2GB); 0 or "auto" for the
     * default.
     */
    public static long parse(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("AUTO") || t.equals("0")) return 0;
        if (t.endsWith("B")) t = t.substring(0, t.length() - 1);
        double f = MB;
        if (t.endsWith("G")) {
            f = 1024.0 * MB;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("M")) {
            t = t.substring(0, t.length() - 1);
        }
        double v;
        try {
            v = Double.parseDouble(t.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Memory limit '" + s + "' is not a size: write it in megabytes (1500) or with a unit (1.5G, 800M), or auto.");
        }
        if (!(v * f >= 64 * MB))
            throw new IllegalArgumentException("Memory limit '" + s + "' is too small: allow at least 64 MB (64M), or auto.");
        return (long) (v * f);
    }

    /** Human-readable size: "1.5 GB", "800 MB". */
    public static String describe(long bytes) {
        return bytes >= 1024 * MB ? String.format(Locale.ROOT, "%.1f GB", bytes / (1024.0 * MB))
                : String.format(Locale.ROOT, "%d MB", Math.round(bytes / (double) MB));
    }

    static long totalRam() {
        com.sun.management.OperatingSystemMXBean os = osBean();
        return os == null ? -1 : os.getTotalMemorySize();
    }

    /** RAM available without swapping: Linux's MemAvailable, else the free memory the JVM reports. */
    static long availableRam() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo")))
                if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        com.sun.management.OperatingSystemMXBean os = osBean();
        return os == null ? -1 : os.getFreeMemorySize();
    }

    /** The JDK's operating-system bean with memory sizes, or null where it is not available. */
    private static com.sun.management.OperatingSystemMXBean osBean() {
        try {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os : null;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
