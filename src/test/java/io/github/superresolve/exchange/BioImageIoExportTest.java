package io.github.superresolve.exchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCard;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.nn.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shipped model exports to a package whose test output ONNX Runtime reproduces from its test input
 * through the package's own pre- and postprocessing (applied here as the format defines them, not with
 * the exporter's code), to 1e-4 of the output's range; the files match their sha256 and the zip holds
 * the folder's files.
 */
class BioImageIoExportTest {

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    static Map<String, Object> rdf(Path folder) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readValue(folder.resolve("rdf.yaml").toFile(), Map.class);
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object o, Object... path) {
        for (Object k : path) o = k instanceof Integer i ? ((List<Object>) o).get(i) : ((Map<String, Object>) o).get(k);
        return (T) o;
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    /** numpy.percentile with its default linear interpolation. */
    static double numpyPercentile(float[] v, double p) {
        float[] s = v.clone();
        Arrays.sort(s);
        double idx = p / 100 * (s.length - 1);
        int lo = (int) Math.floor(idx), hi = (int) Math.ceil(idx);
        return s[lo] + (idx - lo) * (s[hi] - s[lo]);
    }

    /** Applies a package's processing steps (the ones our packages use) as the format defines them. */
    static float[] process(List<Map<String, Object>> steps, float[] x, long[] shape) {
        float[] v = x.clone();
        int plane = (int) (shape[2] * shape[3]);
        for (Map<String, Object> step : steps) {
            Map<String, Object> k = at(step, "kwargs");
            switch ((String) step.get("id")) {
                case "scale_linear" -> {
                    double g = ((Number) k.get("gain")).doubleValue(), o = ((Number) k.get("offset")).doubleValue();
                    for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * g + o);
                }
                case "clip" -> {
                    double lo = ((Number) k.get("min")).doubleValue(), hi = ((Number) k.get("max")).doubleValue();
                    for (int i = 0; i < v.length; i++) v[i] = (float) Math.max(lo, Math.min(hi, v[i]));
                }
                case "scale_range" -> {
                    assertEquals(List.of("y", "x"), k.get("axes"));
                    double pl = ((Number) k.get("min_percentile")).doubleValue(), ph = ((Number) k.get("max_percentile")).doubleValue();
                    double eps = ((Number) k.get("eps")).doubleValue();
                    for (int c = 0; c < shape[1]; c++) {
                        float[] ch = Arrays.copyOfRange(v, c * plane, (c + 1) * plane);
                        double lo = numpyPercentile(ch, pl), hi = numpyPercentile(ch, ph);
                        for (int i = c * plane; i < (c + 1) * plane; i++) v[i] = (float) ((v[i] - lo) / (hi - lo + eps));
                    }
                }
                default -> throw new AssertionError("unexpected step " + step.get("id"));
            }
        }
        return v;
    }

    /** Checks a written package and returns the largest difference between ONNX Runtime and its test output, relative to the output's range. */
    static double check(Path folder, int scale, int channels) throws Exception {
        Map<String, Object> r = rdf(folder);
        assertEquals("model", r.get("type"));
        assertTrue(((String) r.get("format_version")).startsWith("0.5."));
        assertEquals(17, (int) at(r, "weights", "onnx", "opset_version"));
        for (String[] f : new String[][]{{"inputs", "test_tensor"}, {"outputs", "test_tensor"}}) {
            Map<String, Object> d = at(r, f[0], 0, f[1]);
            assertEquals(d.get("sha256"), sha256(folder.resolve((String) d.get("source"))), "sha256 of " + d.get("source"));
        }
        assertEquals(at(r, "weights", "onnx", "sha256"), sha256(folder.resolve("weights.onnx")));
        for (int i = 0; i < 2; i++) {
            Map<String, Object> a = at(r, "attachments", i);
            assertEquals(a.get("sha256"), sha256(folder.resolve((String) a.get("source"))), "sha256 of " + a.get("source"));
        }
        // output axes: referenced input axes, scale 1/r, halo = receptive radius in output pixels
        Map<String, Object> y = at(r, "outputs", 0, "axes", 2);
        assertEquals("input", at(y, "size", "tensor_id"));
        assertEquals(1.0 / scale, ((Number) y.get("scale")).doubleValue(), 1e-12);
        int halo = (Integer) y.get("halo");
        assertEquals(0, halo % scale);
        int minIn = at(r, "inputs", 0, "axes", 2, "size", "min");
        assertTrue(minIn * scale > 2 * halo, "the smallest input leaves output after cropping the halo");

        Npy.Array in = Npy.read(Files.readAllBytes(folder.resolve("test_input.npy")));
        Npy.Array want = Npy.read(Files.readAllBytes(folder.resolve("test_output.npy")));
        assertArrayEquals(new long[]{1, channels, in.shape()[2] * scale, in.shape()[3] * scale}, want.shape());
        float[] x = process(at(r, "inputs", 0, "preprocessing"), in.data(), in.shape());
        float[] yv = OnnxExportTest.runOnnx(Files.readAllBytes(folder.resolve("weights.onnx")), x, channels, (int) in.shape()[2], (int) in.shape()[3]);
        List<Map<String, Object>> post = at(r, "outputs", 0, "postprocessing");
        if (post != null) yv = process(post, yv, want.shape());
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float f : want.data()) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        double range = post != null ? 255 : Math.max(1, hi - lo);
        double max = 0;
        for (int i = 0; i < yv.length; i++) max = Math.max(max, Math.abs(yv[i] - want.data()[i]));

        try (ZipFile z = new ZipFile(folder.resolveSibling(folder.getFileName() + ".zip").toFile())) {
            for (String f : List.of("rdf.yaml", "weights.onnx", "test_input.npy", "test_output.npy", "cover.png", "README.md")) {
                assertTrue(z.getEntry(f) != null, f + " in the zip");
                assertArrayEquals(Files.readAllBytes(folder.resolve(f)), z.getInputStream(z.getEntry(f)).readAllBytes(), f);
            }
        }
        return max / range;
    }

    @Test
    void everyShippedModelExportsToAPackageOnnxRuntimeReproduces() throws Exception {
        ModelCatalog catalog = ModelCatalog.standard();
        assertFalse(catalog.names().isEmpty(), "the shipped models are found");
        StringBuilder report = new StringBuilder();
        for (String name : catalog.names()) {
            Model m = catalog.load(name);
            Path folder = dir.resolve(name);
            long t0 = System.nanoTime();
            BioImageIoExport.export(m, folder, BioImageIoExport.InputData.defaultFor(m.card()), null, false);
            double secs = (System.nanoTime() - t0) / 1e9;
            double err = check(folder, m.card().scale(), m.card().channels());
            report.append(String.format("%s: export %.1f s, ONNX Runtime vs test output %.2e of the range%n", name, secs, err));
            assertTrue(err <= 1e-4, name + ": ONNX Runtime differs from the package's test output by " + err + " of the range");
        }
        System.out.print(report);
    }

    @Test
    void greyModelAs16BitPackage() throws Exception {
        GeneratorConfig c = new GeneratorConfig(1, 2, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Model m = new Model(new ModelCard("tiny-grey", "SRResNet", "", c, "Apache-2.0 (test)", null, null),
                OnnxExportTest.disturbed(c, 5, false), "test");
        Path folder = dir.resolve("tiny");
        BioImageIoExport.export(m, folder, BioImageIoExport.InputData.UINT16, null, false);
        assertTrue(check(folder, 2, 1) <= 1e-4);
        Map<String, Object> r = rdf(folder);
        assertEquals("Apache-2.0", r.get("license"));
        assertEquals("scale_range", at(r, "inputs", 0, "preprocessing", 0, "id"));
        assertTrue(at(r, "outputs", 0, "postprocessing") == null, "no postprocessing: output in normalised units");
        // a 16-bit test input really is in 16-bit units
        float max = 0;
        for (float f : Npy.read(Files.readAllBytes(folder.resolve("test_input.npy"))).data()) max = Math.max(max, f);
        assertTrue(max > 255, "16-bit test input, max " + max);
    }

    @Test
    void refusesToReplaceAndWithoutLicense() throws Exception {
        GeneratorConfig c = new GeneratorConfig(1, 2, 1, 4, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Model m = new Model(new ModelCard("nolicense", "SRResNet", "", c, null, null, null), OnnxExportTest.disturbed(c, 1, false), "t");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BioImageIoExport.export(m, dir.resolve("p"), BioImageIoExport.InputData.UINT8, null, false));
        assertTrue(e.getMessage().contains("--license"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("p")));

        BioImageIoExport.export(m, dir.resolve("p"), BioImageIoExport.InputData.UINT8, "MIT", false);
        byte[] before = Files.readAllBytes(dir.resolve("p.zip"));
        e = assertThrows(IllegalArgumentException.class,
                () -> BioImageIoExport.export(m, dir.resolve("p"), BioImageIoExport.InputData.UINT8, "MIT", false));
        assertTrue(e.getMessage().contains("exists"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("p.zip")), "the existing package is untouched");
        BioImageIoExport.export(m, dir.resolve("p"), BioImageIoExport.InputData.UINT8, "BSD-3-Clause", true);
        assertEquals("BSD-3-Clause", rdf(dir.resolve("p")).get("license"));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("p", "p.zip"), s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary left behind");
        }
    }
}
