package io.github.superresolve.metrics;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import io.github.superresolve.TestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Whole-image scores against scikit-image 0.19.3 (reference/metrics-images.csv, made by
 * benchmarks/make_metric_fixtures.py): RGB per channel and on luminance, a 16-bit image with the type's
 * range and a given 12-bit range, a 32-bit image with the reference's span, each with and without a border.
 */
class ImageScorerTest {

    @Test
    void matchScikitImageOnRgbLuminance16BitAndFloatImages() throws IOException {
        List<String> lines = Files.readAllLines(TestData.resource("reference/metrics-images.csv"));
        int checked = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            String kase = f[0], channel = f[3];
            int border = Integer.parseInt(f[1]);
            double range = Double.parseDouble(f[2]), mse = Double.parseDouble(f[4]), psnr = Double.parseDouble(f[5]), ssim = Double.parseDouble(f[6]);
            Scores s;
            switch (kase) {
                case "rgb", "luminance" -> s = ImageScorer.score(TestData.open("reference/astronaut-crop.png"),
                        TestData.open("reference/astronaut-crop_down2up2.png"), border, kase.equals("luminance"), 0);
                case "16-bit" -> s = ImageScorer.score(TestData.open("reference/cells16.tif"), TestData.open("reference/cells16_noisy.tif"),
                        border, false, range == 65535 ? 0 : range);
                default -> s = ImageScorer.score(TestData.open("reference/field32.tif"), TestData.open("reference/field32_noisy.tif"),
                        border, false, 0);
            }
            assertEquals(range, s.dataRange(), 1e-6, line);
            double gotMse, gotPsnr, gotSsim;
            if (channel.equals("all") || channel.equals("Y") || channel.equals("grey")) {
                gotMse = s.mse();
                gotPsnr = s.psnr();
                gotSsim = s.ssim();
            } else {
                Scores.Channel c = s.channels().stream().filter(x -> x.name().equals(channel)).findFirst().orElseThrow();
                gotMse = c.mse();
                gotPsnr = c.psnr();
                gotSsim = c.ssim();
            }
            double tol = kase.equals("float") ? 1e-5 : 1e-9;
            assertEquals(mse, gotMse, mse * Math.max(tol, 1e-7), "MSE " + line);
            assertEquals(psnr, gotPsnr, kase.equals("float") ? 1e-4 : 1e-6, "PSNR " + line);
            assertEquals(ssim, gotSsim, kase.equals("float") ? 1e-5 : 1e-7, "SSIM " + line);
            checked++;
        }
        assertEquals(16, checked);
    }

    @Test
    void identicalImagesGiveInfinitePsnrAndSsimOne() {
        ImagePlus a = TestData.open("reference/cells16.tif");
        Scores s = ImageScorer.score(a, a.duplicate(), 2, false, 0);
        assertEquals(0, s.mse());
        assertEquals(Double.POSITIVE_INFINITY, s.psnr());
        assertEquals(1.0, s.ssim(), 1e-12);
        assertEquals("inf", Scores.format(s.psnr(), 2));
    }

    @Test
    void clearSentencesForMismatchedSizesTypesNaNsAndBorders() {
        ImagePlus a = new ImagePlus("truth.tif", new ByteProcessor(40, 30)), b = new ImagePlus("result.tif", new ByteProcessor(40, 32));
        assertEquals("Images 'truth.tif' (40x30) and 'result.tif' (40x32) differ in size: compare images of the same size.",
                assertThrows(IllegalArgumentException.class, () -> ImageScorer.score(a, b, 0, false, 0)).getMessage());
        ImagePlus rgb = new ImagePlus("rgb.png", new ij.process.ColorProcessor(40, 30));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageScorer.score(a, rgb, 0, false, 0)).getMessage()
                .startsWith("Image 'rgb.png' is RGB and 'truth.tif' is not"));
        FloatProcessor fp = new FloatProcessor(40, 30);
        fp.setf(5, 5, Float.NaN);
        fp.setf(6, 5, 1f);
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> ImageScorer.score(new ImagePlus("ok.tif", new FloatProcessor(40, 30, new float[1200])) {{
                    getProcessor().setf(0, 0, 1f);
                }}, new ImagePlus("nan.tif", fp), 0, false, 0));
        assertTrue(nan.getMessage().startsWith("Image 'nan.tif' has NaN or infinite pixels"), nan.getMessage());
        IllegalArgumentException border = assertThrows(IllegalArgumentException.class,
                () -> ImageScorer.score(a, a.duplicate(), 10, false, 0));
        assertTrue(border.getMessage().contains("without a border of 10 pixels"), border.getMessage());
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> ImageScorer.score(new ImagePlus("flat.tif", new FloatProcessor(40, 30)), new ImagePlus("x.tif", new FloatProcessor(40, 30)), 0, false, 0));
        assertTrue(flat.getMessage().contains("give one (data_range)"), flat.getMessage());
    }
}
