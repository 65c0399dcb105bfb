package io.github.superresolve.hostile;

import io.github.superresolve.nn.Npy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code .npy} parameters from strangers. First {@link Npy} itself on thousands of damaged arrays: a
 * small valid array cut at every byte, every header byte changed, random headers built from NumPy's
 * grammar and from noise. Each read either gives back an array whose values fill its shape exactly, or
 * an {@link IOException} with a short reason (no Java text, no control characters), never another
 * exception, and never allocates much more than the bytes present. Then the header families through the
 * command line, as the parameter {@code conv_in/W} of the shipped srresnet-x2-gray: each is one sentence
 * naming the file, the parameter and the reason ({@link HostileRun}).
 */
class NpyFuzzTest {

    @TempDir
    static Path dir;
    private static List<HostileCase> cases;

    /** Raw Java text that must not appear in a reason. */
    private static final Pattern RAW = Pattern.compile("Exception|\\bnull\\b|For input string|offset|count|Index|out of bounds|java\\.");

    private static final String SHAPE = "(9, 9, 1, 64)";
    private static final int VALUES = 9 * 9 * 64;

    /** One header family: the bytes of the entry and the reason it must be given. */
    record Family(String name, byte[] bytes, String reason) {
    }

    static byte[] values(int n, float v) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putFloat(v);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    static byte[] header(String dict) {
        return Zips.npy(dict, 1);
    }

    /** The header families, as the parameter conv_in/W (9, 9, 1, 64) of srresnet-x2-gray. */
    static List<Family> families() {
        byte[] data = values(VALUES, 0.01f);
        String ok = "{'descr': '<f4', 'fortran_order': False, 'shape': ";
        List<Family> f = new ArrayList<>();
        f.add(new Family("shape (-1,)", concat(header(ok + "(-1,), }"), data), "the shape in the \\.npy header has a negative dimension"));
        f.add(new Family("shape (abc,)", concat(header(ok + "(abc,), }"), data), "the shape in the \\.npy header is not a tuple of whole numbers"));
        f.add(new Family("shape (3.5,)", concat(header(ok + "(3.5,), }"), data), "not a tuple of whole numbers"));
        f.add(new Family("shape ((9, 9), 1, 64)", concat(header(ok + "((9, 9), 1, 64), }"), data), "not a tuple of whole numbers"));
        f.add(new Family("a 20-digit dimension", concat(header(ok + "(99999999999999999999,), }"), data), "a dimension of more than 18 digits"));
        f.add(new Family("overflowing product", concat(header(ok + "(4294967296, 4294967296, 4294967296), }"), data),
                "the shape \\(4294967296, 4294967296, 4294967296\\) in the \\.npy header holds more values than an array may"));
        f.add(new Family("huge dimensions", concat(header(ok + "(2147483647, 1024), }"), data), "holds more values than an array may"));
        f.add(new Family("65 dimensions", concat(header(ok + "(" + "1, ".repeat(65) + "), }"), data), "more than 64 dimensions"));
        byte[] negative = concat(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(-100).array(),
                header(ok + SHAPE + ", }"), data);
        f.add(new Family("negative 4-byte header length", negative, "\\.npy header of 4294967196 bytes, more than the 64 KB a header may have"));
        byte[] longer = header(ok + SHAPE + ", }");
        longer[8] = (byte) 0xff;
        longer[9] = (byte) 0xff;
        f.add(new Family("header longer than the entry", longer, "truncated \\.npy header \\(118 of 65535 bytes\\)"));
        byte[] v9 = concat(header(ok + SHAPE + ", }"), data);
        v9[6] = 9;
        f.add(new Family("version 9.0", v9, "unsupported \\.npy format version 9\\.0"));
        f.add(new Family("big-endian", concat(header("{'descr': '>f4', 'fortran_order': False, 'shape': " + SHAPE + ", }"), data),
                "only little-endian float32 arrays are supported"));
        f.add(new Family("float64", concat(header("{'descr': '<f8', 'fortran_order': False, 'shape': " + SHAPE + ", }"), data, data),
                "only little-endian float32 arrays are supported"));
        f.add(new Family("Fortran order", concat(header("{'descr': '<f4', 'fortran_order': True, 'shape': " + SHAPE + ", }"), data),
                "Fortran-ordered arrays are not supported"));
        f.add(new Family("no shape", concat(header("{'descr': '<f4', 'fortran_order': False, }"), data), "no shape in \\.npy header"));
        f.add(new Family("shape twice", concat(header(ok + SHAPE + ", 'shape': (1,), }"), data), "a key appears twice in the \\.npy header"));
        f.add(new Family("not a dictionary", concat(header("hello"), data), "unreadable \\.npy header \\(at character 1\\)"));
        f.add(new Family("unterminated string", concat(header("{'descr: '<f4, }"), data), "unreadable \\.npy header|truncated \\.npy header"));
        f.add(new Family("values cut short", concat(header(ok + SHAPE + ", }"), Arrays.copyOf(data, data.length - 6)),
                "truncated \\.npy data \\(20730 bytes for 5184 floats\\)"));
        f.add(new Family("more values than the shape", concat(header(ok + SHAPE + ", }"), data, new byte[4]), "more data than its shape \\(9, 9, 1, 64\\) holds"));
        f.add(new Family("header cut short", Arrays.copyOf(header(ok + SHAPE + ", }"), 40), "truncated \\.npy header \\(30 of 118 bytes\\)"));
        f.add(new Family("empty entry", new byte[0], "too short for a \\.npy array"));
        f.add(new Family("not a .npy", concat("PK\u0003\u0004 not npy".getBytes(StandardCharsets.ISO_8859_1), data), "not a \\.npy array"));
        f.add(new Family("NaN values", concat(header(ok + SHAPE + ", }"), values(VALUES, Float.NaN)), null));
        f.add(new Family("wrong shape, same size", concat(header(ok + "(5184,), }"), data), null));
        return f;
    }

