package io.github.superresolve.ij;

import ij.ImagePlus;
import ij.io.Opener;
import io.github.superresolve.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Fourier Spectrum menu entry from an ImageJ 1.x macro ({@code ij.ImageJ -batch}, under xvfb-run, as
 * {@link ImageJMacroTest}): both views, an overlay, the outputs saved from the macro, and the sentence
 * for an unknown overlay title. Skipped without xvfb-run.
 */
class SpectrumMacroTest {

    @TempDir
    Path tmp;

    @Test
    void macroWritesTheSpectrumImagesAndThePlot() throws Exception {
        assumeTrue(ImageJBatch.available(), "xvfb-run is not installed (apt-get install xvfb): macro test skipped");
        Path plugins = tmp.resolve("imagej");
        io.github.superresolve.cli.ImageJToolAccess.writeMenuJar(plugins.resolve("plugins"));
        Path dir = Files.createDirectories(tmp.resolve("spectra dir"));
        Files.copy(TestData.resource("reference/astronaut-crop.png"), dir.resolve("astronaut.png"));
        Files.copy(TestData.resource("reference/astronaut-crop_bicubic_up4.png"), dir.resolve("up4.png")); // 384x288
        Path macro = tmp.resolve("spectrum.ijm");
        Files.writeString(macro, String.join("\n",
                "dir = getArgument();",
                "open(dir + 'astronaut.png');",
                "open(dir + 'up4.png');",
                "run('Fourier Spectrum...', 'image=[astronaut.png] bins=64 max_side=256 overlay=[up4.png]');",
                "selectImage('FFT of astronaut.png');",
                "print('fft ' + getWidth() + 'x' + getHeight() + ' ' + bitDepth());",
                "saveAs('Tiff', dir + 'fft.tif');",
                "selectImage('Spectrum of astronaut.png and 1 more');",
                "saveAs('PNG', dir + 'plot.png');",
                "run('Fourier Spectrum...', 'image=[up4.png] view=[fftGAN discriminator] patch=96');",
                "selectImage('fftGAN view of up4.png');",
                "saveAs('Tiff', dir + 'fftgan.tif');",
                "print('spectra written');",
                "run('Fourier Spectrum...', 'image=[astronaut.png] overlay=[no such.png]');",
                "print('after the error');",
                ""));
        String out = ImageJBatch.run(plugins, macro, dir + "/", tmp, 120);

        assertTrue(out.contains("fft 96x72 32"), "the windowed spectrum is the size of the image, 32-bit: " + out);
        assertTrue(out.contains("spectra written"), out);
        assertTrue(out.contains("Fourier Spectrum: No open image is titled 'no such.png': give the exact titles of open images in Overlay"), out);
        // a failing command stops the macro, also under -batch (the bridge calls Interpreter.abort())
        assertTrue(!out.contains("after the error"), "the macro must stop at the error: " + out);
        assertEquals(1, out.lines().filter(l -> l.contains("No open image is titled")).count(), "one sentence: " + out);

        ImagePlus fft = new Opener().openImage(dir.resolve("fft.tif").toString());
        assertEquals(96, fft.getWidth());
        assertEquals(72, fft.getHeight());
        assertEquals(32, fft.getBitDepth());
        float[] px = (float[]) fft.getProcessor().getPixels();
        double centre = 0, border = 0;
        for (int y = 30; y < 42; y++)
            for (int x = 42; x < 54; x++) centre += px[y * 96 + x] / 144.0;
        for (int x = 0; x < 96; x++) border += px[x] / 96.0;
        assertTrue(centre > border + 2, "a photo has orders of magnitude more power at low frequencies: " + centre + " vs " + border);
        ImagePlus fftgan = new Opener().openImage(dir.resolve("fftgan.tif").toString());
        assertEquals(96, fftgan.getWidth());
        assertEquals(3, fftgan.getStackSize(), "one slice per RGB channel");
        ImagePlus plot = new Opener().openImage(dir.resolve("plot.png").toString());
        assertTrue(plot.getWidth() > 300 && plot.getHeight() > 200, "a rendered plot " + plot.getWidth() + "x" + plot.getHeight());
    }
}
