package io.github.superresolve.image;

import io.github.superresolve.io.BoundedRead;

/**
 * How much Java heap a job may plan to fill: {@link #SHARE} of what the heap can still grow to
 * ({@code Runtime.maxMemory()} minus what is in use now). The rest is headroom: a collector cannot
 * fill a heap to the last byte with large arrays (G1 places arrays of more than half a region in
 * whole regions of their own), and readers and the upscaler hold small buffers beside the planes.
 * When a size does not fit, garbage is collected once and the budget measured again, so that garbage
 * left by an earlier image (a Fiji session lives for days) does not refuse the next one.
 *
 * <p>This is the Java heap, where ImageJ keeps pixels; a network's tiles live in native memory,
 * budgeted separately (infer.MemoryBudget).
 */
public final class HeapBudget {

    /** Share of the free heap a job may plan to fill. */
    public static final double SHARE = 0.8;

    /** What a user can do about a refusal: the end of every sentence that says memory is short. */
    public static final String ADVICE = "crop or split it, or give Java more memory (JAVA_OPTS=-Xmx... on the command line, "
            + "Edit > Options > Memory & Threads in ImageJ)";

    private HeapBudget() {
    }

    /** Bytes a job may plan to allocate now. */
    public static long budget() {
        Runtime r = Runtime.getRuntime();
        long used = r.totalMemory() - r.freeMemory();
        return (long) (Math.max(0, r.maxMemory() - used) * SHARE);
    }

    /** Whether {@code bytes} fit the budget, collecting garbage once before saying no. */
    public static boolean fits(long bytes) {
        if (bytes <= budget()) return true;
        System.gc();
        return bytes <= budget();
    }

    /** "1.2 GB": the budget as the sentences give it. */
    public static String describe() {
        return BoundedRead.human(budget());
    }
}
