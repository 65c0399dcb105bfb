package io.github.superresolve.nn;

/**
 * Keeps ND4J's native memory near what one batch of tiles needs.
 *
 * <p>ND4J frees an array's native buffer when the JVM collects its Java handle, and a JVM with a nearly
 * empty heap rarely collects: measured, srresnet-x4 over a 512 x 512 photo (9 tiles of 192) grew to
 * 5.6 GB resident, about 0.35 GB per tile, although a tile needs under 2 GB. A collection after each
 * network call holds it at 2.9 GB, and was no slower (11 ms per full collection of a 256 MB heap).
 * In a long-lived Fiji with a large heap a collection costs more, so they are spaced to cost at most
 * about 5 % of the time: the next one waits 20 times as long as the last one took.
 */
public final class NativeMemory {

    private static long nextAllowedNanos;

    private NativeMemory() {
    }

    /** After a network call: collect the handles of the arrays it dropped, unless that would cost too much. */
    public static synchronized void collect() {
        long now = System.nanoTime();
        if (now < nextAllowedNanos) return;
        System.gc();
        long took = System.nanoTime() - now;
        nextAllowedNanos = System.nanoTime() + 20 * took;
    }

    /** Bytes the process holds in RAM (resident set), as JavaCPP reads it; -1 if unknown. */
    public static long residentBytes() {
        try {
            return org.bytedeco.javacpp.Pointer.physicalBytes();
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }
}
