package io.github.superresolve.consistency;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;
import ij.process.ShortProcessor;
import io.github.superresolve.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Consistency of whole ImageJ images: hyperstacks, RGB, the map's layout, calibration and display, the CSV. */
class ImageConsistencyTest {

    /** A 16-bit hyperstack of c channels, z slices and t frames, calibrated 0.2 x 0.25 um, each plane different. */
    private static ImagePlus hyperstack(int w, int h, int c, int z, int t) {
        ImageStack s = new ImageStack(w, h);
        for (int i = 0; i < c * z * t; i++) {
            float[] p = Planes.smooth(w, h, 100 + 50 * i, 3000 + 400 * i);
            short[] v = new short[w * h];
            for (int j = 0; j < v.length; j++) v[j] = (short) Math.round(p[j]);
            s.addSlice(new ShortProcessor(w, h, v, null));
        }
        ImagePlus imp = new ImagePlus("cells.tif", s);
        imp.setDimensions(c, z, t);
        imp.setOpenAsHyperStack(true);
        Calibration cal = imp.getCalibration();
        cal.pixelWidth = 0.2;
        cal.pixelHeight = 0.25;
        cal.pixelDepth = 0.5;
        cal.setUnit("micron");
        return imp;
    }

    /** Every plane upscaled by nearest neighbour to 32-bit, calibration divided by r, as ImageUpscaler does. */
    private static ImagePlus nearestOutput(ImagePlus in, int r, String title) {
        int w = in.getWidth(), h = in.getHeight();
        ImageStack s = new ImageStack(w * r, h * r);
        for (int i = 1; i <= in.getStackSize(); i++) {
            float[] p = (float[]) in.getStack().getProcessor(i).convertToFloat().getPixels();
            s.addSlice(new FloatProcessor(w * r, h * r, Planes.nearest(p, w, h, r)));
        }
        ImagePlus out = new ImagePlus(title, s);
        out.setDimensions(in.getNChannels(), in.getNSlices(), in.getNFrames());
        out.setOpenAsHyperStack(true);
        Calibration cal = in.getCalibration().copy();
        cal.pixelWidth /= r;
        cal.pixelHeight /= r;
        out.setCalibration(cal);
        return out;
    }

    @Test
    void hyperstackGivesARowPerPlaneAndAMapOfTheSameLayoutAndCalibration() {
        ImagePlus in = hyperstack(24, 20, 2, 3, 1);
        ImagePlus out = nearestOutput(in, 2, "cells_x2_nearest.tif");
        ConsistencyReport rep = ImageConsistency.analyse(in, out, new ImageConsistency.Options(Degradation.box(), false));
        assertEquals(2, rep.scale());
        assertEquals("cells_x2_nearest", rep.name());
        List<ConsistencyRow> rows = rep.rows();
        assertEquals(6, rows.size());
        int i = 0;
        for (int z = 1; z <= 3; z++)
            for (int c = 1; c <= 2; c++) {
                ConsistencyRow row = rows.get(i++);
                assertEquals(String.valueOf(c), row.channel());
                assertEquals(z, row.slice());
                assertEquals(1, row.frame());
                assertEquals("cells_x2_nearest", row.image());
                assertTrue(row.rse() < 1e-3 && row.rsp() > 0.99999, row.toString());
                assertEquals(24 * 20, row.pixels());
            }
        ImagePlus map = rep.map();
        assertEquals("cells_x2_nearest-consistency", map.getTitle());
        assertEquals(32, map.getBitDepth());
        assertEquals(24, map.getWidth());
        assertEquals(20, map.getHeight());
        assertEquals(2, map.getNChannels());
        assertEquals(3, map.getNSlices());
        assertEquals(1, map.getNFrames());
        assertTrue(map.isHyperStack());
        Calibration cal = map.getCalibration();
        assertEquals(0.2, cal.pixelWidth);
        assertEquals(0.25, cal.pixelHeight);
        assertEquals(0.5, cal.pixelDepth);
        assertEquals("micron", cal.getUnit());
        assertTrue(map instanceof CompositeImage);
        assertEquals(0.0, rep.overallRse(), 1e-3);
        assertEquals(1.0, rep.overallRsp(), 1e-6);
        assertTrue(String.valueOf(map.getProperty("Info")).contains("Degradation: box"));
    }

