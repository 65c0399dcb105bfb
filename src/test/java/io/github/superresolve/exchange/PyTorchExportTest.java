package io.github.superresolve.exchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCard;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.nn.Npy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.github.superresolve.exchange.BioImageIoExportTest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PyTorch weights of a package, loaded by PyTorch itself (Debian's python3-torch; the test is
 * skipped where no python3 has torch): {@code torch.load(weights.pt, weights_only=True)} and the
 * package's module built with the kwargs of its rdf.yaml reproduce the package's test output, through
 * the package's own pre- and postprocessing, for every shipped model (SRResNet, SRGAN, fftGAN and the
 * two-stage rGAN) and for the study's batch-norm and deconvolution variants.
 */
class PyTorchExportTest {

    @TempDir
    Path dir;

    /** A python3 that imports torch, or null. */
    static String pythonWithTorch() {
        for (String p : List.of("python3", "/usr/bin/python3")) {
            try {
                Process pr = new ProcessBuilder(p, "-c", "import torch, numpy").redirectErrorStream(true).start();
                pr.getInputStream().readAllBytes();
                if (pr.waitFor(120, TimeUnit.SECONDS) && pr.exitValue() == 0) return p;
            } catch (IOException | InterruptedException e) {
                // try the next
            }
        }
        return null;
    }

    private static final String SCRIPT = """
            import importlib.util, json, struct, sys, zipfile
            import numpy as np, torch
            torch.set_num_threads(2)
            for job in json.load(open(sys.argv[1])):
                spec = importlib.util.spec_from_file_location("super_resolve_net", job["module"])
                mod = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(mod)
                net = getattr(mod, job["callable"])(**job["kwargs"])
                raw = open(job["weights"], "rb").read()
                for zi in zipfile.ZipFile(job["weights"]).infolist():  # records at multiples of 64 bytes, as torch.save writes them
                    n, e = struct.unpack("<HH", raw[zi.header_offset + 26:zi.header_offset + 30])
                    assert (zi.header_offset + 30 + n + e) % 64 == 0, zi.filename
                state = torch.load(job["weights"], weights_only=True)
                net.load_state_dict(state, strict=True)
                with torch.no_grad():
                    y = net.eval()(torch.from_numpy(np.load(job["x"])))
                np.save(job["y"], y.numpy().astype(np.float32))
                print(job["name"], "ok", len(state), "tensors")
            """;

