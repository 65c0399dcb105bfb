package io.github.superresolve.ij;

import ij.ImagePlus;
import ij.process.FloatProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class FourierSpectrumCommandTest {

    private Context context;

    @BeforeEach
    void setUp() {
        context = new Context(CommandService.class);
    }

    @AfterEach
    void tearDown() {
        context.dispose();
    }

    @Test
    void sharperImageHasMoreHighFrequencyPower() throws Exception {
        int n = 64;
        float[] sharp = new float[n * n], smooth = new float[n * n];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < sharp.length; i++) sharp[i] = r.nextFloat();
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                float s = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) s += sharp[((y + dy + n) % n) * n + (x + dx + n) % n];
                smooth[y * n + x] = s / 9;
            }
        CommandService cs = context.getService(CommandService.class);
        double[] a = spectrum(cs, new ImagePlus("sharp", new FloatProcessor(n, n, sharp)));
        double[] b = spectrum(cs, new ImagePlus("smooth", new FloatProcessor(n, n, smooth)));
        double hiA = 0, hiB = 0;
        for (int i = 16; i < 32; i++) {
            hiA += a[i];
            hiB += b[i];
        }
        assertTrue(hiB < 0.2 * hiA, "a 3x3 mean removes fine detail: " + hiB + " vs " + hiA);
        CommandModule tiny = cs.run(FourierSpectrum.class, true, Map.of("image", new ImagePlus("t", new FloatProcessor(2, 2)))).get();
        assertTrue(tiny.isCanceled());
        assertTrue(tiny.getCancelReason().contains("at least 4x4"), tiny.getCancelReason());
    }

    private static double[] spectrum(CommandService cs, ImagePlus imp) throws Exception {
        CommandModule m = cs.run(FourierSpectrum.class, true, Map.of("image", imp, "bins", 32)).get();
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertNotNull(m.getOutput("plot"));
        return ((FourierSpectrum) m.getCommand()).getSpectrum();
    }
}