    @Test
    void eachPlaneIsComparedWithItsOwnInputPlane() {
        ImagePlus in = hyperstack(24, 20, 2, 1, 2);
        ImagePlus out = nearestOutput(in, 3, "out");
        // paint channel 2 of frame 2 only
        ImageProcessor ip = out.getStack().getProcessor(out.getStackIndex(2, 1, 2));
        for (int y = 9; y < 30; y++) for (int x = 9; x < 30; x++) ip.setf(x, y, ((x / 2 + y / 2) % 2) * 4000f);
        ConsistencyReport rep = ImageConsistency.analyse(in, out, 3, new ImageConsistency.Options(Degradation.bicubic(), false));
        assertEquals(4, rep.rows().size());
        ConsistencyRow painted = rep.rows().get(3);
        assertEquals("2", painted.channel());
        assertEquals(2, painted.frame());
        for (int k = 0; k < 3; k++) assertTrue(rep.rows().get(k).rsp() > painted.rsp() + 0.01, rep.rows().toString());
        ImagePlus map = rep.map();
        assertEquals(2, map.getNFrames());
        float[] m22 = (float[]) map.getStack().getPixels(map.getStackIndex(2, 1, 2));
        float[] m21 = (float[]) map.getStack().getPixels(map.getStackIndex(2, 1, 1));
        assertTrue(m22[5 * 24 + 5] > 10 * m21[5 * 24 + 5] + 100, m22[5 * 24 + 5] + " vs " + m21[5 * 24 + 5]);
    }

    @Test
    void rgbIsAnalysedPerComponentOrAsLuminance() {
        ImagePlus in = TestData.open("reference/astronaut-crop.png"); // RGB 96 x 72
        int w = in.getWidth(), h = in.getHeight();
        int[] px = (int[]) in.getProcessor().getPixels();
        int[] big = new int[w * 2 * h * 2];
        for (int y = 0; y < h * 2; y++) for (int x = 0; x < w * 2; x++) big[y * w * 2 + x] = px[(y / 2) * w + x / 2];
        ImagePlus out = new ImagePlus("astronaut_x2.png", new ColorProcessor(w * 2, h * 2, big));
        ConsistencyReport rgb = ImageConsistency.analyse(in, out, new ImageConsistency.Options(Degradation.box(), false));
        assertEquals(List.of("R", "G", "B"), rgb.rows().stream().map(ConsistencyRow::channel).toList());
        for (ConsistencyRow r : rgb.rows()) assertTrue(r.rse() < 1e-3 && r.rsp() > 0.99999, r.toString());
        assertEquals(3, rgb.map().getNChannels());
        ConsistencyReport y = ImageConsistency.analyse(in, out, new ImageConsistency.Options(Degradation.box(), true));
        assertEquals(List.of("Y"), y.rows().stream().map(ConsistencyRow::channel).toList());
        assertEquals(1, y.map().getNChannels());
        assertEquals(1, y.map().getStackSize());

        // the 32-bit result of an RGB image: three float channels
        ImageStack s = new ImageStack(w * 2, h * 2);
        for (int c = 0; c < 3; c++) {
            float[] f = new float[big.length];
            for (int i = 0; i < f.length; i++) f[i] = (big[i] >> (16 - 8 * c)) & 0xff;
            s.addSlice(new FloatProcessor(w * 2, h * 2, f));
        }
        ImagePlus out32 = new ImagePlus("astronaut_x2.tif", s);
        out32.setDimensions(3, 1, 1);
        ConsistencyReport f = ImageConsistency.analyse(in, out32, new ImageConsistency.Options(Degradation.box(), false));
        for (int k = 0; k < 3; k++) assertEquals(rgb.rows().get(k).rse(), f.rows().get(k).rse(), 1e-9);
        ConsistencyReport fy = ImageConsistency.analyse(in, out32, new ImageConsistency.Options(Degradation.box(), true));
        assertEquals(y.rows().get(0).rse(), fy.rows().get(0).rse(), 1e-4);
    }

