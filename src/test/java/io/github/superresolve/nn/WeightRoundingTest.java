package io.github.superresolve.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class WeightRoundingTest {

    @Test
    void roundsToNearestWithinHalfAUnitOfTheLastKeptBit() {
        Random r = new Random(3);
        for (int bits : new int[]{4, 10, 16}) {
            for (int i = 0; i < 10000; i++) {
                float v = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 6));
                float w = WeightRounding.round(v, bits);
                assertEquals(0, Float.floatToRawIntBits(w) & ((1 << (23 - bits)) - 1), v + " -> " + w);
                assertTrue(Math.abs(w - v) <= Math.abs(v) * Math.pow(2, -(bits + 1)) * (1 + 1e-6), bits + ": " + v + " -> " + w);
            }
        }
        assertEquals(1.0f, WeightRounding.round(1.0f + (float) Math.pow(2, -20), 10));
        assertEquals(2.0f, WeightRounding.round(Math.nextDown(2.0f), 10)); // carry into the exponent
        assertEquals(-0.5f, WeightRounding.round(-0.5f, 3));
        assertTrue(Float.isNaN(WeightRounding.round(Float.NaN, 10)));
        assertEquals(Float.MAX_VALUE, WeightRounding.round(Float.MAX_VALUE, 10)); // would round to infinity: kept
    }

    @Test
    void roundsEveryFloatArrayOfAModelAndKeepsShapes() {
        INDArray w = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 3, 2, 4);
        Map<String, INDArray> out = WeightRounding.round(Map.of("conv/W", w), 8);
        assertArrayEquals(w.shape(), out.get("conv/W").shape());
        assertTrue(w.equalsWithEps(out.get("conv/W"), 1.0 / 256));
        assertThrows(IllegalArgumentException.class, () -> WeightRounding.round(Map.of("conv/W", w), 24));
    }
}
