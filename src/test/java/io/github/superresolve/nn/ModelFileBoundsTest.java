package io.github.superresolve.nn;

import io.github.superresolve.TestData;
import io.github.superresolve.hostile.Zips;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What reading a model costs is bounded by the card, not by what the zip inflates to: the card's
 * parameter count without building the network; a model read from a stream (as bundled models are) with
 * the same bounds as from a file; checkpoints' optimiser tensors and trainer state; the catalog's
 * listing of a folder with bad files. Heap is measured on the thread
 * ({@code ThreadMXBean.getThreadAllocatedBytes}): each refusal of a 64 MB bomb allocates a few MB.
 */
class ModelFileBoundsTest {

    @TempDir
    Path dir;

    private static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long BOMB = 64L << 20;

    /** Runs {@code r}, asserting it allocates less than {@code limit} bytes of heap; returns its result. */
    private static <T> T within(long limit, Supplier<T> r) {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            long a0 = MX.getCurrentThreadAllocatedBytes();
            T t = r.get();
            long used = MX.getCurrentThreadAllocatedBytes() - a0;
            assertTrue(used < limit, "allocated " + (used >> 20) + " MB");
            return t;
        });
    }

    private static String refusal(long limit, Runnable r) {
        return within(limit, () -> assertThrows(ModelException.class, r::run).getMessage());
    }

    @Test
    void theCardsParameterCountIsTheSumOfItsShapes() {
        for (int channels : new int[]{1, 3})
            for (int scale : new int[]{2, 4, 16})
                for (int blocks : new int[]{0, 1, 3})
                    for (int width : new int[]{1, 8, 64})
                        for (boolean bn : new boolean[]{false, true})
                            for (GeneratorConfig.Upsampling up : GeneratorConfig.Upsampling.values())
                                for (int stages : new int[]{1, 3}) {
                                    GeneratorConfig c = new GeneratorConfig(channels, scale, blocks, width, bn, 0.5, !bn, up);
                                    ModelCard card = new ModelCard("m", null, null, c, null, null, null, stages);
                                    long sum = 0;
                                    for (long[] s : ModelFile.expectedShapes(card).values()) {
                                        long n = 1;
                                        for (long d : s) n *= d;
                                        sum += n;
                                    }
                                    assertEquals(sum, card.parameterCount(), c + " x" + stages);
                                }
    }

    @Test
    void cardValuesThatWouldSizeGigabytesAreOneSentenceBeforeAnythingIsAllocated() throws IOException {
        Map<String, byte[]> good = Zips.shippedGrey();
        String card = new String(good.get(ModelFile.CARD), StandardCharsets.UTF_8);
        String[][] changes = {{"\"width\": 64", "\"width\": 1000000000"}, {"\"blocks\": 16", "\"blocks\": 1e9"},
                {"\"width\": 64", "\"width\": 1e300"}, {"\"blocks\": 16", "\"blocks\": 256, \"stages\": 4, \"stage_scale\": 16"},
                {"\"width\": 64", "\"width\": 1024"}};
        for (String[] c : changes) {
            assertTrue(card.contains(c[0]), c[0]);
            Map<String, byte[]> m = new LinkedHashMap<>(good);
            m.put(ModelFile.CARD, card.replace(c[0], c[1]).getBytes(StandardCharsets.UTF_8));
            Path f = Zips.zip().addAll(m).write(dir.resolve("card.zip"));
            String s = refusal(16L << 20, () -> ModelFile.read(f));
            assertTrue(s.startsWith("Model file " + f + " has an invalid model card ("), c[1] + ": " + s);
            assertFalse(s.contains("\n"), s);
        }
    }

    /** A model read from a stream, as the jar's are: the shipped entries, changed. */
    private String streamRefusal(Zips.Builder zip) throws IOException {
        byte[] bytes = Files.readAllBytes(zip.write(dir.resolve("stream.zip")));
        return refusal(24L << 20, () -> ModelFile.read(new ByteArrayInputStream(bytes), "bundled\u001b.zip"));
    }

    @Test
    void aStreamIsReadWithTheSameBounds() throws IOException {
        Map<String, byte[]> good = Zips.shippedGrey();
        Map<String, byte[]> params = new LinkedHashMap<>(good);
        params.remove(ModelFile.CARD);
        byte[] card = good.get(ModelFile.CARD);
        byte[] bytes = Files.readAllBytes(Zips.zip().addAll(good).write(dir.resolve("good.zip")));
        Model m = ModelFile.read(new ByteArrayInputStream(bytes), "good.zip");
        assertEquals(ModelFile.read(dir.resolve("good.zip")).parameterCount(), m.parameterCount());

        byte[] head = new String(card, StandardCharsets.UTF_8).substring(0, 100).getBytes(StandardCharsets.UTF_8);
        assertEquals("Model file bundled\\u001b.zip has an invalid model card (model-card.json holds more than 1 MB): copy the model again.",
                streamRefusal(Zips.zip().zeros(ModelFile.CARD, head, BOMB).addAll(params)));
        // card first: each parameter bounded by its expected size, unexpected ones refused before reading
        Zips.Builder unexpected = Zips.zip().addAll(good);
        for (int k = 1; k <= 5; k++) unexpected.zeros("params/bomb" + k + ".npy", Zips.npyHeader("(" + BOMB / 4 + ",)"), BOMB);
        assertEquals("Model file bundled\\u001b.zip does not match its card: unexpected parameter bomb1.", streamRefusal(unexpected));
        Map<String, byte[]> without = new LinkedHashMap<>(good);
        without.remove("params/mid_conv/W.npy");
        assertTrue(streamRefusal(Zips.zip().addAll(without).zeros("params/mid_conv/W.npy", good.get("params/mid_conv/W.npy"), BOMB))
                .contains("parameter mid_conv/W is unreadable (more data than its shape (3, 3, 64, 64) holds)"));
        // card last: what comes before it counts against the most parameters a model may have, from each header
        Zips.Builder before = Zips.zip().zeros("params/bomb.npy", Zips.npyHeader("(" + (ModelCard.MAX_PARAMETERS + 1) + ",)"), BOMB).add(ModelFile.CARD, card);
        assertEquals("Model file bundled\\u001b.zip is damaged: its parameters hold more than 64 million values, more than a model may have. Copy the model again.",
                streamRefusal(before));
        Zips.Builder last = Zips.zip().addAll(params).zeros("params/bomb.npy", Zips.npyHeader("(" + BOMB / 4 + ",)"), BOMB).add(ModelFile.CARD, card);
        assertEquals("Model file bundled\\u001b.zip does not match its card: unexpected parameter bomb.", within(400L << 20,
                () -> assertThrows(ModelException.class, () -> ModelFile.read(new ByteArrayInputStream(readAll(last)), "bundled\u001b.zip")).getMessage()));
        assertEquals("Model file bundled\\u001b.zip is damaged: it holds the entry params/conv_in/W.npy twice. Copy the model again.",
                streamRefusal(Zips.zip().addAll(good).add("params/conv_in/W.npy", good.get("params/conv_in/W.npy"))));
        assertTrue(streamRefusal(Zips.zip().addAll(params)).endsWith("is not a Super-Resolve model: it has no model-card.json."));
    }

    private byte[] readAll(Zips.Builder b) {
        try {
            return Files.readAllBytes(b.write(dir.resolve("last.zip")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void entriesAModelDoesNotUseCountTowardsAStreamsTotal() throws IOException {
        Map<String, byte[]> good = Zips.shippedGrey();
        Zips.Builder z = Zips.zip().addAll(good);
        for (int k = 0; k < 17; k++) z.zeros("notes/" + k + ".bin", new byte[0], BOMB);
        byte[] bytes = Files.readAllBytes(z.write(dir.resolve("many.zip")));
        assertEquals("Model file many.zip is damaged: it inflates to more than 1.0 GB. Copy the model again.",
                refusal(24L << 20, () -> ModelFile.read(new ByteArrayInputStream(bytes), "many.zip")));
        Model m = ModelFile.read(dir.resolve("many.zip")); // from a file they are never inflated
        assertEquals("srresnet-x2-gray", m.card().name());
    }

    private Path checkpoint(Map<String, INDArray> optimizer, String state) throws IOException {
        GeneratorConfig c = TestData.tiny(1, 2);
        ModelCard card = new ModelCard("cp", "SRResNet", "", c, "CC0-1.0", null, null);
        Path f = dir.resolve("run.checkpoint.zip");
        ModelFile.write(card, TestData.tinyParams(c), optimizer, state, f, true);
        return f;
    }

    @Test
    void checkpointsBoundTheirOptimiserTensorsAndState() throws IOException {
        Map<String, INDArray> opt = new LinkedHashMap<>();
        opt.put("adam/conv_in/W", Nd4j.zeros(1, 2 * 81 * 8));
        opt.put("disc/d1/W", Nd4j.zeros(3, 3, 1, 64));
        opt.put("disc-adam/d1/W", Nd4j.zeros(1, 2 * 9 * 64));
        ModelFile.Checkpoint cp = ModelFile.readCheckpoint(checkpoint(opt, "{\"step\": 3}"));
        assertEquals(opt.keySet(), cp.optimizer().keySet());
        assertEquals("{\"step\": 3}", cp.trainerState());

        Map<String, INDArray> wrong = new LinkedHashMap<>(opt);
        wrong.put("adam/conv_in/W", Nd4j.zeros(1, 7));
        Path f = checkpoint(wrong, "{}");
        assertEquals("Checkpoint " + f + " is damaged (optimiser tensor adam/conv_in/W has shape (1, 7), expected (1, 1296)):"
                + " start again without resuming, or from its model with --from.", refusal(16L << 20, () -> ModelFile.readCheckpoint(f)));
        Map<String, INDArray> unknown = Map.of("adam/nothing/W", Nd4j.zeros(1, 2));
        Path g = checkpoint(unknown, "{}");
        assertTrue(refusal(16L << 20, () -> ModelFile.readCheckpoint(g)).contains("(unexpected optimiser tensor adam/nothing/W)"));
        Map<String, INDArray> discAdam = new LinkedHashMap<>(opt);
        discAdam.put("disc-adam/d1/W", Nd4j.zeros(1, 5));
        Path h = checkpoint(discAdam, "{}");
        assertTrue(refusal(16L << 20, () -> ModelFile.readCheckpoint(h)).contains("optimiser tensor disc-adam/d1/W has shape (1, 5), expected (1, 1152)"));

        // bombs: a discriminator tensor claiming more than a model may have, a trainer state of 64 MB
        Map<String, byte[]> entries = entries(checkpoint(opt, "{}"));
        entries.remove("optimizer/disc/d1/W.npy");
        Path bomb = Zips.zip().addAll(entries).zeros("optimizer/disc/d1/W.npy", Zips.npyHeader("(" + BOMB / 4 * 20 + ",)"), BOMB).write(dir.resolve("bomb.zip"));
        assertTrue(refusal(16L << 20, () -> ModelFile.readCheckpoint(bomb)).contains("(its discriminator tensors hold more than 64 million values)"));
        entries = entries(checkpoint(opt, "{}"));
        entries.remove(ModelFile.TRAINER_STATE);
        Path state = Zips.zip().addAll(entries).zeros(ModelFile.TRAINER_STATE, "{\"step\": 1".getBytes(StandardCharsets.UTF_8), BOMB).write(dir.resolve("state.zip"));
        assertEquals("Checkpoint " + state + " is damaged (its trainer-state.json holds more than 16 MB): start again without resuming, or from its model with --from.",
                refusal(40L << 20, () -> ModelFile.readCheckpoint(state)));
    }

    private static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) m.put(e.getName(), z.readAllBytes());
        }
        return m;
    }

    @Test
    void aFolderWithBadFilesListsTheGoodOnesAndNamesTheOthers() throws IOException {
        Map<String, byte[]> good = Zips.shippedGrey();
        byte[] head = new String(good.get(ModelFile.CARD), StandardCharsets.UTF_8).substring(0, 100).getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> params = new LinkedHashMap<>(good);
        params.remove(ModelFile.CARD);
        Path bomb = Zips.zip().zeros(ModelFile.CARD, head, BOMB).addAll(params).write(dir.resolve("bomb.zip"));
        TestData.writeModel(dir, "tiny-x2", TestData.tiny(1, 2));
        Files.writeString(dir.resolve("notes\n.zip"), "not a zip");
        Files.createDirectories(dir.resolve("folder.zip"));
        ModelCatalog catalog = new ModelCatalog(List.of(dir));
        List<String> names = within(16L << 20, catalog::names);
        assertEquals("tiny-x2", names.get(0));
        assertTrue(names.contains("srresnet-x2-gray"), "the bundled models too");
        assertEquals(List.of(new ModelCatalog.Skipped(bomb.toString(), "its model-card.json holds more than 1 MB"),
                new ModelCatalog.Skipped(dir + "/notes\\n.zip", "it is not a zip archive, or it is empty")), catalog.skipped());
        assertEquals("Model file " + bomb + " is left out of the model list: its model-card.json holds more than 1 MB (remove or replace it).",
                catalog.skipped().get(0).warning());
        assertNull(within(16L << 20, () -> ModelCatalog.cardOf(bomb)));
        assertEquals(2, catalog.load("tiny-x2").card().scale());
    }
}
