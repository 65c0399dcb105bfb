package io.github.superresolve.nn;

import io.github.superresolve.TestData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Model parameters as NumPy reads and writes them: the fixtures in {@code npy/} were written by NumPy's
 * own {@code np.save} ({@code npy/make_npy_fixtures.py}); each holds i * 0.5 - 1 in C order.
 */
public class NpyTest {

    private static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(TestData.resource("npy/" + name));
    }

    private static float[] values(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i * 0.5f - 1;
        return v;
    }

    @Test
    void readsWhatNumPyWrites() throws IOException {
        String[] names = {"vector.npy", "matrix.npy", "conv.npy", "scalar.npy", "empty.npy", "version2.npy"};
        long[][] shapes = {{3}, {2, 3}, {3, 3, 2, 4}, {}, {0, 5}, {2, 2}};
        for (int k = 0; k < names.length; k++) {
            Npy.Array a = Npy.read(fixture(names[k]));
            assertArrayEquals(shapes[k], a.shape(), names[k]);
            int n = (int) Arrays.stream(shapes[k]).reduce(1, (x, y) -> x * y);
            assertArrayEquals(values(n), a.data(), names[k]);
        }
    }

    @Test
    void writesWhatNumPyWritesByteForByte() throws IOException {
        assertArrayEquals(fixture("vector.npy"), Npy.write(new long[]{3}, values(3)));
        assertArrayEquals(fixture("matrix.npy"), Npy.write(new long[]{2, 3}, values(6)));
        assertArrayEquals(fixture("conv.npy"), Npy.write(new long[]{3, 3, 2, 4}, values(72)));
        assertArrayEquals(fixture("scalar.npy"), Npy.write(new long[]{}, values(1)));
        assertArrayEquals(fixture("empty.npy"), Npy.write(new long[]{0, 5}, values(0)));
        // the data starts on a 64-byte boundary, as NumPy aligns it
        byte[] b = Npy.write(new long[]{7, 1}, values(7));
        assertEquals(0, (b.length - 7 * 4) % 64);
        Npy.Array back = Npy.read(b);
        assertArrayEquals(new long[]{7, 1}, back.shape());
        assertArrayEquals(values(7), back.data());
    }

    @Test
    void otherArraysAndDamagedBytesAreRefusedWithTheReason() throws IOException {
        assertTrue(refused(fixture("float64.npy")).contains("float32"));
        assertTrue(refused(fixture("bigendian.npy")).contains("little-endian float32"));
        assertTrue(refused(fixture("fortran.npy")).contains("Fortran"));
        assertTrue(refused(new byte[]{1, 2, 3}).contains("too short"));
        byte[] notNpy = fixture("vector.npy");
        notNpy[3] = 'X';
        assertTrue(refused(notNpy).contains("not a .npy"));
        byte[] good = fixture("conv.npy");
        assertTrue(refused(Arrays.copyOf(good, good.length - 4)).contains("truncated .npy data (284 bytes for 72 floats)"));
        assertTrue(refused(Arrays.copyOf(good, 40)).contains("truncated .npy header"));
        String noShape = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1).replace("'shape'", "'shapf'");
        assertTrue(refused(noShape.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).contains("no shape"));
    }

    private static String refused(byte[] bytes) {
        return assertThrows(IOException.class, () -> Npy.read(bytes)).getMessage();
    }

    @Test
    void aStreamIsReadUpToTheArraysEndAndNothingMayFollow() throws IOException {
        byte[] good = fixture("conv.npy");
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 100_000);
        ByteArrayInputStream in = new ByteArrayInputStream(longer);
        Npy.Header h = Npy.header(in);
        assertArrayEquals(new long[]{3, 3, 2, 4}, h.shape());
        assertEquals(72, h.elements());
        IOException e = assertThrows(IOException.class, () -> Npy.data(in, h));
        assertEquals("more data than its shape (3, 3, 2, 4) holds", e.getMessage());
        assertEquals(100_000 - 1, in.available(), "read up to the array's end and one byte more, not the rest");
        // a header read from a stream leaves it at the first value
        ByteArrayInputStream exact = new ByteArrayInputStream(good);
        Npy.Header h2 = Npy.header(exact);
        assertEquals(4 * 72, exact.available());
        assertArrayEquals(values(72), Npy.data(exact, h2));
    }
}
