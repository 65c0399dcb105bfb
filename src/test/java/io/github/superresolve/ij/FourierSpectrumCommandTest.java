package io.github.superresolve.ij;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Plot;
import ij.macro.Interpreter;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import io.github.superresolve.nn.Discriminator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Fourier Spectrum command through the CommandService: radial spectra, the overlay plot, the
 * centred spectrum image of both views (the fftGAN view against the discriminator's own SameDiff
 * graph), and the one-sentence errors. Overlay images are found by title through ImageJ's
 * WindowManager, here as the hidden images of batch mode.
 */
class FourierSpectrumCommandTest {

    private Context context;
    private CommandService cs;
    private final List<ImagePlus> open = new ArrayList<>();
    private boolean batchMode;

    @BeforeEach
    void setUp() {
        context = new Context(CommandService.class);
        cs = context.getService(CommandService.class);
        batchMode = Interpreter.batchMode;
        Interpreter.batchMode = true;
    }

    @AfterEach
    void tearDown() {
        for (ImagePlus imp : open) Interpreter.removeBatchModeImage(imp);
        Interpreter.batchMode = batchMode;
        context.dispose();
    }

    /** Makes an image findable by title, as an open image of a batch-mode macro is. */
    private ImagePlus open(ImagePlus imp) {
        Interpreter.addBatchModeImage(imp);
        open.add(imp);
        return imp;
    }

    private CommandModule run(ImagePlus imp, Object... keyValues) throws Exception {
        Map<String, Object> in = new HashMap<>();
        in.put("image", imp);
        for (int i = 0; i < keyValues.length; i += 2) in.put((String) keyValues[i], keyValues[i + 1]);
        return cs.run(FourierSpectrum.class, true, in).get();
    }

    private CommandModule ok(ImagePlus imp, Object... keyValues) throws Exception {
        CommandModule m = run(imp, keyValues);
        assertFalse(m.isCanceled(), m.getCancelReason());
        return m;
    }

