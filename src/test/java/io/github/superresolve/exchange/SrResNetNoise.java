package io.github.superresolve.exchange;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/** Uniform noise for test parameters. */
final class SrResNetNoise {
    private SrResNetNoise() {
    }

    /** {@code n} values uniform in [-amplitude, amplitude]. */
    static INDArray uniform(Random r, long n, double amplitude) {
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((2 * r.nextDouble() - 1) * amplitude);
        return Nd4j.create(v, new long[]{n}, 'c').castTo(DataType.FLOAT);
    }
}
