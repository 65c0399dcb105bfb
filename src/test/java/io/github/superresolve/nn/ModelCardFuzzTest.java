package io.github.superresolve.nn;

import io.github.superresolve.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Model cards damaged every way a downloaded file can be (cut short, fields of the wrong type, huge or
 * negative numbers, deep nesting, wrong encoding, a card describing a network of gigabytes): each read
 * either succeeds or ends in one sentence (a {@link ModelException} naming the file), never another
 * exception, a stack trace or an attempt to allocate the network the card describes.
 */
public class ModelCardFuzzTest {

    @TempDir
    static Path dir;
    private static byte[] model;
    private static String card;

    @BeforeAll
    static void tinyModel() throws IOException {
        model = Files.readAllBytes(TestData.writeModel(dir, "tiny", TestData.tiny(3, 2)));
        card = new String(entry(model, ModelFile.CARD), StandardCharsets.UTF_8);
    }

    private static byte[] entry(byte[] zip, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; )
                if (e.getName().equals(name)) return in.readAllBytes();
        }
        throw new IllegalStateException(name);
    }

    /** The model with its card replaced. */
    private static byte[] withCard(byte[] cardBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(model)); ZipOutputStream z = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(e.getName().equals(ModelFile.CARD) ? cardBytes : in.readAllBytes());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** Reads; returns null when the card was read, else the sentence. Fails on anything but a ModelException. */
    private static String read(byte[] cardBytes, String what) throws IOException {
        byte[] zip = withCard(cardBytes);
        try {
            ModelFile.read(new ByteArrayInputStream(zip), "fuzz.zip");
            return null;
        } catch (ModelException e) {
            String m = e.getMessage();
            assertTrue(m.startsWith("Model file fuzz.zip") && !m.contains("\n") && m.length() < 400
                    && !m.contains("Exception") && !m.contains("com.fasterxml"), what + " -> " + m);
            return m;
        } catch (Throwable t) {
            throw new AssertionError(what + " -> " + t, t);
        }
    }

    private static String read(String cardText, String what) throws IOException {
        return read(cardText.getBytes(StandardCharsets.UTF_8), what);
    }

    @Test
    void theUndamagedCardReads() throws IOException {
        assertNull(read(card, "the card itself"));
    }

    @Test
    void cardsCutShortAreRefused() throws IOException {
        for (int n = 0; n < card.length() - 2; n += Math.max(1, card.length() / 60))
            assertNotNull(read(card.substring(0, n), "cut at " + n), "cut at " + n);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parsed() {
        return (Map<String, Object>) Json.parse(card);
    }

    @Test
    void everyFieldWithAValueOfEveryWrongKindGivesASentence() throws IOException {
        List<Object> values = new ArrayList<>(List.of("x", "", true, false, -1, 0, 3.5, 1e308, Long.MAX_VALUE, Integer.MIN_VALUE,
                List.of(), List.of(1, 2), Map.of(), Map.of("a", 1)));
        values.add(null);
        values.add(new java.math.BigInteger("99999999999999999999999999"));
        Map<String, Object> base = parsed();
        int refused = 0, tried = 0;
        for (String key : new ArrayList<>(base.keySet())) {
            for (Object v : values) {
                Map<String, Object> m = new LinkedHashMap<>(base);
                m.put(key, v);
                tried++;
                if (read(Json.write(m), key + "=" + v) != null) refused++;
            }
            Map<String, Object> m = new LinkedHashMap<>(base);
            m.remove(key);
            read(Json.write(m), "without " + key);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> arch = (Map<String, Object>) base.get("architecture");
        for (String key : new ArrayList<>(arch.keySet()))
            for (Object v : values) {
                Map<String, Object> a = new LinkedHashMap<>(arch);
                a.put(key, v);
                Map<String, Object> m = new LinkedHashMap<>(base);
                m.put("architecture", a);
                tried++;
                if (read(Json.write(m), "architecture." + key + "=" + v) != null) refused++;
            }
        assertTrue(refused > tried / 2, refused + " of " + tried + " refused");
    }

    @Test
    void aCardDescribingANetworkOfGigabytesIsCheckedWithoutBuildingIt() throws IOException {
        Map<String, Object> m = parsed();
        @SuppressWarnings("unchecked")
        Map<String, Object> a = new LinkedHashMap<>((Map<String, Object>) m.get("architecture"));
        a.put("blocks", 256);
        a.put("width", 1024); // 256 x 2 x 9 x 1024^2 weights: 19 GB if it were built
        m.put("architecture", a);
        String s = read(Json.write(m), "huge network");
        assertTrue(s.matches(".*describes a network of 4\\.\\d billion parameters, more than the 64 million a model may have.*"), s);
    }

    @Test
    void deepNestingWrongEncodingAndOtherJsonAreRefused() throws IOException {
        String deep = card.replaceFirst("\\{", "{\"deep\": " + "[".repeat(5000) + "]".repeat(5000) + ",");
        assertTrue(read(deep, "deep").contains("nesting depth"), "deep");
        byte[] latin1 = card.replace("random weights", "r\u00e9seau").getBytes(StandardCharsets.ISO_8859_1);
        read(latin1, "latin-1");
        byte[] utf16 = card.getBytes(StandardCharsets.UTF_16);
        assertNotNull(read(utf16, "utf-16"));
        for (String other : new String[]{"", "null", "[]", "42", "\"text\"", "{}", "{\"format\": null}", card + card, card + "}"})
            assertNotNull(read(other, other.length() > 20 ? "card twice" : other), other);
        Random r = new Random(5);
        byte[] b = card.getBytes(StandardCharsets.UTF_8);
        for (int trial = 0; trial < 200; trial++) {
            byte[] c = b.clone();
            for (int k = 0; k < 3; k++) c[r.nextInt(c.length)] = (byte) r.nextInt(256);
            read(c, "random bytes changed, trial " + trial);
        }
    }
}
