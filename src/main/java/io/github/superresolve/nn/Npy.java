package io.github.superresolve.nn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * NumPy {@code .npy} encoding of float32 arrays in C order, the parameter format of model files:
 * readable by {@code numpy.load} for inspection and by other tools; reads versions 1.0, 2.0 and 3.0.
 *
 * <p>Why not ND4J's own codec ({@code Nd4j.createNpyFromByteArray} / {@code toNpyByteArray}): its writer
 * gives the same bytes as NumPy and this class, but its native reader, tried on files NumPy wrote
 * ({@code src/test/resources/npy/}), aborts the whole JVM on a big-endian file (a C assertion in
 * libnd4j's cnpy: Fiji would vanish with the user's unsaved work), reads a file cut short without
 * complaint (values past the end are whatever memory follows), reads a Fortran-ordered array as if it
 * were C-ordered (transposed weights, silently) and refuses version 2.0 headers. Model files come from
 * other people, so their reader must refuse damage with a reason ({@code NpyTest}).
 *
 * <p>Reading is bounded by what the bytes hold, not by what the header claims: the header is at most
 * {@link #MAX_HEADER} bytes and is parsed as the Python literal NumPy writes (every malformation, e.g. a
 * shape {@code (-1,)} or {@code (abc,)}, a negative 4-byte header length, a product of dimensions past
 * {@link #MAX_ELEMENTS}, is an {@link IOException} with a short reason, {@code NpyFuzzTest}); the values
 * are read exactly as many as the shape holds into an array that grows with the bytes that arrive, so a
 * header claiming gigabytes over a few bytes costs a few bytes; bytes after the values are refused. A
 * caller that knows the shape to expect ({@link ModelFile}) reads the {@link Header} first and compares
 * it before any value is read.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Longest header accepted: NumPy writes 118 bytes or so, and refuses more than 10,000 itself. */
    public static final int MAX_HEADER = 1 << 16;
    /** Most values an array may hold (the largest Java array). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Most dimensions a shape may have (NumPy's own limit). */
    static final int MAX_DIMENSIONS = 64;
    /** Values the array starts with before it grows with the data that arrives (64 KB). */
    private static final int FIRST_CAPACITY = 1 << 14;

    private Npy() {
    }

    /** A decoded array. */
    public record Array(long[] shape, float[] data) {
    }

    /** A parsed header: the array's shape and number of values (a float32 C-ordered array). */
    public record Header(long[] shape, long elements) {
        /** The shape as NumPy prints it, e.g. "(3, 3, 1, 64)". */
        public String shapeText() {
            return Npy.shapeText(shape);
        }
    }

    public static byte[] write(long[] shape, float[] data) {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText(shape) + ", }";
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

    /** A shape as NumPy writes it: "()", "(3,)", "(2, 3)". */
    static String shapeText(long[] shape) {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) sh.append(',');
            if (i < shape.length - 1) sh.append(' ');
        }
        return sh.append(')').toString();
    }

    /** Decodes; throws {@link IOException} with a short reason when the bytes are not a float32 .npy. */
    public static Array read(byte[] bytes) throws IOException {
        return read(new ByteArrayInputStream(bytes));
    }

    /** Decodes a whole stream holding one array (e.g. a zip entry); reads nothing past the array's last value but one byte. */
    public static Array read(InputStream in) throws IOException {
        Header h = header(in);
        return new Array(h.shape(), data(in, h));
    }

    /**
     * Reads and checks the header, leaving {@code in} at the first value.
     *
     * @throws IOException with a short reason (no text of the header is repeated) if it is not the
     *                     header of a little-endian float32 C-ordered array of at most {@link #MAX_ELEMENTS} values
     */
    public static Header header(InputStream in) throws IOException {
        byte[] pre = in.readNBytes(10);
        if (pre.length < 10) throw new IOException("too short for a .npy array");
        for (int i = 0; i < MAGIC.length; i++)
            if (pre[i] != MAGIC[i]) throw new IOException("not a .npy array");
        int major = pre[6], minor = pre[7];
        if (major < 1 || major > 3 || minor != 0)
            throw new IOException("unsupported .npy format version " + (pre[6] & 0xff) + "." + (pre[7] & 0xff));
        long length;
        if (major == 1) {
            length = (pre[8] & 0xff) | (pre[9] & 0xff) << 8;
        } else {
            byte[] more = in.readNBytes(2);
            if (more.length < 2) throw new IOException("truncated .npy header");
            length = (pre[8] & 0xffL) | (pre[9] & 0xffL) << 8 | (more[0] & 0xffL) << 16 | (more[1] & 0xffL) << 24;
        }
        if (length > MAX_HEADER)
            throw new IOException(".npy header of " + length + " bytes, more than the " + (MAX_HEADER >> 10) + " KB a header may have");
        byte[] text = in.readNBytes((int) length);
        if (text.length < length) throw new IOException("truncated .npy header (" + text.length + " of " + length + " bytes)");
        HeaderParser p = new HeaderParser(new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        p.parse();
        if (p.descr == null) throw new IOException("no data type in .npy header");
        if (!p.descr.equals("<f4")) throw new IOException("only little-endian float32 arrays are supported");
        if (p.fortran == null) throw new IOException("no fortran_order in .npy header");
        if (p.fortran) throw new IOException("Fortran-ordered arrays are not supported");
        if (p.shape == null) throw new IOException("no shape in .npy header");
        long n = 1;
        for (long d : p.shape) {
            if (d != 0 && n > MAX_ELEMENTS / d) n = Long.MAX_VALUE; // past the limit; a later 0 still empties it
            else n *= d;
        }
        if (n > MAX_ELEMENTS) throw new IOException("the shape " + shapeText(p.shape) + " in the .npy header holds more values than an array may");
        return new Header(p.shape, n);
    }

    /**
     * Reads the values of an array whose header was just read: exactly {@code h.elements()} of them, then
     * checks that nothing follows. The array grows with the bytes that arrive (from {@value #FIRST_CAPACITY}
     * values, doubling), so what is allocated is at most about twice what the stream really holds.
     *
     * @throws IOException "truncated .npy data (X bytes for N floats)" when fewer bytes arrive, or a
     *                     sentence when more follow
     */
    public static float[] data(InputStream in, Header h) throws IOException {
        long n = h.elements();
        float[] data = new float[(int) Math.min(n, FIRST_CAPACITY)];
        byte[] chunk = new byte[1 << 16];
        long got = 0;
        while (got < n) {
            int want = (int) Math.min(chunk.length, 4 * (n - got));
            int r = in.readNBytes(chunk, 0, want);
            if (r < want || r % 4 != 0)
                throw new IOException("truncated .npy data (" + (4 * got + r) + " bytes for " + n + " floats)");
            if (got + r / 4 > data.length) data = Arrays.copyOf(data, (int) Math.min(n, Math.max(2L * data.length, got + r / 4)));
            ByteBuffer.wrap(chunk, 0, r).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data, (int) got, r / 4);
            got += r / 4;
        }
        if (in.read() >= 0) throw new IOException("more data than its shape " + shapeText(h.shape()) + " holds");
        return data;
    }

    /**
     * The header's Python dictionary literal, as NumPy writes it: {@code {'descr': '<f4', 'fortran_order':
     * False, 'shape': (3, 4), }} (either quote, any spacing, trailing commas, Python 2's {@code 3L}).
     * Each key once; other keys are ignored.
     */
    private static final class HeaderParser {
        private final String s;
        private int i;
        String descr;
        Boolean fortran;
        long[] shape;

        HeaderParser(String s) {
            this.s = s;
        }

        void parse() throws IOException {
            expect('{');
            java.util.Set<String> keys = new java.util.HashSet<>();
            while (true) {
                if (peek() == '}') break;
                String key = string();
                if (!keys.add(key)) throw new IOException("a key appears twice in the .npy header");
                expect(':');
                switch (key) {
                    case "descr" -> descr = string();
                    case "fortran_order" -> fortran = bool();
                    case "shape" -> shape = tuple();
                    default -> skipValue();
                }
                if (peek() == ',') i++;
                else if (peek() != '}') throw bad();
            }
            i++;
            while (i < s.length())
                if (!Character.isWhitespace(s.charAt(i++)) && s.charAt(i - 1) != 0) throw bad();
        }

        private IOException bad() {
            return new IOException("unreadable .npy header (at character " + (i + 1) + ")");
        }

        private char peek() throws IOException {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n' || s.charAt(i) == '\r')) i++;
            if (i >= s.length()) throw new IOException("truncated .npy header");
            return s.charAt(i);
        }

        private void expect(char c) throws IOException {
            if (peek() != c) throw bad();
            i++;
        }

        private String string() throws IOException {
            char q = peek();
            if (q != '\'' && q != '"') throw bad();
            int end = s.indexOf(q, i + 1);
            if (end < 0) throw bad();
            String v = s.substring(i + 1, end);
            i = end + 1;
            return v;
        }

        private boolean bool() throws IOException {
            peek();
            if (s.startsWith("True", i)) {
                i += 4;
                return true;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return false;
            }
            throw new IOException("fortran_order is neither True nor False in the .npy header");
        }

        private long[] tuple() throws IOException {
            if (peek() != '(') throw new IOException("the shape in the .npy header is not a tuple");
            i++;
            long[] dims = new long[4];
            int n = 0;
            while (peek() != ')') {
                int start = i;
                while (i < s.length() && ",) \t\n\r".indexOf(s.charAt(i)) < 0) i++;
                String t = s.substring(start, i);
                if (t.endsWith("L")) t = t.substring(0, t.length() - 1);
                if (t.startsWith("-") && t.length() > 1 && t.chars().skip(1).allMatch(Character::isDigit))
                    throw new IOException("the shape in the .npy header has a negative dimension");
                if (t.isEmpty() || !t.chars().allMatch(c -> c >= '0' && c <= '9'))
                    throw new IOException("the shape in the .npy header is not a tuple of whole numbers");
                if (t.length() > 18) throw new IOException("the shape in the .npy header has a dimension of more than 18 digits");
                if (n == MAX_DIMENSIONS) throw new IOException("the shape in the .npy header has more than " + MAX_DIMENSIONS + " dimensions");
                if (n == dims.length) dims = Arrays.copyOf(dims, 2 * n);
                dims[n++] = Long.parseLong(t);
                if (peek() == ',') i++;
                else if (peek() != ')') throw bad();
            }
            i++;
            return Arrays.copyOf(dims, n);
        }

        /** Skips a value of a key this reader does not use: a string, a name, a number or a tuple of such. */
        private void skipValue() throws IOException {
            char c = peek();
            if (c == '\'' || c == '"') {
                string();
                return;
            }
            int depth = 0;
            while (i < s.length()) {
                c = s.charAt(i);
                if (c == '(') depth++;
                else if (c == ')') depth--;
                else if (depth == 0 && (c == ',' || c == '}')) return;
                if (depth < 0) throw bad();
                i++;
            }
            throw new IOException("truncated .npy header");
        }
    }
}
