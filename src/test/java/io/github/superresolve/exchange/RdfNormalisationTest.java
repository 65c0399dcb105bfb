package io.github.superresolve.exchange;

import io.github.superresolve.image.IntensityMap;
import io.github.superresolve.nn.ModelException;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A package's processing steps as the affine maps the format defines, composed in order. */
class RdfNormalisationTest {

    /** One plane of the values 0..99. */
    static final List<RandomAccessibleInterval<? extends RealType<?>>> PLANES;

    static {
        float[] v = new float[100];
        for (int i = 0; i < 100; i++) v[i] = i;
        PLANES = List.of(ArrayImgs.floats(v, 10, 10));
    }

    static RdfNormalisation rule(List<RdfNormalisation.Step> pre, List<RdfNormalisation.Step> post) {
        return RdfNormalisation.of(pre, post, "test.rdf.yaml");
    }

    static RdfNormalisation.Step step(String id, Object... kv) {
        Map<String, Object> k = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) k.put((String) kv[i], kv[i + 1]);
        return new RdfNormalisation.Step(id, k);
    }

    static void assertMaps(double v, double expectedNorm, IntensityMap m) {
        assertEquals(expectedNorm, m.normalise(v), 1e-5, "normalised " + v);
    }

    @Test
    void eachPreprocessingStep() {
        IntensityMap m = rule(List.of(step("scale_linear", "gain", 2.0, "offset", 1.0)), List.of()).input(PLANES);
        assertMaps(3, 7, m);
        m = rule(List.of(step("fixed_zero_mean_unit_variance", "mean", 10.0, "std", 5.0)), List.of()).input(PLANES);
        assertMaps(20, 2, m);
        m = rule(List.of(step("zero_mean_unit_variance", "eps", 0.0)), List.of()).input(PLANES);
        double std = Math.sqrt((100 * 100 - 1) / 12.0); // of 0..99
        assertMaps(49.5 + std, 1, m);
        m = rule(List.of(step("scale_range", "min_percentile", 0.0, "max_percentile", 100.0, "eps", 0.0)), List.of()).input(PLANES);
        assertMaps(99, 1, m);
        assertMaps(0, 0, m);
        // per-channel lists of one value are accepted
        m = rule(List.of(step("scale_linear", "axis", "channel", "gain", List.of(0.5, 0.5, 0.5), "offset", 0.0)), List.of()).input(PLANES);
        assertMaps(4, 2, m);
    }

    @Test
    void stepsComposeInOrderAndStatisticsFollowTheEarlierSteps() {
        // halved first, then scaled by its range: the range is of the halved values
        IntensityMap m = rule(List.of(step("ensure_dtype", "dtype", "float32"), step("scale_linear", "gain", 0.5),
                step("scale_range", "min_percentile", 0.0, "max_percentile", 100.0, "eps", 0.0), step("clip", "min", 0.0, "max", 1.0)), List.of()).input(PLANES);
        assertMaps(99, 1, m);
        assertMaps(49.5, 0.5, m);
    }

    @Test
    void outputMapsBackWithThePostprocessingOrTheInputsMap() {
        IntensityMap in = new IntensityMap(100, 300);
        assertEquals(in, rule(List.of(), List.of()).output(in), "no postprocessing: the input's units");
        IntensityMap out = rule(List.of(), List.of(step("scale_linear", "gain", 255.0), step("clip", "min", 0.0, "max", 255.0))).output(in);
        assertEquals(255, out.denormalise(1), 1e-9);
        assertEquals(0, out.denormalise(0), 1e-9);
        out = rule(List.of(), List.of(step("fixed_zero_mean_unit_variance", "mean", 2.0, "std", 4.0))).output(in);
        assertEquals((6 - 2) / 4.0, out.denormalise(6), 1e-9);
    }

    @Test
    void stepsThatAreNotAffinePerChannelAreNamed() {
        ModelException e = assertThrows(ModelException.class, () -> rule(List.of(step("sigmoid")), List.of()));
        assertTrue(e.getMessage().contains("sigmoid") && e.getMessage().contains("test.rdf.yaml"), e.getMessage());
        e = assertThrows(ModelException.class, () -> rule(List.of(), List.of(step("scale_mean_variance", "reference_tensor", "input"))));
        assertTrue(e.getMessage().contains("scale_mean_variance"), e.getMessage());
        e = assertThrows(ModelException.class, () -> rule(List.of(step("scale_linear", "axis", "channel", "gain", List.of(1.0, 2.0, 3.0))), List.of()));
        assertTrue(e.getMessage().contains("differs per channel"), e.getMessage());
    }
}
