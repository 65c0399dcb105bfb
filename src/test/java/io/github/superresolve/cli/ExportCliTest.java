package io.github.superresolve.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code super-resolve export}: the package written, and one sentence (exit 2 or 1) for each mistake. */
class ExportCliTest {

    @TempDir
    Path dir;

    @Test
    void exportsAShippedModelAndRunsItBack() throws Exception {
        Path pkg = dir.resolve("pkg");
        MainCliTest.Result r = MainCliTest.run("export", "srresnet-x2-gray", "-o", pkg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Exported srresnet-x2-gray (16-bit input"), r.out());
        for (String f : new String[]{"rdf.yaml", "weights.onnx", "test_input.npy", "test_output.npy", "cover.png", "README.md"})
            assertTrue(Files.isRegularFile(pkg.resolve(f)), f);
        assertTrue(Files.isRegularFile(dir.resolve("pkg.zip")));

        // again without --replace: refused, nothing touched
        long before = Files.size(dir.resolve("pkg.zip"));
        r = MainCliTest.run("export", "srresnet-x2-gray", "-o", pkg.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("exists: choose another folder, or replace it (--replace)"), r.err());
        assertEquals(before, Files.size(dir.resolve("pkg.zip")));

        // the package's zip as a model of upscale
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(io.github.superresolve.TestData.resource("onnx/grey.png"), in.resolve("grey.png"));
        r = MainCliTest.run("upscale", in.toString(), "-o", dir.resolve("out").toString(), "--model", dir.resolve("pkg.zip").toString(), "--scale", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(dir.resolve("out/grey.png")));
    }

    @Test
    void exportsADeepImageJPackageThatRunsBack() throws Exception {
        Path pkg = dir.resolve("dij");
        MainCliTest.Result r = MainCliTest.run("export", "srresnet-x2", "--format", "deepimagej", "-o", pkg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(pkg.resolve("rdf.yaml")).contains("format_version: 0.4.10"));
        assertFalse(Files.exists(pkg.resolve("weights.pt")), "ONNX weights only");
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(io.github.superresolve.TestData.resource("reference/astronaut-crop.png"), in.resolve("a.png"));
        r = MainCliTest.run("upscale", in.toString(), "-o", dir.resolve("out").toString(), "--model", pkg.resolve("rdf.yaml").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(dir.resolve("out/a.png")));
    }

    @Test
    void mistakesGiveOneSentence() {
        MainCliTest.Result r = MainCliTest.run("export", "srresnet-x2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("No output folder: give -o DIR"), r.err());
        r = MainCliTest.run("export", "srresnet-x2", "-o", dir.resolve("a").toString(), "--format", "tensorflow");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Export format 'tensorflow' is not known: use bioimageio (model description 0.5, for bioimageio.core and BiaPy)"
                + " or deepimagej (format 0.4, for deepImageJ)."), r.err());
        r = MainCliTest.run("export", "srresnet-x2", "-o", dir.resolve("b").toString(), "--input-data", "12-bit");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("Input data '12-bit' is not known: use 8-bit or 16-bit."), r.err());
        r = MainCliTest.run("export", "no-such-model", "-o", dir.resolve("c").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("No model named 'no-such-model'"), r.err());
        assertFalse(Files.exists(dir.resolve("c")) || Files.exists(dir.resolve("c.zip")), "nothing written");
        r = MainCliTest.run("export", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--input-data"), r.out());
    }
}
