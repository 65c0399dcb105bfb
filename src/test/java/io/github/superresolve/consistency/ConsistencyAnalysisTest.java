package io.github.superresolve.consistency;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consistency of one plane: exactly consistent networks, a painting network, intensity scaling, edge cases. */
class ConsistencyAnalysisTest {

    /** Nearest-neighbour upsampling is exactly undone by the area mean: RSE 0, RSP 1, gain 1, offset 0. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void nearestUpsamplingIsExactlyConsistentUnderBox(int r) {
        for (float[] in : new float[][]{Planes.camera(), Planes.smooth(64, 48, 0, 255)}) {
            PlaneConsistency c = ConsistencyAnalysis.analyse(in, 64, 48, Planes.nearest(in, 64, 48, r), r, Degradation.box());
            double range = Planes.range(in);
            assertTrue(c.rse() < 1e-5 * range, "RSE " + c.rse());
            assertTrue(c.rsp() > 0.99999, "RSP " + c.rsp());
            assertEquals(1, c.gain(), 1e-6);
            assertEquals(0, c.offset(), 1e-6 * range);
            assertEquals(64 * 48, c.pixels());
            for (float e : c.errorMap()) assertTrue(e < 1e-5 * range, "map value " + e);
        }
    }

    /** Bicubic upsampling degraded by the models' own bicubic degradation: RSP above 0.99 and a small RSE. */
    @ParameterizedTest
    @CsvSource({"camera,2", "camera,4", "smooth,2", "smooth,4"})
    void bicubicUpsamplingIsConsistentUnderBicubic(String image, int r) {
        float[] in = image.equals("camera") ? Planes.camera() : Planes.smooth(64, 48, 0, 255);
        PlaneConsistency c = ConsistencyAnalysis.analyse(in, 64, 48, Planes.bicubic(in, 64, 48, r), r, Degradation.bicubic());
        double range = Planes.range(in);
        assertTrue(c.rsp() > 0.99, "RSP " + c.rsp());
        // up then down is a mild blur: about 2 % of the range on a photo with sharp edges (RSE 4.3 and 4.2 grey levels at x2 and x4), far less on smooth data
        double bound = image.equals("camera") ? 0.03 : 0.005; // measured: camera 1.9 %, smooth far less
        assertTrue(c.rse() < bound * range, "RSE " + c.rse() + " of range " + range);
    }