    static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) v[i] = r.nextFloat();
        return v;
    }

    @Test
    void sharperImageHasMoreHighFrequencyPower() throws Exception {
        int n = 64;
        float[] sharp = noise(n * n, 1), smooth = new float[n * n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                float s = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) s += sharp[((y + dy + n) % n) * n + (x + dx + n) % n];
                smooth[y * n + x] = s / 9;
            }
        double[] a = spectrum(new ImagePlus("sharp", new FloatProcessor(n, n, sharp)));
        double[] b = spectrum(new ImagePlus("smooth", new FloatProcessor(n, n, smooth)));
        double hiA = 0, hiB = 0;
        for (int i = 16; i < 32; i++) {
            hiA += a[i];
            hiB += b[i];
        }
        assertTrue(hiB < 0.2 * hiA, "a 3x3 mean removes fine detail: " + hiB + " vs " + hiA);
        CommandModule tiny = run(new ImagePlus("t", new FloatProcessor(2, 2)));
        assertTrue(tiny.isCanceled());
        assertEquals("Image 't' is 2x2 pixels: a spectrum needs at least 4x4 pixels.", tiny.getCancelReason());
    }

    private double[] spectrum(ImagePlus imp) throws Exception {
        CommandModule m = ok(imp, "bins", 32);
        assertNotNull(m.getOutput("plot"));
        return ((FourierSpectrum) m.getCommand()).getSpectrum();
    }

    @Test
    void windowedViewIsTheCentredSpectrumOfTheCropOfTheCurrentPlane() throws Exception {
        int w = 300, h = 200;
        ImageStack stack = new ImageStack(w, h);
        stack.addSlice(new FloatProcessor(w, h, noise(w * h, 2)));
        float[] tone = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) tone[y * w + x] = (float) (1000 + 100 * Math.cos(2 * Math.PI * 32 * x / 256.0));
        stack.addSlice(new FloatProcessor(w, h, tone));
        ImagePlus imp = new ImagePlus("tones.tif", stack);
        imp.setSlice(2);
        CommandModule m = ok(imp, "max_side", 256);
        ImagePlus fft = (ImagePlus) m.getOutput("fft");
        assertEquals("FFT of tones.tif", fft.getTitle());
        assertEquals(256, fft.getWidth(), "the centre crop of max_side");
        assertEquals(200, fft.getHeight());
        assertEquals(32, fft.getBitDepth());
        float[] px = (float[]) fft.getProcessor().getPixels();
        int peak = 0;
        for (int i = 1; i < px.length; i++) if (px[i] > px[peak]) peak = i;
        assertEquals(100, peak / 256, "on the horizontal axis");
        assertEquals(32, Math.abs(peak % 256 - 128), "the plane shown (slice 2), 32 cycles across the 256-pixel crop");
        assertTrue(fft.getDisplayRangeMax() > fft.getDisplayRangeMin());
        ImagePlus plot = (ImagePlus) m.getOutput("plot");
        assertEquals("Spectrum of tones.tif", plot.getTitle());
    }

    @Test
    void overlayPlotsOneLinePerImageWithALegend() throws Exception {
        int n = 64;
        ImagePlus a = open(new ImagePlus("a.tif", new FloatProcessor(n, n, noise(n * n, 3))));
        ImagePlus b = open(new ImagePlus("b b.tif", new FloatProcessor(80, 48, noise(80 * 48, 4))));
        ImagePlus c = open(new ImagePlus("c.png", new ColorProcessor(n, n)));
        ((ColorProcessor) c.getProcessor()).setPixels(noiseRgb(n * n));
        CommandModule m = ok(a, "overlay", "b b.tif, c.png", "bins", 16);
        Plot plot = (Plot) ((ImagePlus) m.getOutput("plot")).getProperty(Plot.PROPERTY_KEY);
        assertNotNull(plot, "the output is an ImageJ plot");
        assertEquals(3, lines(plot), "one line per image: " + String.join("; ", plot.getPlotObjectDesignations()));
        List<double[]> spectra = ((FourierSpectrum) m.getCommand()).getSpectra();
        assertEquals(3, spectra.size());
        // white noise of [0, 1) reads its variance 1/12 whatever the size; the line is that spectrum
        float[][] line = plot.getDataObjectArrays(1);
        assertEquals(16, line[0].length);
        assertEquals(spectra.get(1)[5], line[1][5], 1e-6 * spectra.get(1)[5]);
        assertEquals(1.0 / 12, mean(spectra.get(0)), 0.02);
        assertEquals(1.0 / 12, mean(spectra.get(1)), 0.02);
        assertArrayEquals(new String[]{"Data Set 1: a.tif", "Data Set 2: b b.tif", "Data Set 3: c.png"}, plot.getDataObjectDesignations(),
                "the legend names the images, in order");

        // * = every open image but plots and spectrum images made before
        ImagePlus earlier = open((ImagePlus) m.getOutput("fft"));
        open((ImagePlus) m.getOutput("plot"));
        CommandModule all = ok(b, "overlay", "*", "bins", 16);
        List<double[]> s = ((FourierSpectrum) all.getCommand()).getSpectra();
        assertEquals(3, s.size(), "b, then a and c; not " + earlier.getTitle() + " nor the plot");
        assertEquals(3, lines((Plot) ((ImagePlus) all.getOutput("plot")).getProperty(Plot.PROPERTY_KEY)));
    }

    private static int lines(Plot plot) {
        int n = 0;
        for (String d : plot.getDataObjectDesignations()) if (d != null) n++;
        return n;
    }

    static int[] noiseRgb(int n) {
        Random r = new Random(6);
        int[] px = new int[n];
        for (int i = 0; i < n; i++) px[i] = r.nextInt(1 << 24);
        return px;
    }

    static double mean(double[] a) {
        double s = 0;
        for (double v : a) s += v / a.length;
        return s;
    }

    @Test
    void unknownOverlayTitleAndUnknownViewGiveOneSentence() throws Exception {
        ImagePlus a = open(new ImagePlus("a.tif", new FloatProcessor(16, 16, noise(256, 5))));
        CommandModule m = run(a, "overlay", "a.tif,missing.tif");
        assertTrue(m.isCanceled());
        assertEquals("No open image is titled 'missing.tif': give the exact titles of open images in Overlay, separated by commas,"
                + " or * for all open images.", m.getCancelReason());
        CommandModule v = run(a, "view", "sideways");
        assertTrue(v.isCanceled());
        assertEquals("View 'sideways' is unknown: choose 'windowed spectrum' or 'fftGAN discriminator'.", v.getCancelReason());
        float[] nan = noise(256, 5);
        nan[3] = Float.NaN;
        open(new ImagePlus("bad.tif", new FloatProcessor(16, 16, nan)));
        CommandModule n = run(a, "overlay", "bad.tif");
        assertTrue(n.isCanceled());
        assertTrue(n.getCancelReason().startsWith("Image 'bad.tif' has 1 NaN or infinite pixels: replace them first"), n.getCancelReason());
    }

    /** A 16-bit plane: the view must use the 0.1/99.9 percentile normalisation, as training does. */
    @Test
    void fftganViewOfAGreyImageEqualsTheDiscriminatorsOwnGraph() throws Exception {
        int w = 130, h = 110, size = 96;
        Random r = new Random(7);
        ShortProcessor sp = new ShortProcessor(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                sp.set(x, y, (int) (800 + 300 * Math.sin(x * 0.3) * Math.cos(y * 0.17) + 50 * r.nextGaussian() + (r.nextInt(2000) == 0 ? 20000 : 0)));
        ImagePlus imp = new ImagePlus("cells.tif", sp);
        CommandModule m = ok(imp, "view", "fftGAN discriminator");
        ImagePlus view = (ImagePlus) m.getOutput("fft");
        assertEquals("fftGAN view of cells.tif", view.getTitle());
        assertEquals(size, view.getWidth());
        assertEquals(size, view.getHeight());
        assertEquals(1, view.getStackSize());

        // the same patch, normalised independently by the 0.1 / 99.9 percentiles of the whole plane
        float[] all = new float[w * h];
        for (int i = 0; i < all.length; i++) all[i] = sp.get(i);
        float[] sorted = all.clone();
        java.util.Arrays.sort(sorted);
        double lo = percentile(sorted, 0.1), hi = percentile(sorted, 99.9);
        int x0 = (w - size) / 2, y0 = (h - size) / 2;
        float[] patch = new float[size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) patch[y * size + x] = (float) ((all[(y0 + y) * w + x0 + x] - lo) / (hi - lo));
        assertTrue(hi < 2000, "a few bright outliers do not set the range: " + hi);
        assertMatchesDiscriminator(new float[][]{patch}, view, size);
    }

    @Test
    void fftganViewOfAnRgbImageHasOneSlicePerChannel() throws Exception {
        int w = 50, h = 40, size = 32;
        ColorProcessor cp = new ColorProcessor(w, h);
        cp.setPixels(noiseRgb(w * h));
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) if ((x / 4 + y / 4) % 2 == 0) cp.set(x, y, cp.get(x, y) & 0xff00ff); // a green checkerboard
        ImagePlus imp = new ImagePlus("rgb.png", cp);
        CommandModule m = ok(imp, "view", "fftGAN discriminator", "patch", size);
        ImagePlus view = (ImagePlus) m.getOutput("fft");
        assertEquals(3, view.getStackSize());
        assertEquals("green", view.getStack().getSliceLabel(2));
        int x0 = (w - size) / 2, y0 = (h - size) / 2;
        float[][] patch = new float[3][size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) {
                int c = cp.get(x0 + x, y0 + y);
                patch[0][y * size + x] = ((c >> 16) & 0xff) / 255f;
                patch[1][y * size + x] = ((c >> 8) & 0xff) / 255f;
                patch[2][y * size + x] = (c & 0xff) / 255f;
            }
        assertMatchesDiscriminator(patch, view, size);

        CommandModule small = run(imp, "view", "fftGAN discriminator");
        assertTrue(small.isCanceled());
        assertEquals("Image 'rgb.png' is 50x40 pixels: the fftGAN discriminator sees a 96x96 patch: choose a smaller patch size or a larger image.",
                small.getCancelReason());
    }

    /** log1p(Discriminator.fftMagnitude(patch)), run as a SameDiff graph, against the centred view. */
    private static void assertMatchesDiscriminator(float[][] patch, ImagePlus view, int size) {
        int c = patch.length;
        float[] x = new float[c * size * size];
        for (int k = 0; k < c; k++) System.arraycopy(patch[k], 0, x, k * size * size, size * size);
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, c, size, size);
        SDVariable features = sd.math().log1p(Discriminator.fftMagnitude(sd, in, size));
        INDArray out = features.eval(Map.of("x", Nd4j.create(x, new long[]{1, c, size, size}, 'c')));
        double worst = 0;
        for (int k = 0; k < c; k++) {
            float[] v = (float[]) view.getStack().getProcessor(k + 1).getPixels();
            for (int ky = 0; ky < size; ky++)
                for (int kx = 0; kx < size; kx++) {
                    double d = out.getDouble(0, k, ky, kx);
                    double mine = v[((ky + size / 2) % size) * size + (kx + size / 2) % size];
                    worst = Math.max(worst, Math.abs(mine - d) / Math.max(Math.abs(d), 1e-2));
                }
        }
        System.out.println("fftGAN view vs discriminator: largest relative difference " + worst);
        assertTrue(worst < 1e-3, "largest relative difference from the discriminator's features: " + worst);
    }

    /**
     * The percentile of sorted integer data as image/Percentiles defines it (and inference and training
     * use it): the value at index floor(p/100 (n - 1)), no interpolation.
     */
    static double percentile(float[] sorted, double p) {
        return sorted[(int) Math.floor(p / 100 * (sorted.length - 1))];
    }
}
