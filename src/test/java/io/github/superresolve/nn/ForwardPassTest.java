package io.github.superresolve.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The eager inference pass against the SameDiff graph (unfused, batch-norm as its own layers' maths). */
class ForwardPassTest {

    /** Parameters with every layer non-trivial: per-channel batch-norm statistics, slopes and biases. */
    static Map<String, INDArray> varied(GeneratorConfig c, long seed, boolean slopesOutsideUnitRange) {
        Map<String, INDArray> p = SrResNet.initParams(c, seed, 0.5);
        Random r = new Random(seed);
        for (Map.Entry<String, INDArray> e : p.entrySet()) {
            String k = e.getKey();
            long n = e.getValue().length();
            float[] v = new float[(int) n];
            if (k.endsWith("/b") || k.endsWith("/beta") || k.endsWith("/mean")) {
                for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * 0.1);
            } else if (k.endsWith("/gamma")) {
                for (int i = 0; i < n; i++) v[i] = (float) (0.5 + r.nextDouble());
            } else if (k.endsWith("/var")) {
                for (int i = 0; i < n; i++) v[i] = (float) (0.2 + 2 * r.nextDouble());
            } else if (k.endsWith("/alpha")) {
                for (int i = 0; i < n; i++) v[i] = (float) (slopesOutsideUnitRange ? -0.5 + 2 * r.nextDouble() : r.nextDouble());
            } else continue;
            e.setValue(Nd4j.create(v, e.getValue().shape(), 'c'));
        }
        return p;
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = r.nextFloat();
        return f;
    }

    @ParameterizedTest(name = "{0} channels x{1}, bn {2}, skip {3}, {4}, slopes outside [0,1] {5}")
    @CsvSource({
            "3, 4, true, false, SUBPIXEL, false",
            "1, 2, true, true, SUBPIXEL, false",
            "3, 8, false, true, SUBPIXEL, true",
            "1, 4, true, false, DECONV, true",
            "3, 2, false, false, DECONV, false"})
    void equalsTheGraph(int channels, int scale, boolean bn, boolean skip, GeneratorConfig.Upsampling up, boolean outside) {
        GeneratorConfig c = new GeneratorConfig(channels, scale, 3, 8, bn, 0.7, skip, up);
        Map<String, INDArray> p = varied(c, 11, outside);
        int n = 2, h = 13, w = 10;
        float[] in = random(n * channels * h * w, 3);
        INDArray x = Nd4j.create(in, new long[]{n, channels, h, w}, 'c');
        float[] graph = SrResNet.inferenceGraph(c, p, false)
                .outputSingle(Map.of(SrResNet.INPUT, x.dup()), SrResNet.OUTPUT).dup('c').data().asFloat();
        INDArray y = new ForwardPass(c, p).run(x.dup(), new ArrayPool());
        assertArrayEquals(new long[]{n, channels, (long) h * scale, (long) w * scale}, y.shape());
        float[] eager = y.dup('c').data().asFloat();
        double maxAbs = 0;
        for (float v : graph) maxAbs = Math.max(maxAbs, Math.abs(v));
        assertTrue(maxAbs > 0.05, "a trivial output would hide mistakes: max |y| = " + maxAbs);
        assertArrayEquals(graph, eager, (float) (1e-4 * Math.max(1, maxAbs)));
    }

    /**
     * Batch-norm by its definition, (x - mean) / sqrt(var + eps) * gamma + beta per channel, in a
     * forward pass written out here with NCHW ops: checks the folding into the convolutions (which the
     * graph and the eager pass share), with statistics that differ per channel and per layer.
     */
    @Test
    void foldedBatchNormEqualsBatchNormByItsDefinition() {
        GeneratorConfig c = new GeneratorConfig(3, 2, 2, 6, true, 0.5, false, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = varied(c, 21, false);
        int h = 11, w = 9;
        INDArray x = Nd4j.create(random(3 * h * w, 8), new long[]{1, 3, h, w}, 'c');
        INDArray head = prelu(conv(x, p, "conv_in", 9), p, "prelu_in");
        INDArray cur = head;
        for (int b = 1; b <= c.blocks(); b++) {
            INDArray t = prelu(bn(conv(cur, p, "res" + b + "_conv1", 3), p, "res" + b + "_bn1"), p, "res" + b + "_prelu");
            t = bn(conv(t, p, "res" + b + "_conv2", 3), p, "res" + b + "_bn2").mul(c.residualScale());
            cur = cur.add(t);
        }
        cur = bn(conv(cur, p, "mid_conv", 3), p, "mid_bn").add(head);
        cur = prelu(Nd4j.cnn().depthToSpace(conv(cur, p, "up1_conv", 3), 2, org.nd4j.enums.DataFormat.NCHW), p, "up1_prelu");
        float[] expected = conv(cur, p, "conv_out", 9).dup('c').data().asFloat();
        float[] eager = new ForwardPass(c, p).run(x.dup(), new ArrayPool()).dup('c').data().asFloat();
        double maxAbs = 0;
        for (float v : expected) maxAbs = Math.max(maxAbs, Math.abs(v));
        assertTrue(maxAbs > 0.05, "max |y| " + maxAbs);
        assertArrayEquals(expected, eager, (float) (2e-4 * Math.max(1, maxAbs)));
    }

    private static INDArray conv(INDArray x, Map<String, INDArray> p, String name, int k) {
        return Nd4j.cnn().conv2d(x, p.get(name + "/W"), p.get(name + "/b"), SrResNet.convConfig(k));
    }

    private static INDArray channel(INDArray v) {
        return v.castTo(DataType.FLOAT).reshape(1, v.length(), 1, 1);
    }

    private static INDArray bn(INDArray x, Map<String, INDArray> p, String name) {
        INDArray sd = org.nd4j.linalg.ops.transforms.Transforms.sqrt(p.get(name + "/var").add(SrResNet.BN_EPS), true);
        return x.sub(channel(p.get(name + "/mean"))).div(channel(sd)).mul(channel(p.get(name + "/gamma"))).add(channel(p.get(name + "/beta")));
    }

    private static INDArray prelu(INDArray x, Map<String, INDArray> p, String name) {
        INDArray neg = org.nd4j.linalg.ops.transforms.Transforms.min(x, 0.0, true);
        return org.nd4j.linalg.ops.transforms.Transforms.relu(x, true).add(neg.mul(channel(p.get(name + "/alpha"))));
    }

    @Test
    void reusesItsBuffersAcrossTilesWithoutMixingThem() {
        GeneratorConfig c = new GeneratorConfig(1, 2, 2, 4, false, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL);
        ForwardPass f = new ForwardPass(c, varied(c, 2, false));
        ArrayPool pool = new ArrayPool();
        INDArray a = Nd4j.create(random(64, 1), new long[]{1, 1, 8, 8}, 'c');
        INDArray b = Nd4j.create(random(64, 2), new long[]{1, 1, 8, 8}, 'c');
        float[] fresh = f.run(b.dup(), new ArrayPool()).dup().data().asFloat();
        INDArray ya = f.run(a, pool);
        pool.give(ya);
        long held = pool.pooledBytes();
        assertTrue(held > 0, "a pass leaves its buffers for the next one");
        float[] reused = f.run(b, pool).dup().data().asFloat();
        assertArrayEquals(fresh, reused, 0f);
        assertTrue(pool.pooledBytes() < held, "the second pass ran on the buffers of the first");
        pool.clear();
        assertEquals(0, pool.pooledBytes());
    }

    @Test
    void bytesPerPixelPredictsWhatATileHolds() {
        GeneratorConfig c = new GeneratorConfig(3, 4, 2, 16, false, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL);
        Generator g = new Generator(c, varied(c, 4, false));
        double perPixel = g.bytesPerPixel();
        int h = 40, w = 56;
        g.run(random(3 * h * w, 1), 1, h, w);
        double held = g.heldBytes();
        // PReLU's band temporary (here the whole largest activation: a small tile) is the fixed part
        assertTrue(held > perPixel * h * w && held <= perPixel * h * w + g.fixedBytes(),
                "held " + held + " bytes after a " + w + "x" + h + " tile, predicted " + perPixel * h * w + " + " + g.fixedBytes());
        g.release();
        // measured with one-row bands, a tile of another size holds what the per-pixel figure predicts
        ArrayPool pool = new ArrayPool();
        INDArray x = pool.take(1, 3, 48, 48).assign(0.25);
        for (ForwardPass f : g.passes()) x = f.run(x, pool, 1);
        pool.give(x);
        assertEquals(perPixel * 48 * 48, pool.allocatedBytes(), 0.02 * perPixel * 48 * 48);
        // trunk and upsampling buffers: at least the 16-channel activations and the 4 x 16 channels at x2
        assertTrue(perPixel > 4 * (2 * 16 + 4 * 16 * 4), "per pixel " + perPixel);
        g.release();
        assertEquals(0, g.heldBytes());
        GeneratorConfig x2 = new GeneratorConfig(3, 2, 2, 16, false, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL);
        assertTrue(new Generator(x2, varied(x2, 4, false)).bytesPerPixel() < perPixel / 2, "a x2 network needs far less than a x4");
    }

    @org.junit.jupiter.api.Test
    void preluBandsOfAnySizeGiveTheSameResult() {
        for (boolean outside : new boolean[]{false, true}) {
            GeneratorConfig c = new GeneratorConfig(3, 4, 2, 8, false, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL);
            ForwardPass f = new ForwardPass(c, varied(c, 5, outside));
            int n = 2, h = 11, w = 9;
            float[] in = random(n * 3 * h * w, 8);
            float[] whole = null;
            // one row, three rows (the last band shorter), 7 rows, the whole activation
            for (long band : new long[]{1, 3 * 36L * 8, 7 * 36L * 8, Long.MAX_VALUE}) {
                ArrayPool pool = new ArrayPool();
                INDArray x = pool.take(n, 3, h, w);
                x.data().setData(in);
                float[] out = f.run(x, pool, band).dup().data().asFloat();
                if (whole == null) whole = out;
                else org.junit.jupiter.api.Assertions.assertArrayEquals(whole, out, "band " + band + ", slopes outside [0,1] " + outside);
                pool.clear();
            }
        }
    }
}