    /** Runs the packages' PyTorch weights on their preprocessed test inputs; returns each one's largest difference over the output's range. */
    static Map<String, Double> runInPyTorch(String python, Path work, Map<String, Path> packages) throws Exception {
        List<Map<String, Object>> jobs = new ArrayList<>();
        Map<String, Object[]> expected = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : packages.entrySet()) {
            Path folder = e.getValue();
            Map<String, Object> r = BioImageIoExportTest.rdf(folder);
            Map<String, Object> w = at(r, "weights", "pytorch_state_dict");
            assertEquals(at(w, "sha256"), BioImageIoExportTest.sha256(folder.resolve((String) w.get("source"))));
            assertEquals(at(w, "architecture", "sha256"), BioImageIoExportTest.sha256(folder.resolve((String) at(w, "architecture", "source"))));
            Npy.Array in = Npy.read(Files.readAllBytes(folder.resolve("test_input.npy")));
            float[] x = BioImageIoExportTest.process(at(r, "inputs", 0, "preprocessing"), in.data(), in.shape());
            Path xf = work.resolve(e.getKey() + "-x.npy"), yf = work.resolve(e.getKey() + "-y.npy");
            Files.write(xf, Npy.write(in.shape(), x));
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("name", e.getKey());
            job.put("module", folder.resolve((String) at(w, "architecture", "source")).toString());
            job.put("callable", at(w, "architecture", "callable"));
            job.put("kwargs", at(w, "architecture", "kwargs"));
            job.put("weights", folder.resolve((String) w.get("source")).toString());
            job.put("x", xf.toString());
            job.put("y", yf.toString());
            jobs.add(job);
            expected.put(e.getKey(), new Object[]{folder, yf, r});
        }
        Path jobFile = work.resolve("jobs.json"), script = work.resolve("run.py");
        new ObjectMapper().writeValue(jobFile.toFile(), jobs);
        Files.writeString(script, SCRIPT);
        Process p = new ProcessBuilder(python, script.toString(), jobFile.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "python finishes");
        assertEquals(0, p.exitValue(), "PyTorch loads and runs the packages:\n" + log);
        Map<String, Double> errors = new LinkedHashMap<>();
        for (Map.Entry<String, Object[]> e : expected.entrySet()) {
            Path folder = (Path) e.getValue()[0];
            Map<String, Object> r = (Map<String, Object>) e.getValue()[2];
            Npy.Array want = Npy.read(Files.readAllBytes(folder.resolve("test_output.npy")));
            Npy.Array got = Npy.read(Files.readAllBytes((Path) e.getValue()[1]));
            assertEquals(List.of(want.shape()[0], want.shape()[1], want.shape()[2], want.shape()[3]),
                    List.of(got.shape()[0], got.shape()[1], got.shape()[2], got.shape()[3]), e.getKey() + ": output shape");
            List<Map<String, Object>> post = at(r, "outputs", 0, "postprocessing");
            float[] y = post == null ? got.data() : BioImageIoExportTest.process(post, got.data(), got.shape());
            float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
            for (float f : want.data()) {
                lo = Math.min(lo, f);
                hi = Math.max(hi, f);
            }
            double range = post != null ? 255 : Math.max(1, hi - lo), max = 0;
            for (int i = 0; i < y.length; i++) max = Math.max(max, Math.abs(y[i] - want.data()[i]));
            errors.put(e.getKey(), max / range);
        }
        return errors;
    }

    @Test
    void pyTorchReproducesEveryShippedModelsTestOutput() throws Exception {
        String python = pythonWithTorch();
        Assumptions.assumeTrue(python != null, "no python3 with torch here (Debian: apt-get install python3-torch); CI installs it");
        ModelCatalog catalog = ModelCatalog.standard();
        Map<String, Path> packages = new LinkedHashMap<>();
        for (String name : catalog.names()) {
            Model m = catalog.load(name);
            Path folder = dir.resolve(name);
            BioImageIoExport.export(m, folder, BioImageIoExport.InputData.defaultFor(m.card()), null, false);
            packages.put(name, folder);
        }
        assertTrue(packages.containsKey("rgan-x4"), "the two-stage model is among them");
        Map<String, Double> errors = runInPyTorch(python, Files.createDirectories(dir.resolve("work")), packages);
        errors.forEach((n, e) -> System.out.printf("%s: PyTorch vs test output %.2e of the range%n", n, e));
        errors.forEach((n, e) -> assertTrue(e <= 1e-4, n + ": PyTorch differs from the test output by " + e + " of the range"));
    }

    @Test
    void pyTorchReproducesBatchNormAndDeconvolutionVariants() throws Exception {
        String python = pythonWithTorch();
        Assumptions.assumeTrue(python != null, "no python3 with torch here (Debian: apt-get install python3-torch); CI installs it");
        Map<String, Path> packages = new LinkedHashMap<>();
        GeneratorConfig[] configs = {
                new GeneratorConfig(1, 4, 2, 8, true, 1.0, false, GeneratorConfig.Upsampling.DECONV),
                new GeneratorConfig(3, 2, 1, 8, true, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL),
                new GeneratorConfig(3, 8, 0, 4, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL)};
        for (int i = 0; i < configs.length; i++) {
            GeneratorConfig c = configs[i];
            Model m = new Model(new ModelCard("variant-" + i, "SRResNet", "", c, "MIT", null, null), OnnxExportTest.disturbed(c, 7 + i, i == 0), "t");
            Path folder = dir.resolve("variant-" + i);
            BioImageIoExport.export(m, folder, c.channels() == 3 ? BioImageIoExport.InputData.UINT8 : BioImageIoExport.InputData.UINT16, null, false);
            packages.put("variant-" + i, folder);
        }
        Map<String, Double> errors = runInPyTorch(python, Files.createDirectories(dir.resolve("work")), packages);
        errors.forEach((n, e) -> assertTrue(e <= 1e-4, n + ": PyTorch differs from the test output by " + e + " of the range"));
    }
}
