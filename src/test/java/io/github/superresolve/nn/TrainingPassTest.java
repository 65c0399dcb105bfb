package io.github.superresolve.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training pass's gradients against central differences of its own loss, in double precision
 * (libnd4j's own kernels; oneDNN is float-only), on tiny networks of every kind: per parameter tensor,
 * the entries with the largest gradients and random ones, and a whole-tensor direction.
 */
class TrainingPassTest {

    /** Parameters with every layer non-trivial, as doubles: biases, slopes in (0, 1), batch-norm scales and shifts. */
    static Map<String, INDArray> varied(GeneratorConfig c, long seed) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        Random r = new Random(seed);
        for (Map.Entry<String, INDArray> e : SrResNet.initParams(c, seed, 0.5).entrySet()) {
            String k = e.getKey();
            if (k.endsWith("/mean") || k.endsWith("/var")) continue; // running statistics: not used in training
            INDArray a = e.getValue().castTo(DataType.DOUBLE);
            double[] v = a.data().asDouble();
            for (int i = 0; i < v.length; i++) {
                if (k.endsWith("/b") || k.endsWith("/beta")) v[i] = r.nextGaussian() * 0.1;
                else if (k.endsWith("/gamma")) v[i] = 0.5 + r.nextDouble();
                else if (k.endsWith("/alpha")) v[i] = 0.05 + 0.9 * r.nextDouble();
            }
            p.put(k, Nd4j.create(v, a.shape(), 'c'));
        }
        return p;
    }

    static INDArray random(long seed, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble();
        return Nd4j.create(v, shape, 'c');
    }

    @ParameterizedTest(name = "{0} ch x{1}, bn {2}, residual x{3}, skip {4}, {5}")
    @CsvSource({
            "1, 2, false, 0.5, true, SUBPIXEL",
            "3, 4, true, 1.0, false, SUBPIXEL",
            "1, 2, true, 0.5, true, DECONV",
            "3, 2, false, 0.1, true, DECONV"})
    void gradientsEqualFiniteDifferences(int channels, int scale, boolean bn, double residual, boolean skip,
                                         GeneratorConfig.Upsampling up) {
        GeneratorConfig c = new GeneratorConfig(channels, scale, 1, 4, bn, residual, skip, up);
        Map<String, INDArray> p = varied(c, 21);
        Map<String, INDArray> grads = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : p.entrySet()) grads.put(e.getKey(), Nd4j.zeros(DataType.DOUBLE, e.getValue().shape()));
        int n = 2, h = 5, w = 4;
        INDArray lr = random(1, n, channels, h, w), hr = random(2, n, channels, (long) h * scale, (long) w * scale);
        try (TrainingPass pass = new TrainingPass(c, p, grads, false)) {
            pass.step(lr, hr);
            Map<String, INDArray> analytic = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : grads.entrySet()) analytic.put(e.getKey(), e.getValue().dup());
            Random r = new Random(3);
            for (Map.Entry<String, INDArray> e : analytic.entrySet()) {
                String k = e.getKey();
                INDArray param = p.get(k), grad = e.getValue(), original = param.dup();
                double gNorm = grad.norm2Number().doubleValue();
                if (c.batchNorm() && k.endsWith("/b") && (k.startsWith("res") || k.startsWith("mid_conv"))) {
                    // a bias right before batch-norm: the normalisation removes it, its gradient is zero
                    assertTrue(gNorm < 1e-9, k + " " + gNorm);
                    continue;
                }
                assertTrue(gNorm > 1e-8, k + " has a zero gradient: the check would see nothing");
                // single entries: the largest gradients and random ones
                INDArray flat = param.reshape(-1), gFlat = grad.reshape(-1);
                List<Integer> entries = largest(gFlat, 2);
                entries.add(r.nextInt((int) flat.length()));
                double num = 0, den = 0;
                for (int i : entries) {
                    double v = flat.getDouble(i), step = 1e-6;
                    flat.putScalar(i, v + step);
                    double plus = pass.step(lr, hr);
                    flat.putScalar(i, v - step);
                    double minus = pass.step(lr, hr);
                    flat.putScalar(i, v);
                    double fd = (plus - minus) / (2 * step), an = gFlat.getDouble(i);
                    num += (fd - an) * (fd - an);
                    den += an * an;
                }
                double rel = Math.sqrt(num / den);
                assertTrue(rel <= 1e-3, k + ": single entries differ from finite differences by " + rel + " relative");
                // a whole-tensor direction mixing the gradient's own with a random one
                {
                    INDArray rnd = Nd4j.randn(r.nextLong(), grad.shape()).castTo(DataType.DOUBLE);
                    INDArray d = grad.div(gNorm).addi(rnd.muli(0.5 / rnd.norm2Number().doubleValue()));
                    d.divi(d.norm2Number().doubleValue());
                    double step = 1e-6;
                    param.assign(original.add(d.mul(step)));
                    double plus = pass.step(lr, hr);
                    param.assign(original.sub(d.mul(step)));
                    double minus = pass.step(lr, hr);
                    param.assign(original);
                    double fd = (plus - minus) / (2 * step), an = grad.mul(d).sumNumber().doubleValue();
                    assertTrue(Math.abs(fd - an) <= 1e-3 * Math.abs(an), k + ": along a direction " + fd + " vs " + an);
                }
            }
        }
    }

    private static List<Integer> largest(INDArray g, int k) {
        double[] v = g.dup().data().asDouble();
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < v.length; i++) idx.add(i);
        idx.sort((a, b) -> Double.compare(Math.abs(v[b]), Math.abs(v[a])));
        return new ArrayList<>(idx.subList(0, Math.min(k, idx.size())));
    }
}
