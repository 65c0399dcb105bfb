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
        Comparison.Row bicubic = c.score(Comparison.interpolation("bicubic", Kernel.BICUBIC));
        // one image: the mean PSNR is that image's, derived from its MSE on the 0-255 scale
        assertEquals(10 * Math.log10(255.0 * 255.0 / bicubic.mse255()), bicubic.psnr(), 1e-9);
        assertTrue(bicubic.psnr() > 20 && bicubic.psnr() < 60, "bicubic PSNR " + bicubic.psnr());
        assertTrue(bicubic.ssim() > 0.3 && bicubic.ssim() < 1);
        // a method that ignores its input scores worse than bicubic
        Comparison.Row grey = c.score(new Comparison.Method() {
            public String name() {
                return "grey";
            }

            public float[][] upscale(float[][] lr, int w, int h, int s) {
                float[][] o = new float[lr.length][w * s * h * s];
                for (float[] p : o) java.util.Arrays.fill(p, 0.5f);
                return o;
            }
        });
        assertTrue(grey.psnr() < bicubic.psnr() - 3);
        // a network with the bicubic skip and zero output weights equals bicubic (up to 8-bit rounding)
        var config = new io.github.superresolve.nn.GeneratorConfig(3, 2, 1, 4, false, 0.1, true,
                io.github.superresolve.nn.GeneratorConfig.Upsampling.SUBPIXEL);
        var params = io.github.superresolve.nn.SrResNet.initParams(config, 1);
        params.get("conv_out/W").muli(0);
        Comparison.Row net = c.score(Comparison.network("skip-only", new Generator(config, params)));
        assertEquals(bicubic.psnr(), net.psnr(), 0.3);
        String table = Comparison.table(List.of(bicubic, net), 2, "truth");
        assertTrue(table.contains("| bicubic") && table.contains("MSE (0-255)"), table);
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
        assertTrue(Comparison.table(List.of(bicubic), 2, "t").contains("HF power vs truth"));
    }
}
