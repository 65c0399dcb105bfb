package io.github.superresolve.consistency;

import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The degradations: what they compute, and the text users type for them. */
class DegradationTest {

    @Test
    void bicubicIsExactlyTheTrainingInputsDownscale() {
        float[] out = Planes.bicubic(Planes.camera(), 64, 48, 4);
        assertArrayEquals(Resampler.downscale(out, 256, 192, 4, Kernel.BICUBIC), Degradation.bicubic().apply(out, 256, 192, 64, 48));
        // sizes that are no multiple: a resize to the exact size
        float[] odd = Planes.smooth(130, 97, 0, 1);
        assertArrayEquals(Resampler.resize(odd, 130, 97, 32, 24, Kernel.BICUBIC), Degradation.bicubic().apply(odd, 130, 97, 32, 24));
    }

    @Test
    void boxIsTheBlockMean() {
        float[] out = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        assertArrayEquals(new float[]{(1 + 2 + 5 + 6) / 4f, (3 + 4 + 7 + 8) / 4f}, Degradation.box().apply(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2, 2, 1));
        assertArrayEquals(new float[]{(1 + 2 + 5 + 6 + 9 + 10) / 6f, (3 + 4 + 7 + 8 + 11 + 12) / 6f}, Degradation.box().apply(out, 4, 3, 2, 1));
        // not a multiple: 3 -> 2 weighs the middle pixel half to each side
        assertArrayEquals(new float[]{(1 + 0.5f * 2) / 1.5f, (0.5f * 2 + 3) / 1.5f}, Degradation.box().apply(new float[]{1, 2, 3}, 3, 1, 2, 1), 1e-6f);
    }

    @Test
    void gaussianBlursThenAverages() {
        float[] out = Planes.smooth(40, 30, 0, 1);
        // a tiny sigma is the box
        assertArrayEquals(Degradation.box().apply(out, 40, 30, 20, 15), Degradation.gaussian(0.05).apply(out, 40, 30, 20, 15), 1e-6f);
        // a single bright output pixel spreads to its neighbours, the total kept away from the border
        float[] dot = new float[40 * 40];
        dot[20 * 40 + 20] = 1;
        float[] d = Degradation.gaussian(2).apply(dot, 40, 40, 10, 10);
        double sum = 0;
        for (float v : d) sum += v;
        assertEquals(1 / 16.0, sum, 1e-6);
        assertTrue(d[5 * 10 + 4] > 0 && d[5 * 10 + 6] > 0 && d[5 * 10 + 5] > d[5 * 10 + 6]);
        // constants are kept, also at the border and for a kernel wider than the image
        float[] flat = new float[8 * 8];
        java.util.Arrays.fill(flat, 5);
        for (float v : Degradation.gaussian(10).apply(flat, 8, 8, 2, 2)) assertEquals(5, v, 1e-5);
    }

    /** The axis-by-axis implementation equals a plain 2-D Gaussian blur (reflected borders) followed by block means. */
    @ParameterizedTest
    @CsvSource({"0.8,2", "1.5,3", "3,4", "6,2"})
    void gaussianEqualsThePlainTwoDimensionalDefinition(double sigma, int r) {
        int w = 15 * r, h = 11 * r;
        float[] out = Planes.smooth(w, h, -5, 300);
        for (int i = 0; i < out.length; i += 7) out[i] += 40; // some detail
        int rad = Math.max(1, (int) Math.ceil(4 * sigma));
        double[][] k2 = new double[2 * rad + 1][2 * rad + 1];
        double sum = 0;
        for (int j = -rad; j <= rad; j++)
            for (int i = -rad; i <= rad; i++) sum += k2[j + rad][i + rad] = Math.exp(-0.5 * (i * i + j * j) / (sigma * sigma));
        double[] blurred = new double[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int j = -rad; j <= rad; j++)
                    for (int i = -rad; i <= rad; i++)
                        acc += k2[j + rad][i + rad] / sum * out[Degradation.reflect(y + j, h) * w + Degradation.reflect(x + i, w)];
                blurred[y * w + x] = acc;
            }
        float[] d = Degradation.gaussian(sigma).apply(out, w, h, w / r, h / r);
        for (int y = 0; y < h / r; y++)
            for (int x = 0; x < w / r; x++) {
                double mean = 0;
                for (int j = 0; j < r; j++) for (int i = 0; i < r; i++) mean += blurred[(y * r + j) * w + x * r + i] / (r * r);
                assertEquals(mean, d[y * (w / r) + x], 1e-3, "pixel " + x + "," + y);
            }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"bicubic;bicubic", " BICUBIC ;bicubic", "box;box", "Box;box", "gaussian:1.5;gaussian:1.5",
            "gaussian=2;gaussian:2", "Gaussian : 0.7 ;gaussian:0.7", "gaussian:1e-1;gaussian:0.1"})
    void parsesWhatUsersType(String text, String canonical) {
        Degradation d = Degradation.parse(text);
        assertEquals(canonical, d.toString());
        assertEquals(d, Degradation.parse(d.toString()));
    }

    @Test
    void nullOrBlankIsTheDefault() {
        assertEquals(Degradation.bicubic(), Degradation.parse(null));
        assertEquals(Degradation.bicubic(), Degradation.parse("  "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"xyz", "bilinear", "gauss:1", "box:2", "lanczos"})
    void unknownTextIsRefusedWithASentence(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Degradation.parse(text));
        assertEquals("Degradation '" + text + "' is not known: use bicubic, box or gaussian:SIGMA (SIGMA in output pixels, > 0).", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gaussian:-1", "gaussian:0", "gaussian:abc", "gaussian:NaN", "gaussian:Infinity", "gaussian:", "gaussian:1.5f"})
    void badSigmaIsRefusedWithASentence(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Degradation.parse(text));
        String sigma = text.substring("gaussian:".length());
        assertEquals("Degradation '" + text + "': SIGMA must be a number > 0 (in output pixels), not '" + sigma + "'.", e.getMessage());
    }

    @Test
    void gaussianWithoutSigmaSaysHowToWriteIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Degradation.parse("gaussian"));
        assertEquals("Degradation 'gaussian' needs a sigma: write gaussian:SIGMA, e.g. gaussian:1.5 (SIGMA in output pixels, > 0).", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Degradation.gaussian(-0.5));
        assertThrows(IllegalArgumentException.class, () -> new Degradation(Degradation.Kind.BOX, 1));
    }

    @Test
    void outputSmallerThanInputIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Degradation.box().apply(new float[16], 4, 4, 8, 8));
        assertTrue(e.getMessage().startsWith("Cannot degrade a 4x4 output onto a larger input of 8x8"), e.getMessage());
    }
}
