package io.github.superresolve.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rounds float32 weights to fewer significant bits, for smaller model files: a value keeps its
 * exponent and the top {@code bits} of its 23 mantissa bits (rounded to nearest), the rest become
 * zeros, which the model zip's deflate compresses. The file stays plain float32 .npy (every reader
 * works unchanged); the relative change of each weight is at most 2^-(bits+1). Ten bits (float16's
 * precision) shrank a 16x64 generator's file by about a third; {@code models ship --mantissa-bits}
 * measures the rounded model, so its card's scores are those of the weights shipped.
 */
public final class WeightRounding {

    private WeightRounding() {
    }

    /** Rounded copies of every array (float32 ones rounded, others copied as they are). */
    public static Map<String, INDArray> round(Map<String, INDArray> params, int bits) {
        if (bits < 1 || bits > 23) throw new IllegalArgumentException("Mantissa bits must be 1 to 23, not " + bits + ".");
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray a = e.getValue();
            if (a.dataType() != DataType.FLOAT) {
                out.put(e.getKey(), a.dup());
                continue;
            }
            float[] v = a.dup('c').data().asFloat();
            for (int i = 0; i < v.length; i++) v[i] = round(v[i], bits);
            out.put(e.getKey(), Nd4j.create(v, a.shape(), 'c'));
        }
        return out;
    }

    /** {@code v} with its mantissa rounded to {@code bits} bits (nearest, ties away from zero); NaN and infinities unchanged. */
    public static float round(float v, int bits) {
        if (!Float.isFinite(v) || bits >= 23) return v;
        int drop = 23 - bits;
        int b = Float.floatToRawIntBits(v);
        int r = (b + (1 << (drop - 1))) & ~((1 << drop) - 1); // a carry into the exponent is the right rounding
        float out = Float.intBitsToFloat(r);
        return Float.isFinite(out) ? out : v;
    }
}
