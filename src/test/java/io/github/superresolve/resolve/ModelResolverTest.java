package io.github.superresolve.resolve;

import ij.ImagePlus;
import ij.io.Opener;
import io.github.superresolve.TestData;
import io.github.superresolve.cli.Main;
import io.github.superresolve.eval.Comparison;
import io.github.superresolve.infer.ImageUpscaler;
import io.github.superresolve.infer.Progress;
import io.github.superresolve.infer.Upscaler;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.nn.ModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One way to name a model: interpolation, installed and recursive models, a model zip, an ONNX file;
 * their scales (a missing one is the model's own), channels and errors; and the front ends that used
 * to read model arguments each their own way ({@code upscale}, {@code compare}).
 */
class ModelResolverTest {

    static final ModelResolver STANDARD = ModelResolver.standard();

    static String onnx(String name) {
        return TestData.resource("onnx/" + name).toString();
    }

    @Test
    void interpolationTakesAnyScaleAndFourWhenNoneIsAsked() {
        for (String name : new String[]{"bicubic", "Lanczos", "lanczos3"}) {
            ResolvedModel m = STANDARD.resolve(name);
            assertEquals(ResolvedModel.Kind.INTERPOLATION, m.kind());
            assertEquals(4, m.scaleFor(-1));
            assertEquals(3, m.scaleFor(3));
            assertTrue(m.takes(1) && m.takes(3));
            assertNull(STANDARD.declaredScale(name), "a dialog keeps its scale for interpolation");
        }
        assertEquals("lanczos", STANDARD.resolve("lanczos3").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> STANDARD.resolve("bicubic").scaleFor(17));
        assertEquals("Scale 17 is not supported: choose a scale from 2 to 16.", e.getMessage());
    }

    @Test
    void anInstalledModelRunsAtItsOwnScaleAndSaysWhatToAskOtherwise() {
        ResolvedModel m = STANDARD.resolve("srresnet-x2");
        assertEquals(ResolvedModel.Kind.SUPER_RESOLVE, m.kind());
        assertEquals(2, m.scale());
        assertEquals(2, m.scaleFor(-1));
        assertEquals(3, m.channels());
        assertTrue(m.radius() > 0);
        assertEquals(2, STANDARD.declaredScale("srresnet-x2"));
        ModelException e = assertThrows(ModelException.class, () -> m.scaleFor(4));
        assertEquals("Model srresnet-x2 upscales by 2, but scale 4 was asked: set scale=2, leave the scale out, or choose a model for x4.",
                e.getMessage());
    }

    @Test
    void aRecursiveModelReachesEveryPowerOfItsStage() {
        ResolvedModel m = STANDARD.resolve("rgan-x4");
        assertEquals(4, m.scaleFor(-1));
        for (int s : new int[]{2, 4, 8, 16}) assertTrue(m.supports(s), "x" + s);
        for (int s : new int[]{3, 6, 12}) assertFalse(m.supports(s), "x" + s);
        assertEquals("rgan-x4-x8", m.upscaler(8).name());
        assertEquals("rgan-x4", m.upscaler(-1).name());
        assertEquals("Model rgan-x4 upscales by powers of 2 (2, 4, 8, 16), but scale 3 was asked: set scale=4, leave the scale out,"
                + " or choose a model for x3.", assertThrows(ModelException.class, () -> m.scaleFor(3)).getMessage());
    }

    @Test
    void aModelZipDeclaresItsScaleFromItsCardAlone(@TempDir Path tmp) throws Exception {
        Path zip = TestData.writeModel(tmp, "tiny-x2", TestData.tiny(1, 2));
        ModelResolver r = new ModelResolver(new ModelCatalog(java.util.List.of()));
        assertEquals(2, r.declaredScale(zip.toString()));
        ResolvedModel m = r.resolve(zip.toString());
        assertEquals(1, m.channels());
        assertEquals("tiny-x2", m.name());
        assertNull(r.declaredScale(tmp.resolve("missing.zip").toString()), "unreadable: reported when used, not by a dialog");
    }

    @Test
    void anOnnxFileRunsAtItsMeasuredScaleWithoutOneBeingAsked() {
        ResolvedModel m = STANDARD.resolve(onnx("espcn-x2-grey.onnx"));
        assertEquals(ResolvedModel.Kind.FOREIGN, m.kind());
        assertEquals(2, m.scaleFor(-1));
        assertEquals(1, m.channels());
        assertFalse(m.takes(3));
        assertNull(STANDARD.declaredScale(onnx("espcn-x2-grey.onnx")), "a bare ONNX file's scale is known once it runs");
        ImagePlus grey = new Opener().openImage(onnx("grey.png"));
        Upscaler up = m.upscaler(-1);
        ImagePlus out = ImageUpscaler.upscale(grey, up, ImageUpscaler.Options.defaults(), Progress.NONE);
        assertEquals(2 * grey.getWidth(), out.getWidth());
        assertThrows(ModelException.class, () -> m.scaleFor(4));
    }

    @Test
    void compareAcceptsEveryKindOfModel() {
        Comparison.Method net = Comparison.method(onnx("edsr-x2-rgb.onnx"), STANDARD.catalog(), 3);
        assertTrue(net.supports(2));
        assertFalse(net.supports(4));
        Comparison.Method recursive = Comparison.method("rgan-x4", STANDARD.catalog(), 3);
        assertTrue(recursive.supports(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Comparison.method(onnx("espcn-x2-grey.onnx"), STANDARD.catalog(), 3));
        assertTrue(e.getMessage().endsWith("has 1 channel(s), not 3: set channels to 1."), e.getMessage());
    }

    static String[] run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new String[]{String.valueOf(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void upscaleAndCompareTakeAnOnnxFileWithoutAScale(@TempDir Path tmp) throws Exception {
        String[] r = run("upscale", onnx("rgb.png"), "-o", tmp.resolve("out").toString(), "--model", onnx("edsr-x2-rgb.onnx"), "--quiet");
        assertEquals("0", r[0], r[2]);
        Path written;
        try (var files = Files.list(tmp.resolve("out"))) {
            written = files.findFirst().orElseThrow();
        }
        ImagePlus in = new Opener().openImage(onnx("rgb.png")), out = new Opener().openImage(written.toString());
        assertNotNull(out, "unreadable output " + written);
        assertEquals(2 * in.getWidth(), out.getWidth());

        Path hr = Files.createDirectories(tmp.resolve("hr"));
        Files.copy(TestData.resource("samples/coffee.png"), hr.resolve("coffee.png"));
        String[] c = run("compare", "--hr-dir", hr.toString(), "--scale", "2", "--methods", "bicubic,srresnet-x2," + onnx("edsr-x2-rgb.onnx"));
        assertEquals("0", c[0], c[2]);
        assertTrue(c[1].contains("edsr"), c[1]);
        assertTrue(c[1].contains("srresnet-x2"), c[1]);
    }
}
