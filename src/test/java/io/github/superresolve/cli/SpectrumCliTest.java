package io.github.superresolve.cli;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import io.github.superresolve.TestData;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.github.superresolve.cli.MainCliTest.assertOneError;
import static io.github.superresolve.cli.MainCliTest.list;
import static io.github.superresolve.cli.MainCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code super-resolve spectrum}: PNGs, the CSV of radial spectra, and the errors. */
class SpectrumCliTest {

    @TempDir
    Path tmp;

    /** The committed astronaut crop and its bicubic x4 down-then-up version (Pillow's x4 down, ours up). */
    private Path[] photoAndBicubic() throws IOException {
        Path truth = Files.copy(TestData.resource("reference/astronaut-crop.png"), tmp.resolve("astronaut.png"));
        ColorProcessor small = (ColorProcessor) TestData.open("reference/astronaut-crop_bicubic_down4.png").getProcessor();
        ColorProcessor up = new ColorProcessor(96, 72);
        for (int ch = 1; ch <= 3; ch++) {
            float[] v = (float[]) small.getChannel(ch, null).convertToFloat().getPixels();
            FloatProcessor f = new FloatProcessor(96, 72, Resampler.upscale(v, 24, 18, 4, Kernel.BICUBIC));
            up.setChannel(ch, f.convertToByteProcessor(false));
        }
        Path bicubic = tmp.resolve("bicubic-x4.png");
        assertTrue(new FileSaver(new ImagePlus("b", up)).saveAsPng(bicubic.toString()));
        return new Path[]{truth, bicubic};
    }

    @Test
    void twoInputsGiveTwoPngsAndOneColumnEach() throws IOException {
        Path[] in = photoAndBicubic();
        Path out = tmp.resolve("out");
        MainCliTest.Result r = run("spectrum", in[0].toString(), in[1].toString(), "-o", out.toString(), "--bins", "32");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals(List.of(out.resolve("astronaut_spectrum.png"), out.resolve("bicubic-x4_spectrum.png"), out.resolve("radial_spectrum.csv")),
                list(out), "two images, one table, no temporary files");
        ImagePlus png = new Opener().openImage(out.resolve("astronaut_spectrum.png").toString());
        assertEquals(96, png.getWidth());
        assertEquals(72, png.getHeight());
        assertEquals(8, png.getBitDepth());
        ImagePlus bicubicPng = new Opener().openImage(out.resolve("bicubic-x4_spectrum.png").toString());
        assertEquals(255, Math.max(png.getStatistics().max, bicubicPng.getStatistics().max), 1, "one grey scale for both");
        double outerTruth = outerMean(png), outerBicubic = outerMean(bicubicPng);
        System.out.println("outer ring grey: truth " + outerTruth + ", bicubic " + outerBicubic);
        assertTrue(outerTruth > outerBicubic + 40, "brighter = more power, comparable between the PNGs of a run: "
                + outerTruth + " vs " + outerBicubic);

        List<String> csv = Files.readAllLines(out.resolve("radial_spectrum.csv"));
        assertEquals("radius,astronaut,bicubic-x4", csv.get(0));
        assertEquals(33, csv.size(), "header and 32 bins");
        double hiTruth = 0, hiBicubic = 0;
        for (int i = 1; i <= 32; i++) {
            String[] f = csv.get(i).split(",");
            assertEquals(3, f.length, csv.get(i));
            assertEquals((i - 0.5) / 32, Double.parseDouble(f[0]), 1e-6, "radius at the bin centre, fraction of Nyquist");
            if (i > 16) {
                hiTruth += Double.parseDouble(f[1]);
                hiBicubic += Double.parseDouble(f[2]);
            }
        }
        assertTrue(hiBicubic < 0.01 * hiTruth, "bicubic x4 lost the upper frequencies: " + hiBicubic + " vs " + hiTruth);
        assertTrue(r.out().contains("power in the upper half of the frequencies relative to astronaut:"), r.out());
        String ratio = r.out().lines().filter(l -> l.trim().startsWith("bicubic-x4:")).findFirst().orElseThrow();
        assertEquals(hiBicubic / hiTruth, Double.parseDouble(ratio.split(":")[1].trim()), 1e-3);
    }

