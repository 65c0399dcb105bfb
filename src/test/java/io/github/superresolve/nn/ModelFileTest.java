package io.github.superresolve.nn;

import io.github.superresolve.resolve.Resolve;
import io.github.superresolve.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsCardAndWeights() throws IOException {
        GeneratorConfig c = TestData.tiny(3, 4);
        Path f = TestData.writeModel(dir, "tiny-x4", c);
        Model m = ModelFile.read(f);
        assertEquals("tiny-x4", m.card().name());
        assertEquals(c, m.card().config());
        Map<String, INDArray> expected = TestData.tinyParams(c);
        assertEquals(expected.keySet(), m.params().keySet());
        for (String k : expected.keySet())
            assertArrayEquals(expected.get(k).data().asFloat(), m.params().get(k).data().asFloat(), 0f, k);
        assertTrue(Files.size(f) < 200_000);
    }

    @Test
    void truncatedFileIsReportedAsDamaged() throws IOException {
        Path f = TestData.writeModel(dir, "tiny", TestData.tiny(1, 2));
        byte[] b = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, java.util.Arrays.copyOf(b, b.length / 2));
        ModelException e = assertThrows(ModelException.class, () -> ModelFile.read(cut));
        assertTrue(e.getMessage().startsWith("Model file " + cut), e.getMessage());
        assertTrue(e.getMessage().contains("damaged") || e.getMessage().contains("incomplete"), e.getMessage());
    }

    @Test
    void corruptedBytesAreReported() throws IOException {
        Path f = TestData.writeModel(dir, "tiny", TestData.tiny(1, 2));
        byte[] b = Files.readAllBytes(f);
        for (int i = b.length / 3; i < b.length / 3 + 64; i++) b[i] ^= 0x5a;
        Path bad = dir.resolve("bad.zip");
        Files.write(bad, b);
        ModelException e = assertThrows(ModelException.class, () -> ModelFile.read(bad));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }

    @Test
    void notAZipIsReported() throws IOException {
        Path txt = dir.resolve("notes.zip");
        Files.writeString(txt, "hello");
        ModelException e = assertThrows(ModelException.class, () -> ModelFile.read(txt));
        assertEquals("Model file " + txt + " is not a Super-Resolve model (not a zip archive, or empty): choose a .zip model file.", e.getMessage());
        ModelException missing = assertThrows(ModelException.class, () -> ModelFile.read(dir.resolve("nope.zip")));
        assertTrue(missing.getMessage().contains("does not exist"));
    }

    @Test
    void scaleMismatchIsAClearError() throws IOException {
        TestData.writeModel(dir, "tiny-x4", TestData.tiny(3, 4));
        ModelCatalog catalog = new ModelCatalog(List.of(dir));
        ModelException e = assertThrows(ModelException.class, () -> Resolve.upscaler("tiny-x4", 2, 64, -1, 1, catalog));
        assertEquals("Model tiny-x4 upscales by 4, but scale 2 was asked: set scale=4, leave the scale out, or choose a model for x2.", e.getMessage());
    }

    @Test
    void catalogFindsModelsAndLoadsEachOnce() throws IOException {
        TestData.writeModel(dir, "a-x2", TestData.tiny(1, 2));
        TestData.writeModel(dir, "b-x4", TestData.tiny(3, 4));
        Files.writeString(dir.resolve("junk.zip"), "not a model");
        ModelCatalog catalog = new ModelCatalog(List.of(dir));
        // the folder's models first, then those bundled in the jar (models/)
        List<String> expected = new java.util.ArrayList<>(List.of("a-x2", "b-x4"));
        expected.addAll(new ModelCatalog(List.of()).names());
        assertEquals(expected, catalog.names());
        assertTrue(catalog.load("a-x2") == catalog.load("a-x2"));
        ModelException e = assertThrows(ModelException.class, () -> catalog.load("c-x8"));
        assertTrue(e.getMessage().startsWith("No model named 'c-x8': choose one of bicubic, lanczos, a-x2, b-x4"), e.getMessage());
    }

    @Test
    void refusesToOverwriteUnlessAsked() throws IOException {
        Path f = TestData.writeModel(dir, "m", TestData.tiny(1, 2));
        GeneratorConfig c = TestData.tiny(1, 2);
        ModelCard card = new ModelCard("m", "SRResNet", "", c, "CC0-1.0", null, null);
        IOException e = assertThrows(IOException.class, () -> ModelFile.write(card, SrResNet.initParams(c, 1), f, false));
        assertTrue(e.getMessage().contains("already exists"));
    }

    @Test
    void theCatalogKeepsRecentModelsWithinItsByteLimitAndFreesTheOthers() throws IOException {
        GeneratorConfig c = TestData.tiny(1, 2);
        for (String n : List.of("m1", "m2", "m3")) TestData.writeModel(dir, n, c);
        ModelCatalog catalog = new ModelCatalog(List.of(dir));
        Model m1 = catalog.load("m1");
        long one = ModelCatalog.weightBytes(m1);
        assertTrue(one > 0);
        catalog.setCacheBytes(2 * one);
        Generator g1 = m1.generator();
        g1.run(new float[16 * 16], 1, 16, 16);
        assertTrue(g1.heldBytes() > 0);
        catalog.load("m2");
        assertEquals(List.of("m1", "m2"), catalog.loadedNames());
        catalog.load("m1"); // used again: now the most recent
        Model m1again = catalog.load("m1");
        assertTrue(m1again == m1, "kept, not read again");
        g1.run(new float[16 * 16], 1, 16, 16);
        catalog.load("m3"); // over the limit: m2, the least recently used, goes
        assertEquals(List.of("m1", "m3"), catalog.loadedNames());
        catalog.setCacheBytes(one / 2); // even below one model, the most recent stays
        assertEquals(List.of("m3"), catalog.loadedNames());
        assertEquals(0, g1.heldBytes(), "an evicted model's buffers are freed");
        assertTrue(catalog.load("m1") != m1, "an evicted model is read again");
    }
}