    static List<HostileCase> cases(Path dir) throws IOException {
        Map<String, byte[]> good = Zips.shippedGrey();
        String small = Zips.smallPng(dir).toString();
        Path out = dir.resolve("out");
        List<HostileCase> l = new ArrayList<>();
        int k = 0;
        for (Family f : families()) {
            Path file = dir.resolve("npy-" + (++k) + ".zip");
            Map<String, byte[]> m = new LinkedHashMap<>(good);
            m.put("params/conv_in/W.npy", f.bytes());
            Zips.zip().addAll(m).write(file);
            String named = "Model file " + Pattern.quote(file.toString());
            String regex = f.name().equals("NaN values") ? named + " is damaged: parameter conv_in/W contains NaN or infinite values\\."
                    : f.name().startsWith("wrong shape") ? named + " does not match its card: parameter conv_in/W has shape \\[5184\\], expected \\[9, 9, 1, 64\\]\\."
                    : named + " is damaged: parameter conv_in/W is unreadable \\(.*(" + f.reason() + ").*\\)\\. Copy the model again\\.";
            l.add(new HostileCase("npy", f.name(), List.of("upscale", small, "-o", out.toString(), "--model", file.toString(), "--scale", "2"),
                    1, Pattern.compile(regex), out));
        }
        return l;
    }

    @BeforeAll
    static void write() throws IOException {
        cases = cases(dir);
    }

    static List<HostileCase> cases() {
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachHeaderFamilyIsOneSentenceNamingFileAndParameter(HostileCase c) throws IOException {
        HostileRun.Measured m = HostileRun.check(c, dir);
        System.out.printf(Locale.ROOT, "%s, %s, %.2f s, %d MB%n", c.family(), c.name(), m.seconds(), m.allocatedBytes() >> 20);
    }

    private static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Reads; fails on anything but an array filling its shape or an IOException with a sane reason, or on allocating too much. */
    private static void read(byte[] bytes, String what) {
        long a0 = MX.getCurrentThreadAllocatedBytes();
        try {
            Npy.Array a = Npy.read(bytes);
            long n = 1;
            for (long d : a.shape()) n *= d;
            assertEquals(n, a.data().length, what);
        } catch (IOException e) {
            String m = e.getMessage();
            assertTrue(m != null && !m.isBlank() && m.length() < 160, what + ": " + m);
            assertFalse(RAW.matcher(m).find(), what + ": raw text: " + m);
            assertTrue(m.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f), what + ": control characters: " + m);
        } catch (Throwable t) {
            fail(what + ": " + t, t);
        }
        long allocated = MX.getCurrentThreadAllocatedBytes() - a0;
        assertTrue(allocated < 3L * bytes.length + (1 << 20), what + ": allocated " + allocated + " bytes for " + bytes.length);
    }

