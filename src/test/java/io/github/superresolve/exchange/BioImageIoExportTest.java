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
            for (String f : ExportTarget.FILES) {
                if (!Files.exists(folder.resolve(f))) continue;
                assertTrue(z.getEntry(f) != null, f + " in the zip");
                assertArrayEquals(Files.readAllBytes(folder.resolve(f)), z.getInputStream(z.getEntry(f)).readAllBytes(), f);
            }
        }
        return max / range;
    }

    /** The tag categories of bioimageio.spec (src/bioimageio/spec/static/tag_categories.json, model), content left out on purpose. */
    static final Map<String, List<String>> TAG_CATEGORIES = Map.of(
            "modality", List.of("electron-microscopy", "cryo-electron-microscopy", "fluorescence-light-microscopy", "transmission-light-microscopy",
                    "super-resolution-microscopy", "x-ray-microscopy", "force-microscopy", "high-content-imaging", "whole-slide-imaging", "other"),
            "dims", List.of("2d", "3d", "2d-t", "3d-t"),
            "framework", List.of("tensorflow", "pytorch", "tensorflow.js"),
            "software", List.of("ilastik", "imagej", "fiji", "imjoy", "deepimagej", "n2v"),
            "network", List.of("unet", "densenet", "resnet", "inception", "shufflenet"),
            "task", List.of("semantic-segmentation", "instance-segmentation", "object-detection", "image-classification", "denoising",
                    "image-restoration", "image-reconstruction", "in-silico-labeling"));

    /**
     * What bioimageio.spec 0.5 warns about (read in its model/v0_5.py and generic/v0_3.py), checked here
     * as its rules say: an id of its characters, a maintainer with a github_user, a '#...Validation'
     * heading in the documentation (its regular expression), one tag of each category, sample tensors
     * imageio reads with as many dimensions as the axes allow, a data range on the input, name at most
     * 64 and description at most 512 characters, a 2:1 or 1:1 cover, exactly one weights entry without
     * a parent.
     */
    static void specificationChecks(Path folder, int channels, boolean sixteen) throws Exception {
        Map<String, Object> r = rdf(folder);
        assertTrue(((String) r.get("id")).matches("[a-z0-9_.-]+(/[a-z0-9_.-]+)*"), "id " + r.get("id"));
        assertTrue(((String) r.get("name")).length() <= 64);
        assertTrue(((String) r.get("description")).length() <= 512);
        List<Map<String, Object>> maintainers = at(r, "maintainers");
        assertFalse(maintainers.isEmpty());
        for (Map<String, Object> m : maintainers) assertTrue(m.get("github_user") instanceof String g && !g.isBlank());
        String readme = Files.readString(folder.resolve((String) r.get("documentation")));
        assertTrue(java.util.regex.Pattern.compile("#.*[vV]alidation").matcher(readme).find(), "a Validation section");
        List<String> tags = at(r, "tags");
        for (Map.Entry<String, List<String>> c : TAG_CATEGORIES.entrySet())
            assertTrue(c.getValue().stream().anyMatch(tags::contains), "a tag of category " + c.getKey() + " in " + tags);
        List<Object> range = at(r, "inputs", 0, "data", "range");
        assertEquals(List.of(0.0, sixteen ? 65535.0 : 255.0), range);
        for (String t : List.of("inputs", "outputs")) {
            Map<String, Object> sample = at(r, t, 0, "sample_tensor");
            Path png = folder.resolve((String) sample.get("source"));
            assertEquals(sample.get("sha256"), sha256(png));
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
            assertEquals(channels, img.getRaster().getNumBands(), t + " sample's channels");
            assertEquals(sixteen ? 16 : 8, img.getColorModel().getComponentSize(0), t + " sample's bits");
            Npy.Array test = Npy.read(Files.readAllBytes(folder.resolve((String) at(r, t, 0, "test_tensor", "source"))));
            assertEquals(test.shape()[2], img.getHeight());
            assertEquals(test.shape()[3], img.getWidth());
            if (t.equals("inputs")) { // the sample input is the test input
                int h = img.getHeight(), w = img.getWidth();
                for (int c = 0; c < channels; c++)
                    for (int y = 0; y < h; y++)
                        for (int x = 0; x < w; x++)
                            assertEquals(test.data()[(c * h + y) * w + x], img.getRaster().getSample(x, y, c), 0.0);
            }
        }
        java.awt.image.BufferedImage cover = javax.imageio.ImageIO.read(folder.resolve((String) at(r, "covers", 0)).toFile());
        assertTrue(cover.getWidth() == 2 * cover.getHeight() || cover.getWidth() == cover.getHeight(), "cover 2:1 or 1:1");
        Map<String, Map<String, Object>> weights = at(r, "weights");
        assertEquals(1, weights.values().stream().filter(w -> w.get("parent") == null).count(), "one weights entry without a parent");
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
            specificationChecks(folder, m.card().channels(), BioImageIoExport.InputData.defaultFor(m.card()) == BioImageIoExport.InputData.UINT16);
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
        specificationChecks(folder, 1, true);
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
