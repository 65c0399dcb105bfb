package io.github.superresolve.hostile;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Writes the hostile model zips of {@link ModelZipFuzzTest} and {@link NpyFuzzTest}: entries of given
 * bytes or of gigabytes of zeros (deflated to about a thousandth), the same name twice, sizes in the zip
 * directory understating what an entry inflates to, names outside the archive or with control characters.
 * A benchmark can call the same generators with bigger bombs.
 */
public final class Zips {

    private Zips() {
    }

    /** The entries of the shipped srresnet-x2-gray model (from the jar's or class folder's {@code models/}), in order. */
    public static Map<String, byte[]> shippedGrey() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (InputStream in = Zips.class.getClassLoader().getResourceAsStream("models/srresnet-x2-gray.zip");
             ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) m.put(e.getName(), z.readAllBytes());
        }
        return m;
    }

    /** A 16 x 12 grey PNG, the input of the cases' {@code upscale}. */
    public static Path smallPng(Path dir) {
        Path p = dir.resolve("small.png");
        ByteProcessor bp = new ByteProcessor(16, 12);
        for (int i = 0; i < bp.getPixelCount(); i++) bp.set(i, (i * 37) & 0xff);
        if (!new FileSaver(new ImagePlus("small", bp)).saveAsPng(p.toString())) throw new IllegalStateException("cannot write " + p);
        return p;
    }

    /** An entry to write: its bytes, then {@code zeros} zero bytes (streamed, never held). */
    public record Entry(String name, byte[] head, long zeros) {
        public static Entry of(String name, byte[] bytes) {
            return new Entry(name, bytes, 0);
        }
    }

    /** A builder of one zip. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private final Map<String, Long> understated = new LinkedHashMap<>();

        public Builder add(String name, byte[] bytes) {
            entries.add(Entry.of(name, bytes));
            return this;
        }

        /** An entry of {@code head} followed by {@code zeros} zero bytes. */
        public Builder zeros(String name, byte[] head, long zeros) {
            entries.add(new Entry(name, head, zeros));
            return this;
        }

        public Builder addAll(Map<String, byte[]> m) {
            m.forEach(this::add);
            return this;
        }

        /** The zip directory (and the data descriptor) will say the entry inflates to {@code size} bytes. */
        public Builder understate(String name, long size) {
            understated.put(name, size);
            return this;
        }

        /** Writes the zip; entries of the same name are allowed (written under stand-ins, then renamed). */
        public Path write(Path file) throws IOException {
            Map<String, Integer> seen = new LinkedHashMap<>();
            List<String[]> renames = new ArrayList<>();
            try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
                for (Entry e : entries) {
                    String name = e.name();
                    int k = seen.merge(name, 1, Integer::sum);
                    if (k > 1) {
                        String standIn = standIn(name, k);
                        renames.add(new String[]{standIn, name});
                        name = standIn;
                    }
                    z.putNextEntry(new ZipEntry(name));
                    z.write(e.head());
                    byte[] zero = new byte[1 << 20];
                    for (long left = e.zeros(); left > 0; left -= zero.length) z.write(zero, 0, (int) Math.min(zero.length, left));
                    z.closeEntry();
                }
            }
            if (renames.isEmpty() && understated.isEmpty()) return file;
            byte[] b = Files.readAllBytes(file);
            for (String[] r : renames) replace(b, r[0].getBytes(StandardCharsets.UTF_8), r[1].getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, Long> u : understated.entrySet()) Zips.understate(b, u.getKey(), u.getValue());
            Files.write(file, b);
            return file;
        }
    }

    public static Builder zip() {
        return new Builder();
    }

    /** A name of the same length in bytes as {@code name}, unlike it, to be renamed to it after writing. */
    private static String standIn(String name, int k) {
        char[] c = name.toCharArray();
        c[c.length - 1] = (char) ('~' - k); // same byte length for an ASCII last character
        return new String(c);
    }

    private static void replace(byte[] b, byte[] from, byte[] to) {
        if (from.length != to.length) throw new IllegalArgumentException("names of different lengths");
        outer:
        for (int i = 0; i + from.length <= b.length; i++) {
            for (int j = 0; j < from.length; j++) if (b[i + j] != from[j]) continue outer;
            System.arraycopy(to, 0, b, i, to.length);
        }
    }

    /** Sets the uncompressed size of every directory record and data descriptor of {@code name} to {@code size}. */
    private static void understate(byte[] b, String name, long size) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 <= b.length; i++) {
            if (buf.getInt(i) != 0x02014b50) continue; // central directory header
            int len = Short.toUnsignedInt(buf.getShort(i + 28));
            if (len != n.length || i + 46 + len > b.length) continue;
            boolean same = true;
            for (int j = 0; j < len && same; j++) same = b[i + 46 + j] == n[j];
            if (!same) continue;
            long csize = Integer.toUnsignedLong(buf.getInt(i + 20));
            long realSize = Integer.toUnsignedLong(buf.getInt(i + 24));
            buf.putInt(i + 24, (int) size);
            // the data descriptor after the local entry's data (signature, crc, csize, size)
            long local = Integer.toUnsignedLong(buf.getInt(i + 42));
            int lname = Short.toUnsignedInt(buf.getShort((int) local + 26)), lextra = Short.toUnsignedInt(buf.getShort((int) local + 28));
            int desc = (int) (local + 30 + lname + lextra + csize);
            if (desc + 16 <= b.length && buf.getInt(desc) == 0x08074b50 && Integer.toUnsignedLong(buf.getInt(desc + 12)) == realSize)
                buf.putInt(desc + 12, (int) size);
        }
    }

    /** A .npy header (version 1.0) for float32 values of {@code shape}, without the values. */
    public static byte[] npyHeader(String shape) {
        return npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }", 1);
    }

    /** Magic, version {@code major}.0, the length (2 bytes for 1.0, else 4) and {@code header} padded to 64 bytes. */
    public static byte[] npy(String header, int major) {
        int pre = major == 1 ? 10 : 12;
        StringBuilder h = new StringBuilder(header);
        while ((pre + h.length() + 1) % 64 != 0) h.append(' ');
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        out.write(hb.length & 0xff);
        out.write(hb.length >> 8 & 0xff);
        if (major != 1) {
            out.write(hb.length >> 16 & 0xff);
            out.write(hb.length >>> 24);
        }
        out.writeBytes(hb);
        return out.toByteArray();
    }
}
