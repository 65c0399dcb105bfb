package io.github.superresolve.metrics;

import ij.process.ImageProcessor;
import io.github.superresolve.TestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** MSE, PSNR and SSIM against scikit-image 0.19.3 (reference/metrics.csv) for 8-bit, 16-bit and float data. */
class ImageMetricsTest {

    @Test
    void matchScikitImageForEveryDataRange() throws IOException {
        ImageProcessor ref = TestData.open("reference/camera-crop.png").getProcessor();
        ImageProcessor test = TestData.open("reference/camera-crop_down2up2.png").getProcessor();
        int w = ref.getWidth(), h = ref.getHeight();
        List<String> lines = Files.readAllLines(TestData.resource("reference/metrics.csv"));
        int checked = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double range = Double.parseDouble(f[2]);
            float[] a = scaled(ref, range), b = scaled(test, range);
            double mse = Double.parseDouble(f[3]), psnr = Double.parseDouble(f[4]), ssim = Double.parseDouble(f[5]);
            assertEquals(mse, ImageMetrics.mse(a, b), mse * 1e-5, "MSE, range " + range);
            assertEquals(psnr, ImageMetrics.psnr(a, b, range), 1e-4, "PSNR, range " + range);
            assertEquals(ssim, ImageMetrics.ssim(a, b, w, h, range), 1e-5, "SSIM, range " + range);
            checked++;
        }
        assertEquals(3, checked);
    }

    private static float[] scaled(ImageProcessor ip, double range) {
        float[] f = (float[]) ip.convertToFloat().getPixels();
        float[] out = new float[f.length];
        for (int i = 0; i < f.length; i++)
            out[i] = range == 255 ? f[i] : range == 65535 ? f[i] * 257 : f[i] / 255f;
        return out;
    }

    @Test
    void identicalImagesGiveInfinitePsnrAndSsimOne() {
        float[] a = new float[32 * 32];
        for (int i = 0; i < a.length; i++) a[i] = (i * 37) % 251;
        assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(a, a.clone(), 255));
        assertEquals(1.0, ImageMetrics.ssim(a, a.clone(), 32, 32, 255), 1e-12);
    }

    @Test
    void mismatchedSizesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageMetrics.mse(new float[10], new float[12]));
        assertEquals("Images differ in size (10 and 12 pixels).", e.getMessage());
    }
}