    @Test
    void aValidArrayCutAtEveryByteIsRefusedWithAReason() throws IOException {
        float[] v = new float[72];
        for (int i = 0; i < v.length; i++) v[i] = i * 0.5f - 1;
        byte[] good = Npy.write(new long[]{3, 3, 2, 4}, v);
        assertArrayEquals(v, Npy.read(good).data());
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            read(cut, "cut at " + n);
            final int at = n;
            assertTrue(assertThrowsIo(cut).startsWith(at < 10 ? "too short" : at < 128 ? "truncated .npy header" : "truncated .npy data"),
                    "cut at " + n + ": " + assertThrowsIo(cut));
        }
    }

    private static String assertThrowsIo(byte[] b) {
        try {
            Npy.read(b);
            return "read";
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    @Test
    void everyHeaderByteChangedGivesAnArrayOrAReason() {
        byte[] good = Npy.write(new long[]{3, 3, 2, 4}, new float[72]);
        byte[] values = {0, 1, 9, (byte) 0x7f, (byte) 0x80, (byte) 0xff, ' ', '\n', '\'', '"', '(', ')', ',', ':', '{', '}', '-', '0', '9', 'a', 'L', 'T'};
        int tried = 0, refused = 0;
        for (int i = 0; i < 128; i++)
            for (byte b : values) {
                byte[] c = good.clone();
                c[i] = b;
                read(c, "byte " + i + " = " + b);
                tried++;
                if (!assertThrowsIo(c).equals("read")) refused++;
            }
        assertTrue(refused > tried / 2, refused + " of " + tried + " refused");
    }

    @Test
    void randomHeadersGiveAnArrayOrAReason() {
        Random r = new Random(28);
        String[] tokens = {"{", "}", "(", ")", ",", ":", " ", "'descr'", "'<f4'", "'>f4'", "'fortran_order'", "False", "True", "'shape'",
                "3", "0", "-1", "abc", "4294967296", "99999999999999999999", "2L", "\"shape\"", "'", "\n", "\u0000", "\u00e9", "1e9", "3.5"};
        for (int trial = 0; trial < 3000; trial++) {
            String dict;
            if (trial % 3 == 0) {
                StringBuilder b = new StringBuilder();
                for (int k = r.nextInt(30); k > 0; k--) b.append(tokens[r.nextInt(tokens.length)]);
                dict = b.toString();
            } else {
                // NumPy's grammar with one part replaced
                String[] parts = {"{", "'descr'", ": ", "'<f4'", ", ", "'fortran_order'", ": ", "False", ", ", "'shape'", ": ", "(3, 4)", ", ", "}"};
                for (int k = 1 + r.nextInt(2); k > 0; k--) parts[r.nextInt(parts.length)] = tokens[r.nextInt(tokens.length)];
                dict = String.join("", parts);
            }
            int major = 1 + r.nextInt(3);
            byte[] h = Zips.npy(dict, major);
            byte[] bytes = concat(h, new byte[4 * r.nextInt(20)]);
            if (r.nextInt(4) == 0) { // a random length field
                int len = r.nextInt();
                bytes[8] = (byte) len;
                bytes[9] = (byte) (len >> 8);
                if (major > 1) {
                    bytes[10] = (byte) (len >> 16);
                    bytes[11] = (byte) (len >> 24);
                }
            }
            read(bytes, "trial " + trial + ": " + dict);
        }
        byte[] noise = new byte[200];
        for (int trial = 0; trial < 2000; trial++) {
            r.nextBytes(noise);
            byte[] b = concat(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) (1 + r.nextInt(3)), 0}, Arrays.copyOf(noise, r.nextInt(noise.length)));
            read(b, "noise " + trial);
        }
    }

    @Test
    void aHeaderClaimingGigabytesOverAFewBytesAllocatesAFewBytes() {
        for (String shape : new String[]{"(536870912,)", "(2147483639,)", "(46340, 46340)", "(0, 4294967296)"}) {
            byte[] b = concat(Zips.npyHeader(shape), new byte[4000]);
            read(b, shape);
        }
    }
}
