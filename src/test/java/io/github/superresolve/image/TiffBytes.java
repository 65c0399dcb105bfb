package io.github.superresolve.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Writes TIFF files byte by byte for tests, well-formed or not: little-endian, data blocks and image
 * file directories (IFDs) appended in the order the test asks, every offset and count as the test
 * gives it (so that directories can loop, point past the end, or declare what their strips cannot hold).
 */
public final class TiffBytes {

    public static final int BYTE = 1, ASCII = 2, SHORT = 3, LONG = 4, RATIONAL = 5;
    public static final int WIDTH = 256, HEIGHT = 257, BITS = 258, COMPRESSION = 259, PHOTOMETRIC = 262, DESCRIPTION = 270,
            STRIP_OFFSETS = 273, SAMPLES = 277, ROWS_PER_STRIP = 278, STRIP_BYTE_COUNTS = 279, SAMPLE_FORMAT = 339;
    public static final int NONE = 1, LZW = 5, DEFLATE = 8, PACKBITS = 32773;

    /** One directory entry: its value is written in place when it fits in 4 bytes, else {@code value} is the offset. */
    public record Entry(int tag, int type, long count, long value) {
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<long[]> patches = new ArrayList<>(); // {position, value}: 4-byte little-endian patches

    public TiffBytes() {
        out.writeBytes(new byte[]{'I', 'I', 42, 0, 0, 0, 0, 0}); // first IFD offset patched by first()
    }

    public static Entry e(int tag, int type, long count, long value) {
        return new Entry(tag, type, count, value);
    }

    public static Entry e(int tag, long value) {
        return new Entry(tag, value > 0xffff ? LONG : SHORT, 1, value);
    }

    /** Appends bytes (aligned to an even offset, as TIFF wants) and returns where they start. */
    public long append(byte[] data) {
        if (out.size() % 2 != 0) out.write(0);
        long at = out.size();
        out.writeBytes(data);
        return at;
    }

    /** Appends 4-byte unsigned values and returns where they start. */
    public long appendLongs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putInt((int) v);
        return append(b.array());
    }

    /** Appends an IFD whose next-IFD offset is {@code next} (0: the last); returns its offset. */
    public long ifd(long next, Entry... entries) {
        ByteBuffer b = ByteBuffer.allocate(2 + 12 * entries.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) entries.length);
        for (Entry en : entries) {
            b.putShort((short) en.tag()).putShort((short) en.type()).putInt((int) en.count());
            if (en.type() == SHORT && en.count() == 1) b.putShort((short) en.value()).putShort((short) 0);
            else b.putInt((int) en.value());
        }
        b.putInt((int) next);
        return append(b.array());
    }

    /** Sets the offset of the first IFD. */
    public TiffBytes first(long offset) {
        patches.add(new long[]{4, offset});
        return this;
    }

    /** Overwrites the next-IFD offset of the IFD at {@code ifd} (which has {@code entries} entries). */
    public TiffBytes next(long ifd, int entries, long next) {
        patches.add(new long[]{ifd + 2 + 12L * entries, next});
        return this;
    }

    public byte[] bytes() {
        byte[] b = out.toByteArray();
        for (long[] p : patches)
            for (int i = 0; i < 4; i++) b[(int) p[0] + i] = (byte) (p[1] >>> (8 * i));
        return b;
    }

    /** The usual entries of one grey strip image: size, bits, compression, one strip at {@code offset} of {@code length} bytes. */
    public static Entry[] grey(long width, long height, int bits, int compression, long offset, long length, Entry... more) {
        List<Entry> l = new ArrayList<>(List.of(e(WIDTH, LONG, 1, width), e(HEIGHT, LONG, 1, height), e(BITS, bits),
                e(COMPRESSION, compression), e(PHOTOMETRIC, 1), e(STRIP_OFFSETS, LONG, 1, offset), e(ROWS_PER_STRIP, LONG, 1, height),
                e(STRIP_BYTE_COUNTS, LONG, 1, length)));
        l.addAll(List.of(more));
        l.sort((a, b) -> Integer.compare(a.tag(), b.tag()));
        return l.toArray(Entry[]::new);
    }

    /** A whole single-plane grey TIFF holding {@code pixels} as one strip. */
    public static byte[] single(int width, int height, int bits, int compression, byte[] strip, Entry... more) {
        TiffBytes t = new TiffBytes();
        long at = t.append(strip);
        return t.first(t.ifd(0, grey(width, height, bits, compression, at, strip.length, more))).bytes();
    }

    /** A 32-bit float TIFF of the given pixels. */
    public static byte[] float32(int width, int height, float[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(pixels.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : pixels) b.putFloat(f);
        return single(width, height, 32, NONE, b.array(), e(SAMPLE_FORMAT, 3));
    }

    /** zlib (TIFF's Adobe deflate) of {@code data}. */
    public static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) o.write(buf, 0, d.deflate(buf));
        d.end();
        return o.toByteArray();
    }
}