    /** Mean grey level beyond half the Nyquist frequency (the centred spectrum's outer ring). */
    private static double outerMean(ImagePlus imp) {
        int w = imp.getWidth(), h = imp.getHeight();
        double sum = 0;
        int n = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double r = Math.hypot((x - w / 2) / (w / 2.0), (y - h / 2) / (h / 2.0));
                if (r > 0.5 && r < 1) {
                    sum += imp.getProcessor().get(x, y);
                    n++;
                }
            }
        return sum / n;
    }

    @Test
    void oneInputHasARadiusPowerTable() throws IOException {
        Path out = tmp.resolve("one");
        Path photo = TestData.resource("reference/camera-crop.png");
        MainCliTest.Result r = run("spectrum", photo.toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(out.resolve("radial_spectrum.csv"));
        assertEquals("radius,power", csv.get(0));
        assertEquals(65, csv.size(), "64 bins by default");
        assertTrue(Files.exists(out.resolve("camera-crop_spectrum.png")));
        assertTrue(r.out().contains("camera-crop_spectrum.png (64x48)"), r.out());
    }

    @Test
    void missingInputExitsWithOneAndWritesNothing() throws IOException {
        Path[] in = photoAndBicubic();
        Path missing = tmp.resolve("missing.png"), out = tmp.resolve("out");
        MainCliTest.Result r = run("spectrum", in[0].toString(), missing.toString(), "-o", out.toString());
        assertOneError(r, 1, missing.toString());
        assertEquals("super-resolve: Input " + missing + " does not exist.", r.err().strip());
        assertFalse(Files.exists(out), "inputs are all checked before anything is written");

        Path notes = Files.writeString(tmp.resolve("notes.png"), "not pixels");
        assertOneError(run("spectrum", notes.toString(), "-o", out.toString()), 1, notes.toString());
        Path tiny = tmp.resolve("tiny.png");
        assertTrue(new FileSaver(new ImagePlus("t", new ColorProcessor(3, 3))).saveAsPng(tiny.toString()));
        MainCliTest.Result t = run("spectrum", tiny.toString(), "-o", out.toString());
        assertOneError(t, 1, tiny.toString());
        assertTrue(t.err().contains("3x3 pixels: a spectrum needs at least 4x4 pixels."), t.err());
        Path other = Files.createDirectories(tmp.resolve("other")).resolve("astronaut.png");
        Files.copy(in[0], other);
        MainCliTest.Result same = run("spectrum", in[0].toString(), other.toString(), "-o", out.toString());
        assertOneError(same, 1, other.toString());
        assertTrue(same.err().contains("would both write astronaut_spectrum.png"), same.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void badOptionsExitWithTwo() throws IOException {
        Path photo = TestData.resource("reference/camera-crop.png");
        Path out = tmp.resolve("out");
        assertOneError(run("spectrum", photo.toString(), "-o", out.toString(), "--bins", "2"), 2, "--bins");
        assertOneError(run("spectrum", photo.toString(), "-o", out.toString(), "--bins", "many"), 2, "'many'");
        assertOneError(run("spectrum", photo.toString(), "-o", out.toString(), "--max-side", "8"), 2, "--max-side");
        assertOneError(run("spectrum", photo.toString(), "-o", out.toString(), "--window", "none"), 2, "--window");
        assertOneError(run("spectrum", photo.toString()), 2, "-o DIR");
        assertOneError(run("spectrum", "-o", out.toString()), 2, "at least one input");
        assertFalse(Files.exists(out));
        assertTrue(run("help").out().contains("spectrum IN... -o DIR [--bins N] [--max-side N]"));
    }
}
