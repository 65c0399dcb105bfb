package io.github.superresolve.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads of files that come from other people (model zips, packages, their entries), bounded before
 * memory is taken: bytes are counted while they are read or inflated, never taken from a zip's or a
 * format's own header, which a damaged or hostile file can understate.
 */
public final class BoundedRead {

    private BoundedRead() {
    }

    /** Thrown when a stream holds more than it may: the message ends "... more than N MB". */
    public static final class TooLargeException extends IOException {
        private final long limit;

        public TooLargeException(long limit) {
            super("holds more than " + human(limit));
            this.limit = limit;
        }

        /** The limit that was passed, in bytes. */
        public long limit() {
            return limit;
        }
    }

    /**
     * All bytes of a stream, at most {@code limit} of them; the buffer grows with what arrives, so a
     * stream that claims much and holds little costs little.
     *
     * @throws TooLargeException as soon as more than {@code limit} bytes arrive
     */
    public static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[1 << 16];
        long total = 0;
        int r;
        while ((r = in.read(b, 0, (int) Math.min(b.length, limit - total + 1))) > 0) {
            total += r;
            if (total > limit) throw new TooLargeException(limit);
            out.write(b, 0, r);
        }
        return out.toByteArray();
    }

    /**
     * The name of an entry that a zip holds twice, or null. Readers disagree on which copy of a
     * duplicated name they take (a stream reader the first, {@link ZipFile} one of them), so a zip
     * holding one is refused rather than read either way.
     */
    public static String duplicateEntry(ZipFile zip) {
        Set<String> seen = new HashSet<>();
        for (var en = zip.entries(); en.hasMoreElements(); ) {
            ZipEntry e = en.nextElement();
            if (!seen.add(e.getName())) return e.getName();
        }
        return null;
    }

    /** Bytes as "1.5 GB", "12 MB" or "640 KB". */
    public static String human(long bytes) {
        if (bytes >= 1L << 30) return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return (bytes >> 20) + " MB";
        return Math.max(1, bytes >> 10) + " KB";
    }
}
