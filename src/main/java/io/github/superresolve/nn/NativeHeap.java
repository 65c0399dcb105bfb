package io.github.superresolve.nn;

import java.util.Locale;

/**
 * Gives freed native memory back to the operating system on Linux. glibc's allocator keeps memory it
 * took for large buffers (in its arenas) after they are freed, so a process that freed a model's
 * buffers still looked as large as before (measured: 20 super-resolutions in one JVM, mixing models,
 * grew from 1.1 to 2.1 GB resident without it). {@code malloc_trim(0)} returns those pages; it takes a
 * few milliseconds and is called only after a generator frees its buffers. Elsewhere (macOS and
 * Windows return large blocks themselves; musl has no malloc_trim) it does nothing.
 */
final class NativeHeap {

    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    private static volatile boolean unavailable = !LINUX;

    private NativeHeap() {
    }

    /** Returns freed memory of the C heap to the system, where the C library can. */
    static void trim() {
        if (unavailable) return;
        try {
            com.sun.jna.NativeLibrary.getInstance("c").getFunction("malloc_trim").invokeInt(new Object[]{0});
        } catch (RuntimeException | LinkageError e) {
            unavailable = true; // not glibc, or JNA cannot load: memory is freed, only not trimmed
        }
    }
}
