package io.github.superresolve.nn;

import io.github.superresolve.TestData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** What a loaded model holds: its weights once, one generator per number of applications; a card's own limits. */
public class ModelMemoryTest {

    private static Model recursive() {
        GeneratorConfig c = TestData.tiny(3, 2);
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (int k = 1; k <= 2; k++)
            for (Map.Entry<String, INDArray> e : TestData.tinyParams(c).entrySet()) p.put(ModelCard.stagePrefix(k) + e.getKey(), e.getValue());
        ModelCard card = new ModelCard("r", "rGAN", "", c, "CC0-1.0", null, null, 2);
        return new Model(card, p, "test");
    }

    @Test
    void aRecursiveModelBuildsOneGeneratorPerNumberOfApplications() {
        Model m = recursive();
        Generator x4 = m.generator(), x8 = m.generator(3);
        assertSame(x4, m.generator(2), "the model's own x4 generator");
        assertSame(x8, m.generator(3), "x8 built once, not per image");
        assertNotSame(x4, x8);
        assertEquals(4, x4.scale());
        assertEquals(8, x8.scale());
        float[] in = new float[3 * 12 * 12];
        for (int i = 0; i < in.length; i++) in[i] = (i % 7) / 7f;
        x8.run(in, 1, 12, 12);
        assertTrue(x8.heldBytes() > 0);
        m.release();
        assertEquals(0, x8.heldBytes(), "release frees every generator's buffers");
    }

    @Test
    void theInferencePassUsesTheModelsWeightArraysWithoutCopies() {
        GeneratorConfig c = TestData.tiny(3, 2); // no batch-norm: nothing to fold
        Map<String, INDArray> p = TestData.tinyParams(c);
        Model m = new Model(new ModelCard("t", null, null, c, null, null, null), p, "test");
        Generator g = m.generator();
        float[] in = new float[3 * 10 * 10];
        java.util.Arrays.fill(in, 0.5f);
        float[] before = g.run(in, 1, 10, 10);
        // a weight changed in the model's array is seen by the pass: the array is shared, not copied
        p.get("res1_conv1/W").muli(3);
        float[] after = g.run(in, 1, 10, 10);
        assertFalse(java.util.Arrays.equals(before, after), "the pass reads the model's own arrays");
        assertEquals(m.parameterCount() * 4, ModelCatalog.weightBytes(m));
        GeneratorConfig bn = new GeneratorConfig(3, 2, 2, 8, true, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL);
        Model withBn = new Model(new ModelCard("b", null, null, bn, null, null, null), SrResNet.initParams(bn, 1), "test");
        assertEquals(2 * withBn.parameterCount() * 4, ModelCatalog.weightBytes(withBn), "a folded copy for batch-norm models");
    }

    @Test
    void aCardKnowsItsDefaultsAndLimits() {
        GeneratorConfig c = TestData.tiny(1, 2);
        ModelCard card = new ModelCard("n", null, null, c, null, null, null);
        assertEquals("SRResNet", card.method());
        assertEquals("", card.description());
        assertEquals("unspecified", card.license());
        assertEquals(Map.of(), card.training());
        assertEquals(1, card.stages());
        assertEquals(4, new ModelCard("n", null, null, c, null, null, null, 4).stages());
        for (int s : new int[]{0, 5})
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new ModelCard("n", null, null, c, null, null, null, s))
                    .getMessage().contains("not " + s));
        for (String name : new String[]{null, "", "  "})
            assertThrows(IllegalArgumentException.class, () -> new ModelCard(name, null, null, c, null, null, null));
        assertEquals(16, new ModelCard("n", null, null, c, null, null, null, 4).scale());
        Map<String, Object> training = new LinkedHashMap<>(Map.of("steps", 5));
        ModelCard copy = new ModelCard("n", null, null, c, null, training, null);
        training.put("steps", 6);
        assertEquals(5, copy.training().get("steps"), "the card keeps its own copy");
        ModelCard back = ModelCard.fromJson(new ModelCard("n", "SRGAN", "d", c, "MIT", Map.of("steps", 3), Map.of("psnr_gain_over_bicubic_db", 1.25), 2).toJson());
        assertEquals(2, back.stages());
        assertEquals("SRGAN", back.method());
        assertTrue(back.summary().contains("+1.25 dB over bicubic") && back.summary().contains("2 stages of x2"), back.summary());
        assertEquals(List.of("format", "format_version", "name", "scale", "channels", "architecture"), ModelCard.requiredKeys());
    }
}
