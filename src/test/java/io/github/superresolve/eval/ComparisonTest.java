package io.github.superresolve.eval;

import io.github.superresolve.TestData;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.nn.Generator;
import io.github.superresolve.train.TrainingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ComparisonTest {

    @Test
    void scoresFollowTheProtocolAndAreConsistent(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("truth"));
        TrainingTest.writeRgb(dir.resolve("one.png"), 70, 61, 3);
        Files.writeString(dir.resolve("two.png"), "broken");
        List<String> warnings = new ArrayList<>();
        Comparison c = Comparison.load(dir, 3, 2, 512, warnings::add);
        assertEquals(1, c.size());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("two.png"));
        // crop to a multiple of the scale; the input is an RGB image half the size with twice the pixel size
        Comparison.Entry e = c.entries().get(0);
        assertEquals(70, e.truth().getWidth());
        assertEquals(60, e.truth().getHeight());
        assertEquals(ij.ImagePlus.COLOR_RGB, e.input().getType());
        assertEquals(35, e.input().getWidth());
        assertEquals(2 * e.truth().getCalibration().pixelWidth, e.input().getCalibration().pixelWidth, 1e-12);
        Comparison.Row bicubic = c.score(Comparison.interpolation("bicubic", Kernel.BICUBIC));
        // one image: the mean PSNR is that image's, derived from its MSE on the 0-255 scale
        assertEquals(10 * Math.log10(255.0 * 255.0 / bicubic.mse()), bicubic.psnr(), 1e-9);
        assertTrue(bicubic.psnr() > 20 && bicubic.psnr() < 60, "bicubic PSNR " + bicubic.psnr());
        assertTrue(bicubic.ssim() > 0.3 && bicubic.ssim() < 1);
        // a network with the bicubic skip and zero output weights equals bicubic (up to 8-bit rounding)
        var config = new io.github.superresolve.nn.GeneratorConfig(3, 2, 1, 4, false, 0.1, true,
                io.github.superresolve.nn.GeneratorConfig.Upsampling.SUBPIXEL);
        var params = io.github.superresolve.nn.SrResNet.initParams(config, 1);
        params.get("conv_out/W").muli(0);
        Comparison.Row net = c.score(Comparison.network("skip-only", new Generator(config, params)));
        assertEquals(bicubic.psnr(), net.psnr(), 0.3);
        // random output weights: far worse than bicubic
        Comparison.Row noisy = c.score(Comparison.network("random", new Generator(config, io.github.superresolve.nn.SrResNet.initParams(config, 1, 1.0))));
        assertTrue(noisy.psnr() < bicubic.psnr() - 3, noisy.psnr() + " vs bicubic " + bicubic.psnr());
        assertEquals(3, c.perImage().size());
        assertEquals(List.of("R", "G", "B"), c.perImage().get(0).scores().channels().stream().map(x -> x.name()).toList());
        // a x2 network cannot be scored at x4
        Comparison x4 = Comparison.load(dir, 3, 4, 512, w -> { });
        assertThrows(IllegalArgumentException.class, () -> x4.score(Comparison.network("skip-only", new Generator(config, params))));
    }

    @Test
    void sixteenBitAndFloatTruthKeepTheirTypeAndUnits() {
        ij.ImagePlus cells = TestData.open("reference/cells16.tif");
        Comparison c = Comparison.of(List.of(cells), Comparison.Options.of(2, 3, 0));
        assertEquals(16, c.entries().get(0).input().getBitDepth());
        Comparison.Row b = c.score(Comparison.interpolation("bicubic", Kernel.BICUBIC));
        assertEquals(10 * Math.log10(65535.0 * 65535.0 / b.mse()), b.psnr(), 1e-9, "16-bit: the type's range");
        assertTrue(b.mse() > 1000, "MSE in 16-bit units: " + b.mse());
        Comparison twelve = Comparison.of(List.of(cells), new Comparison.Options(2, 3, 0, false, 4095));
        Comparison.Row b12 = twelve.score(Comparison.interpolation("bicubic", Kernel.BICUBIC));
        assertEquals(b.mse(), b12.mse(), 1e-9);
        assertEquals(b.psnr() - 20 * Math.log10(65535.0 / 4095.0), b12.psnr(), 1e-9);
        ij.ImagePlus field = TestData.open("reference/field32.tif");
        Comparison f = Comparison.of(List.of(field), Comparison.Options.of(2, 3, 0));
        assertEquals(32, f.entries().get(0).input().getBitDepth());
        Comparison.Row fb = f.score(Comparison.interpolation("lanczos", Kernel.LANCZOS3));
        assertTrue(fb.mse() < 0.1 && fb.psnr() > 20, fb.toString());
        // RGB as luminance for 1-channel models
        Comparison y = Comparison.of(List.of(TestData.open("reference/astronaut-crop.png")), Comparison.Options.of(2, 1, 0));
        assertEquals(8, y.entries().get(0).truth().getBitDepth());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> Comparison.of(List.of(new ij.ImagePlus("tiny.png", new ij.process.ByteProcessor(20, 20))), Comparison.Options.of(4, 3, 0)));
        assertTrue(small.getMessage().startsWith("Image 'tiny.png' is 20x20: too small for x4"), small.getMessage());
    }

    @Test
    void jobOverSeveralScalesWritesTheCsvAndTableOne(@TempDir Path tmp) throws IOException {
        Path dir = TrainingTest.folder(tmp.resolve("truth"), 2, 72);
        Path model = TestData.writeModel(tmp, "tiny-x2", TestData.tiny(3, 2));
        List<String> warnings = new ArrayList<>();
        ComparisonJob.Result r = ComparisonJob.run(new ComparisonJob.Request(dir, null, ComparisonJob.parseScales("2,4"),
                List.of("bicubic", "lanczos", model.toString()), 3, 512, false, 0, true, true, 48),
                new io.github.superresolve.nn.ModelCatalog(List.of()), warnings::add, io.github.superresolve.infer.Progress.NONE);
        assertEquals(5, r.rows().size(), "bicubic, lanczos and the model at x2; bicubic and lanczos at x4");
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("tiny-x2 cannot upscale by 4"), warnings.get(0));
        String csv = ComparisonTables.csv(r.perImage(), r.rows());
        List<String> lines = csv.lines().toList();
        assertEquals("image,method,scale,mse,psnr,ssim,rse,rsp,hf", lines.get(0));
        assertEquals(1 + 10 + 5, lines.size(), csv);
        assertTrue(lines.contains(lines.stream().filter(l -> l.startsWith("mean,bicubic,4,")).findFirst().orElseThrow()));
        String t1 = ComparisonTables.table1(r.rows(), "0-255");
        assertTrue(t1.contains("| x4    | PSNR (dB)") && t1.contains("HF power vs truth"), t1);
        assertTrue(t1.lines().filter(l -> l.startsWith("| x4")).allMatch(l -> l.trim().endsWith("- |")), "the x2 model has no x4 column values: " + t1);
        assertEquals(2, r.montages().size());
        assertEquals(48 + 18, r.montages().get(2).getHeight());
        assertEquals(4 * 48 + 3 * 4, r.montages().get(2).getWidth(), "truth + 3 methods");
        assertThrows(IllegalArgumentException.class, () -> ComparisonJob.parseScales("2,x"));
        assertEquals(List.of(2, 4), ComparisonJob.parseScales("x2 4"));
    }

    @Test
    void radialSpectrumPeaksAtTheSinusoidsFrequency() {
        int n = 64;
        float[] p = new float[n * n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) p[y * n + x] = (float) Math.cos(2 * Math.PI * 8 * x / n); // 1/8 cycle per pixel
        double[] s = RadialSpectrum.compute(p, n, n, 32);
        int best = 0;
        for (int i = 1; i < s.length; i++) if (s[i] > s[best]) best = i;
        assertEquals(8, best, "1/8 cycle per pixel is a quarter of Nyquist: bin 8 of 32");
    }

    @Test
    void interpolationHasLessHighFrequencyPowerThanTheTruth(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("truth"));
        TrainingTest.writeRgb(dir.resolve("one.png"), 64, 64, 5);
        Comparison c = Comparison.load(dir, 3, 2, 512, w -> { }).withSpectra();
        Comparison.Row bicubic = c.score(Comparison.interpolation("bicubic", Kernel.BICUBIC));
        assertTrue(bicubic.highFrequency() > 0 && bicubic.highFrequency() < 0.8, "bicubic HF ratio " + bicubic.highFrequency());
        assertTrue(c.spectra().containsKey("ground truth") && c.spectra().containsKey("bicubic"));
    }
}
