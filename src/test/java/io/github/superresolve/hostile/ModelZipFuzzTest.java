package io.github.superresolve.hostile;

import io.github.superresolve.nn.Json;
import io.github.superresolve.nn.ModelFile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model zips from strangers, through the real command line ({@code upscale --model FILE}, {@code models}):
 * card bombs (a card inflating to 64 MB, also with the zip directory understating its size), parameter
 * bombs (64 MB of zeros behind a header, five unexpected ones, understated sizes), unexpected and missing
 * parameters, the same entry twice, names outside the archive or with control characters, zips cut
 * short, not zips at all, and cards whose values would size gigabytes. Each ends in one sentence naming
 * the file (or, for entries the model does not use, in a correct result), with bounded heap and nothing
 * written outside the output ({@link HostileRun}). Then a models folder holding bad files beside a good
 * copy of a shipped model: {@code models} and {@code upscale} work and name each bad file once.
 *
 * <p>The bombs here are 64 MB (about 64 KB each on disk) to keep the suite fast: past every limit (the
 * card's 1 MB, each parameter's own size). The same generators take bigger sizes ({@link #cases(Path, long)}).
 */
class ModelZipFuzzTest {

    @TempDir
    static Path dir;
    private static List<HostileCase> cases;
    private static final List<HostileRun.Measured> measured = new ArrayList<>();

    /** The cases with 64 MB bombs. */
    static List<HostileCase> cases(Path dir) throws IOException {
        return cases(dir, 64L << 20);
    }

    /** The cases, each bomb inflating to {@code bomb} bytes; the files are written into {@code dir}. */
    static List<HostileCase> cases(Path dir, long bomb) throws IOException {
        Map<String, byte[]> good = Zips.shippedGrey();
        String small = Zips.smallPng(dir).toString();
        Path out = dir.resolve("out");
        String card = new String(good.get(ModelFile.CARD), StandardCharsets.UTF_8);
        List<HostileCase> l = new ArrayList<>();
        // a refusal by `upscale small.png -o out --model FILE --scale 2`, naming the file
        java.util.function.BiFunction<String, String, HostileCase> refused = (file, regex) ->
                HostileCase.refused("model", file, "Model file " + Pattern.quote(dir.resolve(file).toString()) + " " + regex,
                        "upscale", small, "-o", out.toString(), "--model", dir.resolve(file).toString(), "--scale", "2").writing(out);

        // card bombs
        byte[] cardHead = card.substring(0, card.lastIndexOf('}')).getBytes(StandardCharsets.UTF_8);
        Zips.zip().zeros(ModelFile.CARD, cardHead, bomb).addAll(without(good, ModelFile.CARD)).write(dir.resolve("card-bomb.zip"));
        l.add(refused.apply("card-bomb.zip", "has an invalid model card \\(model-card.json holds more than 1 MB\\)"));
        Zips.zip().zeros(ModelFile.CARD, cardHead, bomb).understate(ModelFile.CARD, 2000).addAll(without(good, ModelFile.CARD))
                .write(dir.resolve("card-bomb-understated.zip"));
        l.add(refused.apply("card-bomb-understated.zip", "has an invalid model card \\(model-card.json holds more than 1 MB\\)"));
        Zips.zip().addAll(without(good, ModelFile.CARD)).zeros(ModelFile.CARD, cardHead, bomb).write(dir.resolve("card-bomb-last.zip"));
        l.add(refused.apply("card-bomb-last.zip", "has an invalid model card \\(model-card.json holds more than 1 MB\\)"));

        // parameter bombs
        long values = bomb / 4;
        Zips.Builder five = Zips.zip().addAll(good);
        for (int k = 1; k <= 5; k++) five.zeros("params/bomb" + k + ".npy", Zips.npyHeader("(" + values + ",)"), bomb);
        five.write(dir.resolve("five-unexpected-bombs.zip"));
        l.add(refused.apply("five-unexpected-bombs.zip", "does not match its card: unexpected parameter bomb1\\."));
        Map<String, byte[]> longer = new LinkedHashMap<>(good);
        longer.remove("params/res1_conv1/W.npy");
        Zips.Builder after = Zips.zip().addAll(longer).zeros("params/res1_conv1/W.npy", good.get("params/res1_conv1/W.npy"), bomb);
        after.write(dir.resolve("parameter-then-bomb.zip"));
        l.add(refused.apply("parameter-then-bomb.zip", "is damaged: parameter res1_conv1/W is unreadable \\(more data than its shape \\(3, 3, 64, 64\\) holds\\)\\. Copy the model again\\."));
        Zips.zip().addAll(longer).zeros("params/res1_conv1/W.npy", good.get("params/res1_conv1/W.npy"), bomb)
                .understate("params/res1_conv1/W.npy", 147584).write(dir.resolve("parameter-bomb-understated.zip"));
        l.add(refused.apply("parameter-bomb-understated.zip", "is damaged: parameter res1_conv1/W is unreadable \\(more data than its shape"));
        Zips.zip().addAll(longer).zeros("params/res1_conv1/W.npy", Zips.npyHeader("(" + values + ",)"), bomb).write(dir.resolve("parameter-huge-shape.zip"));
        l.add(refused.apply("parameter-huge-shape.zip", "does not match its card: parameter res1_conv1/W has shape \\[" + values + "\\], expected \\[3, 3, 64, 64\\]\\."));

        // names: unexpected, missing, twice, outside the archive, control characters
        Zips.zip().addAll(good).add("params/extra/W.npy", good.get("params/conv_in/b.npy")).write(dir.resolve("unexpected.zip"));
        l.add(refused.apply("unexpected.zip", "does not match its card: unexpected parameter extra/W\\."));
        Zips.zip().addAll(without(good, "params/mid_conv/W.npy")).write(dir.resolve("missing.zip"));
        l.add(refused.apply("missing.zip", "is damaged or incomplete: parameter mid_conv/W is missing\\. Copy the model again\\."));
        Zips.zip().addAll(good).add(ModelFile.CARD, good.get(ModelFile.CARD)).write(dir.resolve("card-twice.zip"));
        l.add(refused.apply("card-twice.zip", "is damaged: it holds the entry model-card\\.json twice\\. Copy the model again\\."));
        Zips.zip().addAll(good).add("params/conv_in/b.npy", good.get("params/conv_in/b.npy")).write(dir.resolve("parameter-twice.zip"));
        l.add(refused.apply("parameter-twice.zip", "is damaged: it holds the entry params/conv_in/b\\.npy twice"));
        Zips.zip().addAll(good).add("params/../../../../tmp/evil.npy", good.get("params/conv_in/b.npy")).write(dir.resolve("traversal-parameter.zip"));
        l.add(refused.apply("traversal-parameter.zip", "does not match its card: unexpected parameter \\.\\./\\.\\./\\.\\./\\.\\./tmp/evil\\."));
        Zips.zip().addAll(good).add("params/\u001b[2J\u001b[31mred\n.npy", good.get("params/conv_in/b.npy")).write(dir.resolve("control-entry.zip"));
        l.add(refused.apply("control-entry.zip", "does not match its card: unexpected parameter \\\\u001b\\[2J\\\\u001b\\[31mred\\\\n\\."));
        // entries the model does not use are never extracted nor read: the model works
        Zips.zip().addAll(good).add("../outside.txt", "x".getBytes(StandardCharsets.UTF_8)).add("/tmp/absolute.txt", new byte[1])
                .zeros("notes/bomb.bin", new byte[0], bomb).write(dir.resolve("traversal-unused.zip"));
        l.add(new HostileCase("model", "traversal-unused.zip", List.of("upscale", small, "-o", out.toString(), "--model",
                dir.resolve("traversal-unused.zip").toString(), "--scale", "2"), 0, null, out));

        // damaged, cut short, not a zip
        byte[] whole = Files.readAllBytes(Zips.zip().addAll(good).write(dir.resolve("whole.zip")));
        for (double f : new double[]{0.001, 0.25, 0.5, 0.9}) {
            String name = String.format(Locale.ROOT, "cut-at-%.1f%%.zip", 100 * f);
            Files.write(dir.resolve(name), Arrays.copyOf(whole, (int) (whole.length * f)));
            l.add(refused.apply(name, "is damaged or truncated \\(its zip directory is unreadable\\): copy the model again\\."));
        }
        Files.write(dir.resolve("cut-1.zip"), Arrays.copyOf(whole, whole.length - 1));
        l.add(refused.apply("cut-1.zip", "is damaged or truncated"));
        byte[] flipped = whole.clone();
        int at = indexOf(flipped, "params/res2_conv1/W.npy".getBytes(StandardCharsets.UTF_8)) + 200; // inside its deflated data
        for (int i = at; i < at + 64; i++) flipped[i] ^= 0x5a;
        Files.write(dir.resolve("flipped.zip"), flipped);
        // what flipped deflate data inflates to depends on the model's bytes: a broken stream, too many bytes, or NaNs
        l.add(refused.apply("flipped.zip", "is damaged: parameter res2_conv1/W (is unreadable \\((compressed data damaged or cut short"
                + "|more data than its shape \\([0-9, ]+\\) holds)\\)|contains NaN)"));
        Files.writeString(dir.resolve("text.zip"), "hello, not a zip\n");
        l.add(refused.apply("text.zip", "is not a Super-Resolve model \\(not a zip archive, or empty\\): choose a \\.zip model file\\."));
        Files.write(dir.resolve("empty.zip"), new byte[0]);
        l.add(refused.apply("empty.zip", "is not a Super-Resolve model \\(not a zip archive, or empty\\)"));
        Zips.zip().addAll(without(good, ModelFile.CARD)).write(dir.resolve("no-card.zip"));
        l.add(refused.apply("no-card.zip", "is not a Super-Resolve model: it has no model-card\\.json\\."));
        Path control = dir.resolve("bad\u001b[31m\nname.zip");
        Files.write(control, Arrays.copyOf(whole, whole.length / 2));
        l.add(HostileCase.refused("model", "control characters in the file name", "Model file .*bad\\\\u001b\\[31m\\\\nname\\.zip is damaged",
                "upscale", small, "-o", out.toString(), "--model", control.toString(), "--scale", "2").writing(out));

        // card values that would size gigabytes
        Object[][] cardValues = {{"width", 1e9}, {"blocks", 1e9}, {"width", 1e20}, {"blocks", -1}, {"stages", 1e9}, {"stage_scale", 1 << 30},
                {"upsampling", "x".repeat(100_000)}};
        for (Object[] v : cardValues) {
            String name = "card-" + v[0] + "-" + (v[1] instanceof String ? "long" : v[1]) + ".zip";
            Zips.zip().add(ModelFile.CARD, withArchitecture(card, (String) v[0], v[1])).addAll(without(good, ModelFile.CARD)).write(dir.resolve(name));
            l.add(refused.apply(name, "has an invalid model card \\(.{1,300}\\)\\.$")); // a stranger's text is quoted at most 240 characters
        }
        for (Object[] v : new Object[][]{{"scale", 1e9}, {"channels", 1e9}, {"format_version", 1e300}, {"scale", 3}}) {
            String name = "card-" + v[0] + "-" + v[1] + ".zip";
            Zips.zip().add(ModelFile.CARD, withTop(card, (String) v[0], v[1])).addAll(without(good, ModelFile.CARD)).write(dir.resolve(name));
            l.add(refused.apply(name, "has an invalid model card \\("));
        }
        Map<String, Object> huge = new LinkedHashMap<>();
        huge.put("blocks", 256);
        huge.put("width", 1024);
        Zips.zip().add(ModelFile.CARD, withArchitecture(card, huge)).addAll(without(good, ModelFile.CARD)).write(dir.resolve("card-256x1024.zip"));
        l.add(refused.apply("card-256x1024.zip", "has an invalid model card \\(model-card\\.json describes a network of 4\\.\\d billion parameters, more than the 64 million a model may have\\)\\."));
        return l;
    }

    static Map<String, byte[]> without(Map<String, byte[]> m, String name) {
        Map<String, byte[]> c = new LinkedHashMap<>(m);
        c.remove(name);
        return c;
    }

    static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int j = 0; j < what.length; j++) if (b[i + j] != what[j]) continue outer;
            return i;
        }
        throw new IllegalStateException("not found");
    }

    @SuppressWarnings("unchecked")
    private static byte[] withArchitecture(String card, Map<String, Object> changes) {
        Map<String, Object> m = (Map<String, Object>) Json.parse(card);
        Map<String, Object> a = new LinkedHashMap<>((Map<String, Object>) m.get("architecture"));
        a.putAll(changes);
        m.put("architecture", a);
        return Json.write(m).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withArchitecture(String card, String key, Object value) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(key, value);
        if (key.equals("stage_scale")) c.put("stages", 2);
        return withArchitecture(card, c);
    }

    @SuppressWarnings("unchecked")
    private static byte[] withTop(String card, String key, Object value) {
        Map<String, Object> m = (Map<String, Object>) Json.parse(card);
        m.put(key, value);
        return Json.write(m).getBytes(StandardCharsets.UTF_8);
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
    void endsInASentenceOrACorrectResult(HostileCase c) throws IOException {
        HostileRun.Measured m = HostileRun.check(c, dir);
        synchronized (measured) {
            measured.add(m);
        }
        System.out.printf(Locale.ROOT, "%s, %s, %.2f s, %d MB%n", c.family(), c.name(), m.seconds(), m.allocatedBytes() >> 20);
    }

    /**
     * A models folder holding a card bomb, a zip cut short, a text file, a zip holding its card twice and
     * a good copy of srresnet-x2-gray: {@code models} lists the good one and names each bad file once on
     * standard error; {@code upscale --model srresnet-x2-gray} works, naming them once too.
     */
    @Test
    void aModelsFolderWithBadFilesKeepsTheGoodModels() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("models-folder"));
        Map<String, byte[]> good = Zips.shippedGrey();
        String card = new String(good.get(ModelFile.CARD), StandardCharsets.UTF_8);
        byte[] cardHead = card.substring(0, card.lastIndexOf('}')).getBytes(StandardCharsets.UTF_8);
        Zips.zip().zeros(ModelFile.CARD, cardHead, 64L << 20).addAll(without(good, ModelFile.CARD)).write(folder.resolve("a-card-bomb.zip"));
        byte[] whole = Files.readAllBytes(Zips.zip().addAll(good).write(folder.resolve("srresnet-x2-gray.zip")));
        Files.write(folder.resolve("b-cut.zip"), Arrays.copyOf(whole, whole.length / 2));
        Files.writeString(folder.resolve("c-notes.zip"), "not a zip");
        Zips.zip().addAll(good).add(ModelFile.CARD, good.get(ModelFile.CARD)).write(folder.resolve("d-card-twice.zip"));
        Files.write(folder.resolve("e-\u001b[31mred.zip"), new byte[0]);
        String small = Zips.smallPng(dir).toString();
        Path out = dir.resolve("folder-out");
        String before = System.getProperty("superresolve.models");
        System.setProperty("superresolve.models", folder.toString());
        try {
            HostileRun.Measured listed = HostileRun.check(new HostileCase("models-folder", "models with five bad files",
                    List.of("models"), 0, Pattern.compile("srresnet-x2-gray: SRResNet x2"), null), dir);
            assertTrue(listed.out().contains("from " + folder.resolve("srresnet-x2-gray.zip")), listed.out());
            warnsOnceEach(listed.err(), folder);
            HostileRun.Measured up = HostileRun.check(new HostileCase("models-folder", "upscale beside five bad files",
                    List.of("upscale", small, "-o", out.toString(), "--model", "srresnet-x2-gray"), 0, null, out), dir);
            assertTrue(Files.isRegularFile(out.resolve("small.png")), "the image was upscaled");
            warnsOnceEach(up.err(), folder);
            for (HostileRun.Measured m : List.of(listed, up))
                System.out.printf(Locale.ROOT, "%s, %s, %.2f s, %d MB%n", m.c().family(), m.c().name(), m.seconds(), m.allocatedBytes() >> 20);
        } finally {
            if (before == null) System.clearProperty("superresolve.models");
            else System.setProperty("superresolve.models", before);
        }
    }

    private static void warnsOnceEach(String err, Path folder) {
        List<String> lines = err.lines().filter(s -> !s.isBlank()).toList();
        String[][] expected = {
                {"a-card-bomb.zip", "its model-card.json holds more than 1 MB"},
                {"b-cut.zip", "it is damaged or truncated (its zip directory is unreadable)"},
                {"c-notes.zip", "it is not a zip archive, or it is empty"},
                {"d-card-twice.zip", "it holds the entry model-card.json twice"},
                {"e-\\u001b[31mred.zip", "it is not a zip archive, or it is empty"}};
        assertEquals(expected.length, lines.size(), err);
        for (int i = 0; i < expected.length; i++)
            assertEquals("super-resolve: warning: Model file " + folder.resolve("x").getParent() + "/" + expected[i][0]
                    + " is left out of the model list: " + expected[i][1] + " (remove or replace it).", lines.get(i));
        assertFalse(err.chars().anyMatch(ch -> ch < 0x20 && ch != '\n'), "control characters reach the terminal");
    }

    @AfterAll
    static void worst() {
        measured.stream().max(java.util.Comparator.comparingDouble(HostileRun.Measured::seconds)).ifPresent(m ->
                System.out.printf(Locale.ROOT, "worst time: %s, %.2f s%n", m.c(), m.seconds()));
        measured.stream().max(java.util.Comparator.comparingLong(HostileRun.Measured::allocatedBytes)).ifPresent(m ->
                System.out.printf(Locale.ROOT, "worst heap: %s, %d MB%n", m.c(), m.allocatedBytes() >> 20));
    }
}
