package io.github.superresolve.infer;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.github.superresolve.TestData;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.nn.Generator;
import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.SrResNet;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class ImageUpscalerTest {

    private static Upscaler tinyNet(int channels, int scale) {
        GeneratorConfig c = TestData.tiny(channels, scale);
        return new NetworkUpscaler("tiny", new Generator(c, TestData.tinyParams(c)), 32, -1, 2);
    }

    /** A network whose residual branch outputs zero: exactly bicubic (mirrored borders), so channel routing shows. */
    private static Upscaler bicubicNet(int channels, int scale) {
        GeneratorConfig c = TestData.tiny(channels, scale);
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> p = SrResNet.initParams(c, 1);
        p.get("conv_out/W").assign(0);
        return new NetworkUpscaler("tiny", new Generator(c, p), 32, -1, 2);
    }

    /** A calibrated 16-bit hyperstack, C=2 Z=3 T=2, made from a real photo crop. */
    public static ImagePlus hyperstack() {
        ImageProcessor cam = TestData.open("reference/camera-crop.png").getProcessor();
        int w = cam.getWidth(), h = cam.getHeight();
        ImageStack st = new ImageStack(w, h);
        for (int t = 0; t < 2; t++)
            for (int z = 0; z < 3; z++)
                for (int c = 0; c < 2; c++) {
                    ShortProcessor sp = new ShortProcessor(w, h);
                    // content, not only level, differs per plane: the photo shifted by z and t, so planes
                    // written in the wrong Z/T order do not match their inputs
                    for (int y = 0; y < h; y++)
                        for (int x = 0; x < w; x++) {
                            int v = cam.get((x + 5 * z + 11 * t) % w, (y + 7 * t + 3 * z) % h) * (c == 0 ? 200 : 40) + 1000 * z + 500 * t;
                            sp.set(x, y, c == 0 ? v : 60000 - v);
                        }
                    st.addSlice("c" + c + "z" + z + "t" + t, sp);
                }
        ImagePlus imp = new ImagePlus("cells.tif", st);
        imp.setDimensions(2, 3, 2);
        imp = new CompositeImage(imp, CompositeImage.COMPOSITE);
        Calibration cal = imp.getCalibration();
        cal.pixelWidth = 0.2;
        cal.pixelHeight = 0.2;
        cal.pixelDepth = 0.5;
        cal.setUnit("micron");
        cal.frameInterval = 3;
        return imp;
    }

    private static long[] checksum(ImagePlus imp) {
        long[] s = new long[imp.getStackSize()];
        for (int i = 0; i < s.length; i++) s[i] = Arrays.hashCode((short[]) imp.getStack().getPixels(i + 1));
        return s;
    }

    @Test
    void hyperstackKeepsDimensionsBitDepthAndCalibration() {
        ImagePlus imp = hyperstack();
        long[] before = checksum(imp);
        ImagePlus out = ImageUpscaler.upscale(imp, tinyNet(1, 2), ImageUpscaler.Options.defaults(), Progress.NONE);
        assertArrayEquals(before, checksum(imp), "input must not change");
        assertEquals(imp.getWidth() * 2, out.getWidth());
        assertEquals(imp.getHeight() * 2, out.getHeight());
        assertEquals(2, out.getNChannels());
        assertEquals(3, out.getNSlices());
        assertEquals(2, out.getNFrames());
        assertEquals(16, out.getBitDepth());
        assertTrue(out.isComposite());
        Calibration cal = out.getCalibration();
        assertEquals(0.1, cal.pixelWidth, 1e-12);
        assertEquals(0.1, cal.pixelHeight, 1e-12);
        assertEquals(0.5, cal.pixelDepth, 1e-12);
        assertEquals("micron", cal.getUnit());
        assertEquals("cells_x2_tiny.tif", out.getTitle());
        // every plane is its own input plane upscaled: compare with bicubic of that plane
        for (int c = 1; c <= 2; c++)
            for (int z = 1; z <= 3; z++)
                for (int t = 1; t <= 2; t++) {
                    ImageProcessor src = imp.getStack().getProcessor(imp.getStackIndex(c, z, t));
                    ImageProcessor dst = out.getStack().getProcessor(out.getStackIndex(c, z, t));
                    double corr = correlation(bicubic(src, 2), dst);
                    assertTrue(corr > 0.98, "plane c" + c + " z" + z + " t" + t + " correlation with bicubic " + corr);
                }
    }

    /** Each output plane equals its input plane upscaled alone: order of C, Z and T kept exactly. */
    @Test
    void everyHyperstackPlaneIsItsOwnInputPlaneUpscaled() {
        ImagePlus imp = hyperstack();
        ImageUpscaler.Options fixed = new ImageUpscaler.Options(ImageUpscaler.BitDepth.SAME, ImageUpscaler.Normalization.NONE, 0.1, 99.9);
        Upscaler net = tinyNet(1, 2);
        ImagePlus out = ImageUpscaler.upscale(imp, net, fixed, Progress.NONE);
        for (int c = 1; c <= 2; c++)
            for (int z = 1; z <= 3; z++)
                for (int t = 1; t <= 2; t++) {
                    ImageProcessor src = imp.getStack().getProcessor(imp.getStackIndex(c, z, t));
                    ImagePlus alone = ImageUpscaler.upscale(new ImagePlus("plane", src.duplicate()), net, fixed, Progress.NONE);
                    ImageProcessor dst = out.getStack().getProcessor(out.getStackIndex(c, z, t));
                    assertArrayEquals((short[]) alone.getProcessor().getPixels(), (short[]) dst.getPixels(),
                            "plane c" + c + " z" + z + " t" + t);
                    // and the planes really differ (a transposed order could not pass)
                    if (z > 1) {
                        ImageProcessor prev = out.getStack().getProcessor(out.getStackIndex(c, z - 1, t));
                        assertTrue(correlation(prev, dst) < 0.9, "planes z" + (z - 1) + " and z" + z + " are too alike to tell apart");
                    }
                }
    }

    @Test
    void interpolationOfEightBitMatchesResampler() {
        ImagePlus imp = TestData.open("reference/camera-crop.png");
        ImagePlus out = ImageUpscaler.upscale(imp, new InterpolationUpscaler(Kernel.BICUBIC, 3), ImageUpscaler.Options.defaults(), Progress.NONE);
        ImageProcessor expected = bicubic(imp.getProcessor(), 3);
        int off = 0;
        for (int i = 0; i < expected.getPixelCount(); i++) {
            int e = Math.max(0, Math.min(255, Math.round(expected.getf(i))));
            int d = Math.abs(e - out.getProcessor().get(i));
            assertTrue(d <= 1, "pixel " + i + " differs by " + d);
            off += d;
        }
        assertTrue(off < expected.getPixelCount() / 1000, off + " pixels differ by one (rounding at .5 after normalisation)");
        assertEquals(8, out.getBitDepth());
    }

    @Test
    void rgbThroughRgbAndGreyNetworks() {
        ImagePlus rgb = TestData.open("reference/astronaut-crop.png");
        int[] before = ((int[]) rgb.getProcessor().getPixels()).clone();
        for (Upscaler up : new Upscaler[]{bicubicNet(3, 2), bicubicNet(1, 2)}) {
            ImagePlus out = ImageUpscaler.upscale(rgb, up, ImageUpscaler.Options.defaults(), Progress.NONE);
            assertEquals(24, out.getBitDepth());
            assertEquals(rgb.getWidth() * 2, out.getWidth());
            ColorProcessor cp = (ColorProcessor) out.getProcessor();
            for (int ch = 0; ch < 3; ch++) {
                ImageProcessor in = ((ColorProcessor) rgb.getProcessor()).getChannel(ch + 1, null);
                ImageProcessor o = cp.getChannel(ch + 1, null);
                double corr = correlation(bicubic(in, 2), o);
                assertTrue(corr > 0.995, up.channels() + "-channel network, colour " + ch + ": correlation " + corr);
            }
        }
        assertArrayEquals(before, (int[]) rgb.getProcessor().getPixels());
        ImagePlus f = ImageUpscaler.upscale(rgb, tinyNet(3, 2), new ImageUpscaler.Options(ImageUpscaler.BitDepth.FLOAT32,
                ImageUpscaler.Normalization.AUTO, 0.1, 99.9), Progress.NONE);
        assertEquals(32, f.getBitDepth());
        assertEquals(3, f.getNChannels());
    }

    @Test
    void greyThroughRgbNetworkAndFloatOutput() {
        ImagePlus grey = TestData.open("reference/camera-crop.png");
        ImagePlus out = ImageUpscaler.upscale(grey, tinyNet(3, 4), new ImageUpscaler.Options(ImageUpscaler.BitDepth.FLOAT32,
                ImageUpscaler.Normalization.AUTO, 0.1, 99.9), Progress.NONE);
        assertEquals(32, out.getBitDepth());
        assertEquals(1, out.getNChannels());
        assertTrue(correlation(bicubic(grey.getProcessor(), 4), out.getProcessor()) > 0.95);
        float[] px = (float[]) out.getProcessor().getPixels();
        double mean = 0;
        for (float v : px) mean += v / px.length;
        assertTrue(mean > 50 && mean < 200, "float output stays on the input's 0-255 scale, mean " + mean);
    }

    @Test
    void badInputsGiveOneSentence() {
        ImagePlus tiny = new ImagePlus("dot.tif", new FloatProcessor(1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageUpscaler.upscale(tiny, new InterpolationUpscaler(Kernel.BICUBIC, 2), ImageUpscaler.Options.defaults(), Progress.NONE));
        assertEquals("Image 'dot.tif' is 1x1 pixels; Super-Resolve needs at least 4x4 pixels.", e.getMessage());

        ImagePlus line = new ImagePlus("line.tif", new FloatProcessor(1, 300));
        e = assertThrows(IllegalArgumentException.class,
                () -> ImageUpscaler.upscale(line, new InterpolationUpscaler(Kernel.BICUBIC, 2), ImageUpscaler.Options.defaults(), Progress.NONE));
        assertEquals("Image 'line.tif' is 1x300 pixels; Super-Resolve needs at least 4x4 pixels.", e.getMessage());
        // NaN pixels are no longer refused: NonFiniteValuesTest

        // an 8-bit image with a palette (a GIF opened by ImageJ) holds colour indices, not intensities
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) (i * 97);
            g[i] = (byte) (i * 31);
            b[i] = (byte) (255 - i * 53);
        }
        ij.process.ByteProcessor palette = new ij.process.ByteProcessor(16, 16);
        palette.setLut(new ij.process.LUT(r, g, b));
        ImagePlus gif = new ImagePlus("palette.gif", palette);
        e = assertThrows(IllegalArgumentException.class, () -> ImageUpscaler.validate(gif, 2));
        assertEquals("Image 'palette.gif' is 8-bit indexed colour: convert it to RGB (Image > Type > RGB Color) first.", e.getMessage());
        ij.process.ByteProcessor fire = new ij.process.ByteProcessor(16, 16);
        fire.setLut(ij.process.LUT.createLutFromColor(java.awt.Color.green));
        ImageUpscaler.validate(new ImagePlus("green.tif", fire), 2); // a pseudocolour ramp: intensities
    }

    @Test
    void cancellationStopsBetweenTiles() {
        ImagePlus imp = hyperstack();
        Progress cancelAfterFirst = new Progress() {
            long calls;

            public void report(long done, long total) {
                calls++;
            }

            public boolean isCancelled() {
                return calls >= 1;
            }
        };
        GeneratorConfig c = TestData.tiny(1, 2);
        Generator g = new Generator(c, TestData.tinyParams(c));
        DelegatingNetwork counting = new DelegatingNetwork(g);
        NetworkUpscaler up = new NetworkUpscaler("tiny", counting, 16, -1, 2);
        long units = up.workUnits(imp.getWidth(), imp.getHeight()) * imp.getStackSize();
        assertTrue(units >= 12 * 6, "many tiles of work: " + units);
        assertThrows(java.util.concurrent.CancellationException.class,
                () -> ImageUpscaler.upscale(imp, up, ImageUpscaler.Options.defaults(), cancelAfterFirst));
        assertEquals(1, counting.sizes.size(), "no network call after the cancel (the first batch reported, then it stopped)");
    }

    public static ImageProcessor bicubic(ImageProcessor ip, int s) {
        float[] in = (float[]) ip.convertToFloat().getPixels();
        float[] out = io.github.superresolve.image.Resampler.upscale(in, ip.getWidth(), ip.getHeight(), s, Kernel.BICUBIC);
        return new FloatProcessor(ip.getWidth() * s, ip.getHeight() * s, out);
    }

    public static double correlation(ImageProcessor a, ImageProcessor b) {
        int n = a.getPixelCount();
        assertEquals(n, b.getPixelCount());
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a.getf(i) / n;
            mb += b.getf(i) / n;
        }
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            double x = a.getf(i) - ma, y = b.getf(i) - mb;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    void uncalibratedStaysUncalibratedAsWithImageJsScale() {
        ImagePlus imp = new ImagePlus("plain", new ShortProcessor(16, 12));
        imp.getCalibration().xOrigin = 3;
        ImagePlus out = ImageUpscaler.upscale(imp, new InterpolationUpscaler(Kernel.BICUBIC, 4), ImageUpscaler.Options.defaults(), Progress.NONE);
        Calibration cal = out.getCalibration();
        assertTrue(!cal.scaled(), "an uncalibrated input gives an uncalibrated result, not 0.25 'pixel'");
        assertEquals(1.0, cal.pixelWidth, 0);
        assertEquals("pixel", cal.getUnit());
        assertEquals(12.0, cal.xOrigin, 1e-12, "the origin is in pixels and scales with them");
        // and a calibrated one gets smaller pixels
        imp.getCalibration().pixelWidth = 0.8;
        imp.getCalibration().pixelHeight = 0.8;
        imp.getCalibration().setUnit("micron");
        out = ImageUpscaler.upscale(imp, new InterpolationUpscaler(Kernel.BICUBIC, 4), ImageUpscaler.Options.defaults(), Progress.NONE);
        assertEquals(0.2, out.getCalibration().pixelWidth, 1e-12);
        assertEquals(0.2, out.getCalibration().pixelHeight, 1e-12);
    }
}
