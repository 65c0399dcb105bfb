package io.github.superresolve.exchange;

import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.nn.Npy;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import static io.github.superresolve.exchange.BioImageIoExportTest.at;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packages for deepImageJ (format 0.4.10): every shipped model's package is checked field by field as
 * JDLL's {@code ModelDescriptorV04}, {@code TensorSpecV04}, {@code AxesV04} and {@code TileCalculator}
 * read it (read in JDLL's sources, which cannot run here), its ONNX weights at operator set 13 reproduce
 * the test output in ONNX Runtime through the package's 0.4 pre- and postprocessing, and Super-Resolve
 * itself opens the package with its scale and its halo.
 */
class DeepImageJExportTest {

    @TempDir
    Path dir;

    /** 0.4 processing steps as the 0.5 ones {@link BioImageIoExportTest#process} applies: name to id, axes "xy" to [y, x]. */
    static List<Map<String, Object>> as05(List<Map<String, Object>> steps) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (Map<String, Object> s : steps) {
            Map<String, Object> kw = new LinkedHashMap<>(at(s, "kwargs"));
            if (s.get("name").equals("scale_range")) {
                assertEquals("xy", kw.get("axes"), "per channel: percentiles over x and y");
                assertEquals("per_sample", kw.get("mode"));
                kw.put("axes", List.of("y", "x"));
            }
            l.add(Map.of("id", s.get("name"), "kwargs", kw));
        }
        return l;
    }

    /** Checks a deepImageJ package as JDLL reads it; returns ONNX Runtime's largest difference from the test output over the output's range. */
    static double check(Path folder, int scale, int channels, int radius) throws Exception {
        Map<String, Object> r = BioImageIoExportTest.rdf(folder);
        assertEquals("0.4.10", r.get("format_version")); // ModelDescriptorFactory: "0.4..." -> ModelDescriptorV04
        assertTrue(r.get("id") instanceof String id && !id.isBlank(), "an id (deepImageJ's macro finds a model by it)");
        Map<String, Object> in = at(r, "inputs", 0), out = at(r, "outputs", 0);
        assertEquals("input", in.get("name"));
        assertEquals("bcyx", in.get("axes")); // TensorSpecV04 refuses axes given as a list
        assertEquals("bcyx", out.get("axes"));
        assertEquals("float32", in.get("data_type"));
        List<Integer> min = at(in, "shape", "min"), step = at(in, "shape", "step");
        assertEquals(List.of(1, channels), min.subList(0, 2));
        assertEquals(List.of(0, 0, 1, 1), step);
        assertEquals("input", at(out, "shape", "reference_tensor"));
        assertEquals(List.of(1.0, 1.0, (double) scale, (double) scale), at(out, "shape", "scale"));
        assertEquals(List.of(0, 0, 0, 0), at(out, "shape", "offset")); // AxesV04 refuses an implicit shape without offset
        List<Integer> halo = at(out, "halo");
        assertEquals(4, halo.size());
        // ModelDescriptorV04.calculateTotalInputHalo: input halo = (output halo + offset) / scale, in input pixels
        assertEquals(radius, (int) ((halo.get(2) + 0.0) / scale));
        assertEquals(halo.get(2), halo.get(3));
        assertTrue(min.get(2) * scale > 2 * halo.get(2), "the smallest input leaves output after cropping the halo");
        Map<String, Object> weights = at(r, "weights");
        assertEquals(List.of("onnx"), new ArrayList<>(weights.keySet()), "only ONNX weights: JDLL would send PyTorch weights to its Python engine");
        assertEquals(13, (int) at(r, "weights", "onnx", "opset_version"));
        byte[] onnx = Files.readAllBytes(folder.resolve((String) at(r, "weights", "onnx", "source")));
        assertEquals(at(r, "weights", "onnx", "sha256"), BioImageIoExportTest.sha256(folder.resolve("weights.onnx")));
        Onnx.ModelProto proto = Onnx.ModelProto.parseFrom(onnx);
        assertEquals(7, proto.getIrVersion());
        assertEquals(13, proto.getOpsetImport(0).getVersion());
        for (String key : List.of("test_inputs", "test_outputs", "sample_inputs", "sample_outputs", "covers")) {
            List<String> files = at(r, key);
            assertEquals(1, files.size(), key);
            assertTrue(Files.isRegularFile(folder.resolve(files.get(0))), key);
        }
        assertTrue(at(r, "config", "deepimagej") == null, "no config.deepimagej: JDLL then allows tiling");
        String readme = Files.readString(folder.resolve("README.md"));
        assertTrue(readme.contains("run(\"DeepImageJ Run\", \"model_path=[" + folder.getFileName() + "]"), "the macro line in the README");
        assertTrue(java.util.regex.Pattern.compile("#.*[vV]alidation").matcher(readme).find());

        Npy.Array x = Npy.read(Files.readAllBytes(folder.resolve("test_input.npy")));
        Npy.Array want = Npy.read(Files.readAllBytes(folder.resolve("test_output.npy")));
        assertArrayEquals(new long[]{1, channels, x.shape()[2] * scale, x.shape()[3] * scale}, want.shape());
        float[] xn = BioImageIoExportTest.process(as05(at(in, "preprocessing")), x.data(), x.shape());
        float[] y = OnnxExportTest.runOnnx(onnx, xn, channels, (int) x.shape()[2], (int) x.shape()[3]);
        List<Map<String, Object>> post = at(out, "postprocessing");
        if (post != null) y = BioImageIoExportTest.process(as05(post), y, want.shape());
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float f : want.data()) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        double range = post != null ? 255 : Math.max(1, hi - lo), max = 0;
        for (int i = 0; i < y.length; i++) max = Math.max(max, Math.abs(y[i] - want.data()[i]));
        try (ZipFile z = new ZipFile(folder.resolveSibling(folder.getFileName() + ".zip").toFile())) {
            try (var s = Files.list(folder)) {
                for (Path f : s.toList())
                    assertArrayEquals(Files.readAllBytes(f), z.getInputStream(z.getEntry(f.getFileName().toString())).readAllBytes());
            }
        }
        return max / range;
    }

    @Test
    void everyShippedModelExportsToAPackageDeepImageJReads() throws Exception {
        ModelCatalog catalog = ModelCatalog.standard();
        for (String name : catalog.names()) {
            Model m = catalog.load(name);
            Path folder = dir.resolve(name + "-deepimagej");
            BioImageIoExport.export(m, folder, BioImageIoExport.InputData.defaultFor(m.card()), null, false, BioImageIoExport.Format.DEEPIMAGEJ);
            int radius = m.generator().receptiveRadius();
            double err = check(folder, m.card().scale(), m.card().channels(), radius);
            System.out.printf("%s: deepImageJ package, ONNX Runtime (opset 13) vs test output %.2e of the range%n", name, err);
            assertTrue(err <= 1e-4, name + ": " + err);
            // Super-Resolve opens it too, at its scale, with the package's halo as the receptive radius
            ForeignModel f = ForeignModels.open(folder.resolve("rdf.yaml").toString());
            assertEquals(m.card().scale(), f.scale());
            assertEquals(radius, f.network().receptiveRadius());
            assertEquals("package halo", f.network().radiusSource());
        }
    }

    @Test
    void sixteenBitDeepImageJPackage() throws Exception {
        GeneratorConfig c = new GeneratorConfig(1, 2, 2, 8, true, 1.0, false, GeneratorConfig.Upsampling.DECONV);
        Model m = new Model(new io.github.superresolve.nn.ModelCard("tiny-grey", "SRResNet", "", c, "MIT", null, null),
                OnnxExportTest.disturbed(c, 5, true), "test");
        Path folder = dir.resolve("grey16");
        BioImageIoExport.export(m, folder, BioImageIoExport.InputData.UINT16, null, false, BioImageIoExport.Format.DEEPIMAGEJ);
        assertTrue(check(folder, 2, 1, m.generator().receptiveRadius()) <= 1e-4);
        Map<String, Object> r = BioImageIoExportTest.rdf(folder);
        assertEquals("scale_range", at(r, "inputs", 0, "preprocessing", 0, "name"));
        assertNull(at(r, "outputs", 0, "postprocessing"));
        assertEquals(List.of(0.0, 65535.0), at(r, "inputs", 0, "data_range"));
    }
}