    /**
     * A network that paints a texture onto a rectangle: the map is large over the rectangle (and at most
     * the kernel's reach beyond it) and near zero elsewhere; RSP drops below the clean output's. The
     * rectangle lies on a dark lobe of the input (20-60 grey levels) and the texture, a 0/255 checkerboard,
     * averages to 127.5, the input's mean: the painted pixels disagree by 65 levels and more, yet pull the
     * global fit little (a texture far outside the input's range would also tilt the fit, raising the map
     * everywhere a little, as in SQUIRREL).
     */
    @ParameterizedTest
    @CsvSource({"box,nearest", "bicubic,nearest", "bicubic,bicubic", "gaussian:1.5,nearest", "gaussian:1.5,bicubic"})
    void paintedTextureShowsExactlyWhereItIs(String degradation, String network) {
        int w = 96, h = 72, r = 4, x0 = 31, y0 = 4, x1 = 41, y1 = 14;
        float[] in = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) in[y * w + x] = (float) (127.5 + 107 * Math.sin(2 * Math.PI * x / 48) * Math.sin(2 * Math.PI * y / 36));
        float[] clean = network.equals("nearest") ? Planes.nearest(in, w, h, r) : Planes.bicubic(in, w, h, r);
        Degradation d = Degradation.parse(degradation);
        PlaneConsistency ok = ConsistencyAnalysis.analyse(in, w, h, clean, r, d);
        PlaneConsistency bad = ConsistencyAnalysis.analyse(in, w, h, Planes.painted(clean, w, r, x0, y0, x1, y1), r, d);
        // the reach of the kernel in input pixels: box none, bicubic 2, a Gaussian of 4 sigma = 6 output pixels 2
        int margin = d.kind() == Degradation.Kind.BOX ? 0 : 2;
        double insideMin = Double.POSITIVE_INFINITY, outsideMax = 0, outsideChange = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                boolean inside = x >= x0 && x < x1 && y >= y0 && y < y1;
                boolean near = x >= x0 - margin && x < x1 + margin && y >= y0 - margin && y < y1 + margin;
                if (inside) insideMin = Math.min(insideMin, bad.errorMap()[i] - ok.errorMap()[i]);
                else if (!near) {
                    outsideMax = Math.max(outsideMax, bad.errorMap()[i]);
                    outsideChange = Math.max(outsideChange, Math.abs(bad.errorMap()[i] - ok.errorMap()[i]));
                }
            }
        assertTrue(insideMin > 30, "smallest rise of the error inside the painted rectangle " + insideMin);
        // elsewhere only the refit (2 % of the pixels moved the gain and offset): the map changes by less than 3 levels
        assertTrue(outsideChange < 3, "largest change of the error away from the rectangle " + outsideChange);
        // and where the degradation exactly inverts the network, the map is near zero away from the rectangle
        if (d.kind() == Degradation.Kind.BOX) assertTrue(outsideMax < 3, "largest error away from the rectangle " + outsideMax);
        if (d.kind() == Degradation.Kind.BICUBIC) assertTrue(outsideMax < 4, "largest error away from the rectangle " + outsideMax);
        assertTrue(bad.rsp() < ok.rsp() - 0.01, "RSP painted " + bad.rsp() + " clean " + ok.rsp());
        assertTrue(bad.rse() > 3 * ok.rse(), "RSE painted " + bad.rse() + " clean " + ok.rse());
    }

    /** a * output + b (a > 0) changes neither RSE nor RSP; the gain and offset absorb a and b. */
    @ParameterizedTest
    @CsvSource({"bicubic,2.5,10", "bicubic,0.01,-3", "bicubic,1000,5000", "box,3,-7", "gaussian:2,0.5,100"})
    void intensityScalingOfTheOutputChangesNothing(String degradation, double a, double b) {
        int w = 64, h = 48, r = 3;
        float[] in = Planes.camera();
        float[] out = Planes.painted(Planes.bicubic(in, w, h, r), w, r, 10, 10, 30, 25);
        Degradation d = Degradation.parse(degradation);
        PlaneConsistency c = ConsistencyAnalysis.analyse(in, w, h, out, r, d);
        PlaneConsistency s = ConsistencyAnalysis.analyse(in, w, h, Planes.scaled(out, a, b), r, d);
        assertTrue(c.rse() > 1, "the painted output should have a real error, RSE " + c.rse());
        assertEquals(c.rse(), s.rse(), 1e-6 * c.rse());
        assertEquals(c.rsp(), s.rsp(), 1e-6 * Math.abs(c.rsp()));
        assertEquals(c.gain() / a, s.gain(), 1e-5 * Math.abs(c.gain() / a));
        for (int i = 0; i < c.errorMap().length; i++) assertEquals(c.errorMap()[i], s.errorMap()[i], 1e-3);
    }

    @Test
    void anticorrelatedOutputHasNegativeRspAndGain() {
        float[] in = Planes.smooth(32, 24, 0, 1);
        PlaneConsistency c = ConsistencyAnalysis.analyse(in, 32, 24, Planes.scaled(Planes.nearest(in, 32, 24, 2), -1, 1), 2, Degradation.box());
        assertEquals(-1, c.rsp(), 1e-6);
        assertEquals(-1, c.gain(), 1e-5);
        assertTrue(c.rse() < 1e-5, "RSE " + c.rse());
    }

    @Test
    void constantPlanesGiveNanRspWithoutException() {
        float[] flatIn = new float[16 * 12];
        java.util.Arrays.fill(flatIn, 7);
        float[] flatOut = new float[32 * 24];
        java.util.Arrays.fill(flatOut, 3);
        PlaneConsistency both = ConsistencyAnalysis.analyse(flatIn, 16, 12, flatOut, 2, Degradation.bicubic());
        assertTrue(Double.isNaN(both.rsp()));
        assertEquals(0, both.rse(), 1e-12);
        assertEquals(0, both.gain());
        assertEquals(7, both.offset(), 1e-9);

        float[] in = Planes.smooth(16, 12, 0, 10);
        PlaneConsistency flatOutput = ConsistencyAnalysis.analyse(in, 16, 12, flatOut, 2, Degradation.box());
        assertTrue(Double.isNaN(flatOutput.rsp()));
        assertEquals(0, flatOutput.gain());
        double mean = 0, sq = 0;
        for (float v : in) mean += v / (double) in.length;
        for (float v : in) sq += (v - mean) * (v - mean) / in.length;
        assertEquals(Math.sqrt(sq), flatOutput.rse(), 1e-6, "RSE of a constant output is the input's standard deviation");

        PlaneConsistency flatInput = ConsistencyAnalysis.analyse(flatIn, 16, 12, Planes.nearest(in, 16, 12, 2), 2, Degradation.box());
        assertTrue(Double.isNaN(flatInput.rsp()));
        assertEquals(0, flatInput.rse(), 1e-9);
    }

    /** NaN pixels of either plane are left out of the fit and NaN in the map; the rest is scored as without them. */
    @Test
    void nanPixelsAreLeftOut() {
        int w = 32, h = 24, r = 2;
        float[] in = Planes.smooth(w, h, 0, 100);
        float[] out = Planes.nearest(in, w, h, r);
        float[] inNan = in.clone();
        inNan[5 * w + 7] = Float.NaN;
        float[] outNan = out.clone();
        outNan[(10 * r + 1) * w * r + 20 * r] = Float.NaN; // one output pixel of input pixel (20, 10)
        outNan[(3 * r) * w * r + 3 * r + 1] = Float.POSITIVE_INFINITY; // one of (3, 3)
        for (Degradation d : new Degradation[]{Degradation.box(), Degradation.bicubic(), Degradation.gaussian(1)}) {
            PlaneConsistency c = ConsistencyAnalysis.analyse(inNan, w, h, outNan, r, d);
            assertEquals(w * h - 3, c.pixels(), d.toString());
            assertTrue(Float.isNaN(c.errorMap()[5 * w + 7]));
            assertTrue(Float.isNaN(c.errorMap()[10 * w + 20]));
            assertTrue(Float.isNaN(c.errorMap()[3 * w + 3]));
            int nan = 0;
            for (float e : c.errorMap()) if (Float.isNaN(e)) nan++;
            assertEquals(3, nan, "NaN stays where it was, not spread over the kernel's reach");
            assertTrue(Double.isFinite(c.rse()) && Double.isFinite(c.rsp()) && Double.isFinite(c.gain()) && Double.isFinite(c.offset()));
            if (d.kind() == Degradation.Kind.BOX) {
                assertTrue(c.rse() < 1e-4, "RSE " + c.rse());
                assertTrue(c.rsp() > 0.99999, "RSP " + c.rsp());
            }
        }
        float[] allNan = new float[w * h];
        java.util.Arrays.fill(allNan, Float.NaN);
        PlaneConsistency none = ConsistencyAnalysis.analyse(allNan, w, h, out, r, Degradation.bicubic());
        assertEquals(0, none.pixels());
        assertTrue(Double.isNaN(none.rse()) && Double.isNaN(none.rsp()));
    }

    @Test
    void mismatchedSizesAndBadScalesAreRefusedWithASentence() {
        float[] in = Planes.smooth(16, 12, 0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConsistencyAnalysis.analyse(in, 16, 12, new float[33 * 24], 2, Degradation.bicubic()));
        assertEquals("The output plane has 792 values, but an input of 16x12 at scale 2 becomes 32x24 = 768: "
                + "give the output that this input was super-resolved into, and its scale.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConsistencyAnalysis.analyse(in, 16, 12, new float[32 * 24], 3, Degradation.bicubic()));
        assertTrue(e.getMessage().contains("at scale 3 becomes 48x36"), e.getMessage());
        for (int bad : new int[]{0, -2}) {
            e = assertThrows(IllegalArgumentException.class,
                    () -> ConsistencyAnalysis.analyse(in, 16, 12, new float[32 * 24], bad, Degradation.bicubic()));
            assertEquals("Scale " + bad + " is not valid: the scale of a super-resolution is a whole number of 1 or more.", e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class,
                () -> ConsistencyAnalysis.analyse(new float[10], 16, 12, new float[32 * 24], 2, Degradation.bicubic()));
        assertEquals("The input plane has 10 values, not 16x12 = 192.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConsistencyAnalysis.analyse(in, 16, 12, new float[32 * 24], 2, null));
        assertTrue(e.getMessage().startsWith("No degradation was given"), e.getMessage());
    }
}
