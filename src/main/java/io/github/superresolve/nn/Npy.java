package io.github.superresolve.nn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * NumPy {@code .npy} encoding of float32 arrays in C order, the parameter format of model files:
 * readable by {@code numpy.load} for inspection and by other tools; reads versions 1.0 and 2.0.
 *
 * <p>Why not ND4J's own codec ({@code Nd4j.createNpyFromByteArray} / {@code toNpyByteArray}): its writer
 * gives the same bytes as NumPy and this class, but its native reader, tried on files NumPy wrote
 * ({@code src/test/resources/npy/}), aborts the whole JVM on a big-endian file (a C assertion in
 * libnd4j's cnpy: Fiji would vanish with the user's unsaved work), reads a file cut short without
 * complaint (values past the end are whatever memory follows), reads a Fortran-ordered array as if it
 * were C-ordered (transposed weights, silently) and refuses version 2.0 headers. Model files come from
 * other people, so their reader must refuse damage with a reason ({@code NpyTest}).
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Npy() {
    }

    /** A decoded array. */
    public record Array(long[] shape, float[] data) {
    }

    public static byte[] write(long[] shape, float[] data) {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) sh.append(',');
            if (i < shape.length - 1) sh.append(' ');
        }
        sh.append(')');
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + sh + ", }";
        int total = MAGIC.length + 4 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder h = new StringBuilder(header);
        h.append(" ".repeat(pad)).append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + hb.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) hb.length).put(hb);
        for (float f : data) buf.putFloat(f);
        return buf.array();
    }

    /** Decodes; throws {@link IOException} with a short reason when the bytes are not a float32 .npy. */
    public static Array read(byte[] bytes) throws IOException {
        if (bytes.length < 10) throw new IOException("too short for a .npy array");
        for (int i = 0; i < MAGIC.length; i++)
            if (bytes[i] != MAGIC[i]) throw new IOException("not a .npy array");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        buf.position(8);
        int hlen = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
        if (buf.position() + hlen > bytes.length) throw new IOException("truncated .npy header");
        String header = new String(bytes, buf.position(), hlen, StandardCharsets.US_ASCII);
        buf.position(buf.position() + hlen);
        if (!header.contains("'descr': '<f4'")) throw new IOException("only little-endian float32 arrays are supported");
        if (header.contains("'fortran_order': True")) throw new IOException("Fortran-ordered arrays are not supported");
        int s = header.indexOf("'shape': (");
        if (s < 0) throw new IOException("no shape in .npy header");
        int e = header.indexOf(')', s);
        List<Long> dims = new ArrayList<>();
        for (String t : header.substring(s + 10, e).split(",")) {
            t = t.trim();
            if (!t.isEmpty()) dims.add(Long.parseLong(t));
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long n = 1;
        for (long d : shape) n *= d;
        if (n > Integer.MAX_VALUE || buf.remaining() < 4 * n)
            throw new IOException("truncated .npy data (" + buf.remaining() + " bytes for " + n + " floats)");
        float[] data = new float[(int) n];
        buf.asFloatBuffer().get(data);
        return new Array(shape, data);
    }

    static byte[] readAll(java.io.InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[1 << 16];
        int r;
        long total = 0;
        while ((r = in.read(b)) > 0) {
            total += r;
            if (total > limit) throw new IOException("entry larger than " + limit + " bytes");
            out.write(b, 0, r);
        }
        return out.toByteArray();
    }
}