    @Test
    void mapHasAnErrorLutAndARangeUpToItsLargestError() {
        ImagePlus in = new ImagePlus("in", new FloatProcessor(32, 24, Planes.smooth(32, 24, 0, 1)));
        float[] o = Planes.painted(Planes.bicubic(Planes.smooth(32, 24, 0, 1), 32, 24, 2), 32, 2, 4, 4, 10, 10);
        ImagePlus out = new ImagePlus("out", new FloatProcessor(64, 48, o));
        ImagePlus map = ImageConsistency.analyse(in, out, ImageConsistency.Options.defaults()).map();
        assertFalse(map.getProcessor().isDefaultLut());
        LUT lut = map.getProcessor().getLut();
        assertEquals(0, lut.getRed(0) + lut.getGreen(0) + lut.getBlue(0), "black for agreement");
        assertEquals(3 * 255, lut.getRed(255) + lut.getGreen(255) + lut.getBlue(255), "white for the largest error");
        double max = 0;
        for (float v : (float[]) map.getProcessor().getPixels()) max = Math.max(max, v);
        assertEquals(0, map.getDisplayRangeMin());
        assertEquals(max, map.getDisplayRangeMax(), 1e-6);
    }

    @Test
    void mapIsEnlargedOntoTheOutputWithItsCalibration() {
        ImagePlus in = hyperstack(16, 12, 2, 2, 1);
        ImagePlus out = nearestOutput(in, 4, "out.tif");
        float[] first = (float[]) out.getStack().getPixels(1);
        first[0] = Float.NaN;
        ConsistencyReport rep = ImageConsistency.analyse(in, out, ImageConsistency.Options.defaults());
        for (ImageConsistency.Enlargement how : ImageConsistency.Enlargement.values()) {
            ImagePlus big = ImageConsistency.enlarge(rep.map(), out, how);
            assertEquals("out-consistency-enlarged", big.getTitle());
            assertEquals(64, big.getWidth());
            assertEquals(48, big.getHeight());
            assertEquals(2, big.getNChannels());
            assertEquals(2, big.getNSlices());
            assertEquals(0.05, big.getCalibration().pixelWidth, 1e-12);
            assertEquals(0.0625, big.getCalibration().pixelHeight, 1e-12);
            assertEquals("micron", big.getCalibration().getUnit());
            float[] b = (float[]) big.getStack().getPixels(1);
            for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) assertTrue(Float.isNaN(b[y * 64 + x]), how + " keeps the NaN block");
            assertFalse(Float.isNaN(b[4]));
            for (float v : b) assertTrue(Float.isNaN(v) || v >= 0, how + " value " + v);
            if (how == ImageConsistency.Enlargement.NEAREST) {
                float[] m = (float[]) rep.map().getStack().getPixels(2);
                float[] e = (float[]) big.getStack().getPixels(2);
                for (int y = 0; y < 48; y++) for (int x = 0; x < 64; x++) assertEquals(m[(y / 4) * 16 + x / 4], e[y * 64 + x]);
            }
        }
        assertEquals(ImageConsistency.Enlargement.BICUBIC, ImageConsistency.Enlargement.parse(" Bicubic"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageConsistency.Enlargement.parse("lanczos"));
        assertEquals("Map enlargement 'lanczos' is not known: use nearest or bicubic.", e.getMessage());
    }

    @Test
    void imagesThatDoNotBelongTogetherAreRefusedWithASentence() {
        ImagePlus in = hyperstack(24, 20, 2, 3, 1);
        ImagePlus out = nearestOutput(in, 2, "out.tif");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageConsistency.analyse(in, out, 3, ImageConsistency.Options.defaults()));
        assertEquals("Output 'out.tif' is 48x40 pixels, but input 'cells.tif' (24x20) at scale 3 becomes 72x60: "
                + "give the output this input was super-resolved into, and its scale.", e.getMessage());
        for (int bad : new int[]{0, -1}) {
            e = assertThrows(IllegalArgumentException.class, () -> ImageConsistency.analyse(in, out, bad, ImageConsistency.Options.defaults()));
            assertEquals("Scale " + bad + " is not valid: the scale of a super-resolution is a whole number of 1 or more.", e.getMessage());
        }
        ImagePlus odd = new ImagePlus("odd.tif", new FloatProcessor(50, 40));
        e = assertThrows(IllegalArgumentException.class, () -> ImageConsistency.analyse(hyperstack(24, 20, 1, 1, 1), odd, ImageConsistency.Options.defaults()));
        assertEquals("Output 'odd.tif' (50x40) is not input 'cells.tif' (24x20) enlarged by a whole number: "
                + "give the output this input was super-resolved into.", e.getMessage());
        ImagePlus fewer = nearestOutput(hyperstack(24, 20, 2, 2, 1), 2, "fewer.tif");
        e = assertThrows(IllegalArgumentException.class, () -> ImageConsistency.analyse(in, fewer, ImageConsistency.Options.defaults()));
        assertEquals("Input 'cells.tif' and output 'fewer.tif' differ in channels, slices or frames (2 channels, 3 slices, 1 frames "
                + "and 2 channels, 2 slices, 1 frames): give the output this input was super-resolved into.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageConsistency.analyse(null, out, ImageConsistency.Options.defaults()));
        assertTrue(e.getMessage().startsWith("No input image was given"));
        e = assertThrows(IllegalArgumentException.class, () -> new ImageConsistency.Options(null, false));
        assertTrue(e.getMessage().startsWith("No degradation was given"));
    }

