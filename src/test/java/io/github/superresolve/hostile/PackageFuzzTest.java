package io.github.superresolve.hostile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.superresolve.TestData;
import io.github.superresolve.exchange.BioImageIoExport;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.exchange.ForeignModels;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bioimage.io packages from strangers, through {@code super-resolve upscale --model PACKAGE}: folder
 * packages naming files outside themselves (absolute paths, {@code ..}, symbolic links), weights that do
 * not match their sha256, zips with bombs (entries inflating far past the limits under headers that
 * understate their size), traversal names and duplicate entries, and descriptions that are huge, deep,
 * alias bombs, of the wrong types, or out of bounds. Each ends in one sentence (or, for the valid
 * packages, in the upscaled image) within bounded time and heap, with nothing outside the output changed
 * ({@link HostileRun}). The valid package everything starts from is srresnet-x2-gray, exported once.
 */
public class PackageFuzzTest {

    @TempDir
    static Path dir;

    @TestFactory
    Stream<DynamicTest> everyHostilePackageEndsInASentenceOrAResult() throws IOException {
        List<HostileCase> cases = once();
        System.out.println("family, name, seconds, allocated MB");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            HostileRun.Measured m = HostileRun.check(c, dir);
            System.out.printf(Locale.ROOT, "%s, %s, %.2f, %d%n", c.family(), c.name(), m.seconds(), m.allocatedBytes() >> 20);
        }));
    }

    /**
     * What Fiji's dialog asks of every package before it is opened ({@link ForeignModels#isForeign},
     * {@link ForeignModels#scaleOf}: the scale the description says) reads within the same bounds: the
     * valid packages give their scale, the hostile ones none, each with little heap.
     */
    @Test
    void scaleOfAndIsForeignStayBounded() throws IOException {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (HostileCase c : once()) {
            String model = c.args().get(c.args().indexOf("--model") + 1);
            long[] r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                long a0 = mx.getCurrentThreadAllocatedBytes();
                boolean f = ForeignModels.isForeign(model);
                Integer s = ForeignModels.scaleOf(model);
                return new long[]{f ? 1 : 0, s == null ? -1 : s, mx.getCurrentThreadAllocatedBytes() - a0};
            });
            Integer scale = r[1] < 0 ? null : (int) r[1];
            long allocated = r[2];
            assertTrue(r[0] == 1, c + ": a package");
            if (c.exit() == 0) assertEquals(2, scale, c + ": the scale its description says");
            assertTrue(scale == null || scale == 2, c + ": scale " + scale);
            assertTrue(allocated < 64L << 20, c + ": " + (allocated >> 20) + " MB allocated to read the description");
        }
    }

    private static List<HostileCase> written;

    /** The cases, written into {@link #dir} once for both tests. */
    private static synchronized List<HostileCase> once() throws IOException {
        if (written == null) written = cases(dir);
        return written;
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Writes every hostile package into {@code dir} and returns the command lines that meet them. */
    public static List<HostileCase> cases(Path dir) throws IOException {
        Path base = basePackage(dir);
        Path image = dir.resolve("in/grey.png");
        if (!Files.exists(image)) Files.copy(TestData.resource("onnx/grey.png"), Files.createDirectories(image.getParent()).resolve("grey.png"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.copy(base.resolve("weights.onnx"), outside.resolve("w.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(outside.resolve("secret.txt"), "not for packages\n");
        Cases c = new Cases(dir, image);

        // ---------------------------------------------------------------- folder packages: a closed world
        c.runs("package", "valid folder package", folder(dir, "p-valid", base, d -> {
        }).resolve("rdf.yaml"));
        c.refused("package", "weights at /etc/passwd", "names its ONNX weights by the path /etc/passwd, which is not a relative path inside the package",
                folder(dir, "p-etc", base, d -> source(d, "/etc/passwd")).resolve("rdf.yaml"));
        c.refused("package", "weights at an absolute path to a valid network", "which is not a relative path inside the package",
                folder(dir, "p-abs", base, d -> source(d, outside.resolve("w.onnx").toString())).resolve("rdf.yaml"));
        c.refused("package", "weights at ../outside/w.onnx", "leads out of the package",
                folder(dir, "p-dotdot", base, d -> source(d, "../outside/w.onnx")).resolve("rdf.yaml"));
        c.refused("package", "weights at a/../../outside/w.onnx", "leads out of the package",
                folder(dir, "p-dotdot2", base, d -> source(d, "a/../../outside/w.onnx")).resolve("rdf.yaml"));
        c.refused("package", "weights at a drive letter", "not a relative path inside the package",
                folder(dir, "p-drive", base, d -> source(d, "C:\\models\\w.onnx")).resolve("rdf.yaml"));
        Path link = folder(dir, "p-link", base, d -> {
        });
        Files.deleteIfExists(link.resolve("weights.onnx"));
        Files.createSymbolicLink(link.resolve("weights.onnx"), outside.resolve("w.onnx"));
        c.refused("package", "weights.onnx a symbolic link out of the package", "is a symbolic link out of the package", link.resolve("rdf.yaml"));
        Path linkDir = folder(dir, "p-linkdir", base, d -> source(d, "sub/w.onnx"));
        Files.deleteIfExists(linkDir.resolve("sub"));
        Files.createSymbolicLink(linkDir.resolve("sub"), outside);
        c.refused("package", "weights in a linked folder out of the package", "is a symbolic link out of the package", linkDir.resolve("rdf.yaml"));
        Path swapped = folder(dir, "p-sha", base, d -> {
        });
        byte[] w = Files.readAllBytes(swapped.resolve("weights.onnx"));
        w[w.length / 2] ^= 1;
        Files.write(swapped.resolve("weights.onnx"), w);
        c.refused("package", "weights changed (sha256 mismatch)", "weights\\.onnx does not match the sha256 its rdf\\.yaml gives: the package was changed or damaged; download it again",
                swapped.resolve("rdf.yaml"));
        c.refused("package", "sha256 not hexadecimal", "weights\\.onnx\\.sha256 is not a sha256 of 64 hexadecimal digits \\(it is 'abc'\\)",
                folder(dir, "p-shatext", base, d -> at(d, "weights", "onnx").put("sha256", "abc")).resolve("rdf.yaml"));
        c.refused("package", "weights by URL", "names its ONNX weights by URL",
                folder(dir, "p-url", base, d -> source(d, "https://example.org/w.onnx")).resolve("rdf.yaml"));
        c.refused("package", "weights missing", "does not hold it",
                folder(dir, "p-missing", base, d -> source(d, "nothing.onnx")).resolve("rdf.yaml"));
        Path isDir = folder(dir, "p-wdir", base, d -> source(d, "wd"));
        Files.createDirectories(isDir.resolve("wd"));
        c.refused("package", "weights a folder", "wd is not a file: the package is damaged; download it again", isDir.resolve("rdf.yaml"));
        Path sparse = folder(dir, "p-sparse", base, d -> at(d, "weights", "onnx").remove("sha256"));
        try (RandomAccessFile f = new RandomAccessFile(sparse.resolve("weights.onnx").toFile(), "rw")) {
            f.setLength(3L << 30); // 3 GB, sparse: refused by its size before a byte is read
        }
        c.refused("package", "weights of 3 GB", "weights\\.onnx \\(its ONNX weights\\) is 3\\.0 GB, more than (the 2 GB ONNX allows|this Java heap \\(.*\\) can open: give Java more memory)", sparse.resolve("rdf.yaml"));
        c.refused("package", "control characters in the weights' name", "as its ONNX weights, but the package's folder does not hold it",
                folder(dir, "p-ctl", base, d -> source(d, "w\u001b[2J\u001b[31m.onnx")).resolve("rdf.yaml"));

        // ---------------------------------------------------------------- descriptions
        c.refused("yaml", "50 MB single-line value", "is larger than 1 MB, more than any model description holds",
                raw(dir, "y-huge-line", base, "type: model\nname: " + "x".repeat(50 << 20) + "\n"));
        c.refused("yaml", "900 KB single line", "has a line of more than 64 K characters \\(line 2\\)",
                raw(dir, "y-long-line", base, "type: model\nname: " + "x".repeat(900 << 10) + "\n"));
        c.refused("yaml", "5 MB document", "is larger than 1 MB",
                raw(dir, "y-huge-doc", base, "type: model\n" + "# a comment line of the description\n".repeat(150_000)));
        c.refused("yaml", "nesting 20000 deep", "is not valid YAML: Document nesting depth \\(65\\) exceeds the maximum allowed \\(64\\)\\.",
                raw(dir, "y-deep", base, "type: model\nname:\n" + "  [\n".repeat(20_000) + "  ]\n".repeat(20_000)));
        c.refused("yaml", "alias bomb as the inputs", "inputs\\[0\\] is not a mapping",
                raw(dir, "y-alias", base, aliasBomb() + text(base).replaceFirst("(?m)^inputs:", "inputs: [*a9]\nold_inputs:")));
        c.runs("yaml", "alias bomb beside a valid description", raw(dir, "y-alias-ok", base, aliasBomb().replace("a0:", "bomb_a0:") + text(base)));
        c.refused("yaml", "inputs a number", "inputs is not a list \\(it is 3\\)", folder(dir, "y-inputs3", base, d -> d.put("inputs", 3)).resolve("rdf.yaml"));
        c.refused("yaml", "inputs[0] empty", "inputs\\[0\\] is not a mapping \\(it is empty\\)",
                folder(dir, "y-inputs-nil", base, d -> d.put("inputs", nullList(1))).resolve("rdf.yaml"));
        c.refused("yaml", "outputs empty", "describes no outputs", folder(dir, "y-outputs-nil", base, d -> d.put("outputs", null)).resolve("rdf.yaml"));
        c.refused("yaml", "channel axis a number", "inputs\\[0\\]\\.axes\\[1\\] is not a mapping \\(it is 3\\)",
                folder(dir, "y-axis3", base, d -> axes(d, "inputs").set(1, 3)).resolve("rdf.yaml"));
        c.refused("yaml", "axes all null", "inputs\\[0\\]\\.axes\\[0\\] is not a mapping \\(it is empty\\)",
                folder(dir, "y-axes-nil", base, d -> at(d, "inputs", 0).put("axes", nullList(4))).resolve("rdf.yaml"));
        c.refused("yaml", "axes numbers", "inputs\\[0\\]\\.axes\\[0\\] is not a mapping \\(it is 1\\)",
                folder(dir, "y-axes-num", base, d -> at(d, "inputs", 0).put("axes", List.of(1, 2, 3, 4))).resolve("rdf.yaml"));
        c.refused("yaml", "axis type a number", "outputs\\[0\\]\\.axes\\[2\\]\\.type is not a text \\(it is 7\\)",
                folder(dir, "y-axis-type", base, d -> axis(d, "outputs", 2).put("type", 7)).resolve("rdf.yaml"));
        c.refused("yaml", "type a number", "type is not 'model' \\(it is 3\\)", folder(dir, "y-type", base, d -> d.put("type", 3)).resolve("rdf.yaml"));
        c.refused("yaml", "type with control characters", "describes a \\\\u001b\\[2J, not a model",
                folder(dir, "y-type-ctl", base, d -> d.put("type", "\u001b[2J")).resolve("rdf.yaml"));
        c.refused("yaml", "weights' source a number", "weights\\.onnx\\.source is not a text \\(it is 3\\)",
                folder(dir, "y-source3", base, d -> at(d, "weights", "onnx").put("source", 3)).resolve("rdf.yaml"));
        c.refused("yaml", "processing step named by a number", "preprocessing\\[0\\]\\.id is not a text \\(it is 3\\)",
                folder(dir, "y-step3", base, d -> step(d).put("id", 3)).resolve("rdf.yaml"));
        c.refused("yaml", "percentile a text", "kwargs\\.max_percentile is not a finite number \\(it is 'abc'\\)",
                folder(dir, "y-kw-text", base, d -> kwargs(d).put("max_percentile", "abc")).resolve("rdf.yaml"));
        c.refused("yaml", "percentiles reversed", "percentiles \\(99\\.9, 0\\.1\\) are not two values from 0 to 100",
                folder(dir, "y-kw-rev", base, d -> {
                    kwargs(d).put("min_percentile", 99.9);
                    kwargs(d).put("max_percentile", 0.1);
                }).resolve("rdf.yaml"));
        c.refused("yaml", "gain .nan", "kwargs\\.gain is not a finite number \\(it is '\\.nan'\\)",
                raw(dir, "y-gain-nan", base, text(base).replaceFirst("- id: scale_range\\n(\\s+)kwargs:\\n", "- id: scale_linear\n$1kwargs:\n$1  gain: .nan\n")));
        c.refused("yaml", "gain 1e999 (infinite)", "kwargs\\.gain is not a finite number \\(it is Infinity\\)",
                raw(dir, "y-gain-inf", base, text(base).replaceFirst("- id: scale_range\\n(\\s+)kwargs:\\n", "- id: scale_linear\n$1kwargs:\n$1  gain: 1e999\n")));
        c.refused("yaml", "std 0", "std is 0, not a positive number",
                folder(dir, "y-std0", base, d -> {
                    step(d).put("id", "fixed_zero_mean_unit_variance");
                    kwargs(d).put("std", 0);
                }).resolve("rdf.yaml"));
        c.refused("yaml", "halo 1e9", "a receptive radius of 500000000 input pixels, more than the 256",
                folder(dir, "y-halo", base, d -> {
                    axis(d, "outputs", 2).put("halo", 1_000_000_000);
                    axis(d, "outputs", 3).put("halo", 1_000_000_000);
                }).resolve("rdf.yaml"));
        c.refused("yaml", "halo -1", "halo is not a whole number of 0 or more \\(it is -1\\)", folder(dir, "y-halo-neg", base, d -> axis(d, "outputs", 2).put("halo", -1)).resolve("rdf.yaml"));
        c.refused("yaml", "halo a text", "halo is not a whole number", folder(dir, "y-halo-text", base, d -> axis(d, "outputs", 2).put("halo", "big")).resolve("rdf.yaml"));
        for (Object[] s : new Object[][]{{"0", 0, "scale is not a positive number \\(it is 0\\)"}, {"-1", -1, "scale is not a positive number \\(it is -1\\)"},
                {"1e9", 1e9, "scales by 1e-09; Super-Resolve runs networks that enlarge by a whole number from 1 to 16"},
                {"1/32", 1.0 / 32, "scales by 32; Super-Resolve runs networks that enlarge by a whole number from 1 to 16"}})
            c.refused("yaml", "output scale " + s[0], (String) s[2], folder(dir, "y-scale" + s[0].toString().replace("/", "over"), base, d -> {
                axis(d, "outputs", 2).put("scale", s[1]);
                axis(d, "outputs", 3).put("scale", s[1]);
            }).resolve("rdf.yaml"));
        c.refused("yaml", "y and x scaled differently", "scales y by 2 and x by 4",
                folder(dir, "y-scale-yx", base, d -> axis(d, "outputs", 3).put("scale", 0.25)).resolve("rdf.yaml"));
        c.refused("yaml", "channels 1e9", "takes 1000000000 channels; Super-Resolve runs networks of 1 \\(grey\\) or 3 \\(RGB\\) channels",
                folder(dir, "y-channels", base, d -> {
                    axis(d, "inputs", 1).remove("channel_names");
                    axis(d, "inputs", 1).put("size", 1_000_000_000);
                }).resolve("rdf.yaml"));
        c.refused("yaml", "!!java tags as the weights", "weights\\.onnx\\.source is not a text \\(it is a list\\)",
                raw(dir, "y-java", base, text(base).replaceFirst("source: weights\\.onnx",
                        "source: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:9/\"]]]]")));
        c.refused("yaml", "!!java tag on the whole description", "is not a model description \\(it holds no mapping\\)",
                raw(dir, "y-java-root", base, "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:9/\"]]]]\n"));
        c.refused("yaml", "!!binary weights' source", "weights\\.onnx\\.source is not a text \\(it is binary data\\)",
                raw(dir, "y-binary", base, text(base).replaceFirst("source: weights\\.onnx", "source: !!binary d2VpZ2h0cy5vbm54")));
        c.refused("yaml", "a key given twice", "is not valid YAML at line \\d+, column \\d+: Duplicate field 'name'",
                raw(dir, "y-dup", base, "name: a\n" + text(base)));
        c.refused("yaml", "a number of 5000 digits", "(not valid YAML|is not a whole number)",
                raw(dir, "y-long-number", base, text(base).replaceFirst("halo: \\d+", "halo: " + "9".repeat(5000))));

        // ---------------------------------------------------------------- zip packages
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String f : ExportFuzzTest.packageFiles(base))
            files.put(f, Files.readAllBytes(base.resolve(f)));
        RawZip valid = new RawZip();
        files.forEach(valid::deflated);
        valid.deflated("../../evil.sh", "#!/bin/sh\necho pwned\n".getBytes(StandardCharsets.UTF_8));
        valid.deflated("/tmp/evil.txt", "absolute\n".getBytes(StandardCharsets.UTF_8));
        c.runs("zip", "valid zip with ../ and absolute entry names beside", valid.write(dir.resolve("z-valid.zip")));

        RawZip rdfBomb = new RawZip();
        files.forEach((n, b) -> {
            if (n.equals("rdf.yaml")) rdfBomb.bomb(n, 5L << 30, 1000);
            else rdfBomb.deflated(n, b);
        });
        c.refused("zip", "rdf.yaml inflating to 5 GB, header 1000 bytes", "rdf\\.yaml in .*z-rdf-bomb\\.zip is larger than 1 MB", rdfBomb.write(dir.resolve("z-rdf-bomb.zip")));
        RawZip wBomb = new RawZip();
        files.forEach((n, b) -> {
            if (n.equals("weights.onnx")) wBomb.bomb(n, 3L << 30, 1000);
            else wBomb.deflated(n, n.equals("rdf.yaml") ? withoutSha(b) : b);
        });
        c.refused("zip", "weights.onnx inflating to 3 GB, header 1000 bytes", "weights\\.onnx in .*z-weights-bomb\\.zip \\(its ONNX weights\\) holds more than .* GB, more than (the 2 GB ONNX allows|this Java heap)",
                wBomb.write(dir.resolve("z-weights-bomb.zip")));
        for (String[] t : new String[][]{{"../x/weights.onnx", "leads out of the package"}, {"/etc/passwd", "not a relative path inside the package"},
                {"a/../../weights.onnx", "leads out of the package"}}) {
            RawZip z = new RawZip();
            files.forEach((n, b) -> z.deflated(n, n.equals("rdf.yaml") ? withSource(b, t[0]) : b));
            z.deflated("x/weights.onnx", files.get("weights.onnx"));
            c.refused("zip", "weights at " + t[0], t[1], z.write(dir.resolve("z-trav" + c.size() + ".zip")));
        }
        for (String twice : List.of("weights.onnx", "rdf.yaml")) {
            RawZip z = new RawZip();
            files.forEach(z::deflated);
            z.deflated(twice, twice.equals("rdf.yaml") ? withSource(files.get("rdf.yaml"), "other.onnx") : new byte[]{1, 2, 3});
            c.refused("zip", twice + " twice", "holds " + Pattern.quote(twice) + " twice: readers disagree on which copy counts",
                    z.write(dir.resolve("z-dup-" + twice + ".zip")));
        }
        RawZip sha = new RawZip();
        byte[] changed = files.get("weights.onnx").clone();
        changed[changed.length / 3] ^= 4;
        files.forEach((n, b) -> sha.deflated(n, n.equals("weights.onnx") ? changed : b));
        c.refused("zip", "weights changed (sha256 mismatch)", "weights\\.onnx in .*z-sha\\.zip does not match the sha256 its rdf\\.yaml gives",
                sha.write(dir.resolve("z-sha.zip")));
        RawZip corrupt = new RawZip();
        files.forEach((n, b) -> {
            if (!n.equals("weights.onnx")) corrupt.deflated(n, b);
            else {
                byte[] d = RawZip.deflate(b);
                for (int i = d.length / 4; i < d.length / 2; i++) d[i] = (byte) 0xff;
                corrupt.entry(n, 8, d, RawZip.crc(b), b.length);
            }
        });
        c.refused("zip", "weights' deflate stream damaged", "weights\\.onnx in .*z-corrupt\\.zip cannot be read \\(the zip is damaged\\)",
                corrupt.write(dir.resolve("z-corrupt.zip")));
        return c.list;
    }

    // ---------------------------------------------------------------- the valid package and its copies

    /** srresnet-x2-gray as a package in {@code dir/base}, exported on first use. */
    public static Path basePackage(Path dir) throws IOException {
        Path base = dir.resolve("base");
        if (!Files.exists(base.resolve("rdf.yaml")))
            BioImageIoExport.export(ModelCatalog.standard().load("srresnet-x2-gray"), base, BioImageIoExport.InputData.UINT16, null, false);
        return base;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> description(Path base) throws IOException {
        return YAML.readValue(base.resolve("rdf.yaml").toFile(), LinkedHashMap.class);
    }

    static String text(Path base) throws IOException {
        return Files.readString(base.resolve("rdf.yaml"));
    }

    /** A copy of the package in {@code dir/name} with its description changed by {@code change}. */
    static Path folder(Path dir, String name, Path base, Consumer<Map<String, Object>> change) throws IOException {
        Map<String, Object> d = description(base);
        change.accept(d);
        return raw(dir, name, base, YAML.writeValueAsString(d)).getParent();
    }

    /** A copy of the package in {@code dir/name} with that text as its rdf.yaml; returns the rdf.yaml. */
    static Path raw(Path dir, String name, Path base, String rdf) throws IOException {
        Path p = Files.createDirectories(dir.resolve(name));
        for (String f : ExportFuzzTest.packageFiles(base))
            if (!f.equals("rdf.yaml")) Files.copy(base.resolve(f), p.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return Files.writeString(p.resolve("rdf.yaml"), rdf);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> at(Object o, Object... path) {
        for (Object k : path) o = k instanceof Integer i ? ((List<Object>) o).get(i) : ((Map<String, Object>) o).get(k);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> axes(Map<String, Object> d, String tensors) {
        return (List<Object>) at(d, tensors, 0).get("axes");
    }

    static Map<String, Object> axis(Map<String, Object> d, String tensors, int i) {
        return at(d, tensors, 0, "axes", i);
    }

    static Map<String, Object> step(Map<String, Object> d) {
        return at(d, "inputs", 0, "preprocessing", 0);
    }

    static Map<String, Object> kwargs(Map<String, Object> d) {
        return at(d, "inputs", 0, "preprocessing", 0, "kwargs");
    }

    static void source(Map<String, Object> d, String source) {
        at(d, "weights", "onnx").put("source", source);
    }

    static List<Object> nullList(int n) {
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(null);
        return l;
    }

    /** Ten levels of ten aliases each (a billion leaves if aliases were expanded). */
    static String aliasBomb() {
        StringBuilder b = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            b.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) b.append(j > 0 ? ", " : "").append("*a").append(i - 1);
            b.append("]\n");
        }
        return b.toString();
    }

    static byte[] withSource(byte[] rdf, String source) {
        String s = new String(rdf, StandardCharsets.UTF_8).replaceFirst("source: weights\\.onnx", "source: \"" + source + "\"");
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] withoutSha(byte[] rdf) {
        String s = new String(rdf, StandardCharsets.UTF_8);
        int w = s.indexOf("\nweights:");
        String head = s.substring(0, w), tail = s.substring(w);
        return (head + tail.replaceFirst("\\n\\s+sha256: [0-9a-f]{64}", "")).getBytes(StandardCharsets.UTF_8);
    }

    /** The cases and the files they meet. */
    static final class Cases {
        final List<HostileCase> list = new ArrayList<>();
        private final Path dir, image;

        Cases(Path dir, Path image) {
            this.dir = dir;
            this.image = image;
        }

        int size() {
            return list.size();
        }

        void refused(String family, String name, String regex, Path model) {
            list.add(HostileCase.refused(family, name, regex, "upscale", image.toString(), "--model", model.toString(), "--scale", "2",
                    "-o", dir.resolve("out-" + list.size()).toString()));
        }

        void runs(String family, String name, Path model) {
            Path out = dir.resolve("out-" + list.size());
            list.add(new HostileCase(family, name, List.of("upscale", image.toString(), "--model", model.toString(), "--scale", "2", "-o", out.toString()),
                    0, Pattern.compile("grey\\.png -> .*\\(114x106"), out));
        }
    }

    /**
     * A zip written byte by byte, so that it can say what {@link java.util.zip.ZipOutputStream} never
     * would: entries whose headers understate their size, names given twice, names with {@code ..}.
     */
    public static final class RawZip {
        private record Entry(String name, int method, byte[] data, long crc, long size) {
        }

        private final List<Entry> entries = new ArrayList<>();

        /** An entry as it is stored: method 0 (stored) or 8 (deflated), the bytes in the file, and the CRC and size its headers declare. */
        public RawZip entry(String name, int method, byte[] data, long crc, long declaredSize) {
            entries.add(new Entry(name, method, data, crc, declaredSize));
            return this;
        }

        /** An honest deflated entry. */
        public RawZip deflated(String name, byte[] content) {
            return entry(name, 8, deflate(content), crc(content), content.length);
        }

        /**
         * A deflated entry of {@code size} zero bytes (any size: the stream is one compressed megabyte
         * repeated) whose headers declare {@code declaredSize}.
         */
        public RawZip bomb(String name, long size, long declaredSize) {
            Deflater d = new Deflater(9, true);
            d.setInput(new byte[1 << 20]);
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            while (!d.needsInput()) block.write(buf, 0, d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH));
            d.end();
            byte[] mb = block.toByteArray(); // non-final blocks, byte-aligned, no reference to what came before
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (long i = 0; i < size >> 20; i++) all.write(mb, 0, mb.length);
            all.write(3);
            all.write(0); // a final empty block
            return entry(name, 8, all.toByteArray(), 0, declaredSize);
        }

        public static byte[] deflate(byte[] content) {
            Deflater d = new Deflater(6, true);
            d.setInput(content);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            while (!d.finished()) out.write(buf, 0, d.deflate(buf));
            d.end();
            return out.toByteArray();
        }

        public static long crc(byte[] b) {
            CRC32 c = new CRC32();
            c.update(b);
            return c.getValue();
        }

        /** Writes the zip (local headers and data, central directory, end record) to {@code file}. */
        public Path write(Path file) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream cen = new ByteArrayOutputStream();
            for (Entry e : entries) {
                byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
                int offset = out.size();
                ByteBuffer loc = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
                loc.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x800).putShort((short) e.method).putShort((short) 0).putShort((short) 0x21)
                        .putInt((int) e.crc).putInt(e.data.length).putInt((int) e.size).putShort((short) name.length).putShort((short) 0);
                out.write(loc.array());
                out.write(name);
                out.write(e.data);
                ByteBuffer c = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN);
                c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0x800).putShort((short) e.method).putShort((short) 0)
                        .putShort((short) 0x21).putInt((int) e.crc).putInt(e.data.length).putInt((int) e.size).putShort((short) name.length)
                        .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt(offset);
                cen.write(c.array());
                cen.write(name);
            }
            int cenOffset = out.size();
            out.write(cen.toByteArray());
            ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
            end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size()).putShort((short) entries.size())
                    .putInt(cen.size()).putInt(cenOffset).putShort((short) 0);
            out.write(end.array());
            return Files.write(file, out.toByteArray());
        }
    }
}