    @Test
    void csvIsWrittenAtomicallyWithTheHeaderAndOneLinePerRow(@TempDir Path dir) throws Exception {
        List<ConsistencyRow> rows = List.of(
                new ConsistencyRow("cells_x4", "1", 1, 1, 2.5, 0.987654321, 1.01, -3.0, 100),
                new ConsistencyRow("a, \"b\"", "R", 2, 3, 0, Double.NaN, 0, 7, 5));
        Path f = dir.resolve("sub").resolve("consistency.csv");
        ConsistencyCsv.write(f, rows);
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        assertEquals("image,channel,slice,frame,rse,rsp,gain,offset", lines.get(0));
        assertEquals("cells_x4,1,1,1,2.500000,0.9876543,1.010000,-3.000000", lines.get(1));
        assertEquals("\"a, \"\"b\"\"\",R,2,3,0,,0,7.000000", lines.get(2));
        assertEquals(3, lines.size());
        try (var files = Files.list(f.getParent())) {
            assertEquals(List.of(f), files.toList(), "no temporary file is left beside it");
        }
        ConsistencyCsv.write(f, rows.subList(0, 1));
        assertEquals(2, Files.readAllLines(f).size());
    }

    /** The map written as TIFF (atomically, as the command line writes outputs) reads back with its layout, calibration, NaN and LUT. */
    @Test
    void mapSurvivesATiffRoundTrip(@TempDir Path dir) throws Exception {
        ImagePlus in = hyperstack(16, 12, 2, 3, 1);
        ImagePlus out = nearestOutput(in, 2, "cells_x2.tif");
        ((float[]) out.getStack().getPixels(1))[0] = Float.NaN;
        ImagePlus map = ImageConsistency.analyse(in, out, ImageConsistency.Options.defaults()).map();
        Path f = dir.resolve(map.getTitle() + ".tif");
        io.github.superresolve.image.ImageFiles.save(map, f);
        ImagePlus back = new ij.io.Opener().openImage(f.toString());
        assertEquals(32, back.getBitDepth());
        assertEquals(2, back.getNChannels());
        assertEquals(3, back.getNSlices());
        assertEquals(0.2, back.getCalibration().pixelWidth, 1e-9);
        assertEquals(0.25, back.getCalibration().pixelHeight, 1e-9);
        assertEquals("micron", back.getCalibration().getUnit());
        assertTrue(Float.isNaN(((float[]) back.getStack().getPixels(1))[0]));
        for (int i = 1; i <= 6; i++) {
            float[] a = (float[]) map.getStack().getPixels(i), b = (float[]) back.getStack().getPixels(i);
            for (int j = 1; j < a.length; j++) assertEquals(a[j], b[j]);
        }
        LUT lut = ((CompositeImage) back).getChannelLut(1);
        assertEquals(3 * 255, lut.getRed(255) + lut.getGreen(255) + lut.getBlue(255));
    }

    @Test
    void reportPoolsPlanes() {
        ConsistencyReport r = new ConsistencyReport("x", 2, Degradation.box(), List.of(
                new ConsistencyRow("x", "1", 1, 1, 3, 0.9, 1, 0, 100),
                new ConsistencyRow("x", "2", 1, 1, 4, Double.NaN, 0, 1, 300)), null);
        assertEquals(Math.sqrt((9 * 100 + 16 * 300) / 400.0), r.overallRse(), 1e-12);
        assertEquals(0.9, r.overallRsp(), 1e-12);
    }
}
