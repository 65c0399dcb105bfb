package io.github.superresolve.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The rewrite of {@link SrResNet#fuseOutput} as an index map, for training: the last upsampling
 * stage's PReLU and the 9x9 output convolution run at half the output resolution ({@code conv5'} on
 * the 4W sub-pixel phase channels, then depth-to-space), with weights rebuilt from the model's
 * {@code conv_out} and slopes each step, and the fused weights' gradients summed back onto them
 * (each {@code conv_out} weight sits at four places of the fused kernel, one per output phase; each
 * bias and slope at four phases). Same maths as the plain stage, so the same gradients within float
 * rounding.
 */
final class FusedOutput {

    private final int width, channels;
    /** for each entry of the fused kernel [5, 5, 4W, 4C]: the index in conv_out/W [9, 9, W, C], or -1 (zero) */
    private final int[] source;
    private final double[] fused, plain;

    FusedOutput(GeneratorConfig c) {
        width = c.width();
        channels = c.channels();
        int w = width, ch = channels;
        source = indexMap(w, ch);
        fused = new double[source.length];
        plain = new double[81 * w * ch];
    }

    /**
     * For each entry of the fused kernel [5, 5, 4W, 4C] of a generator of width {@code w} and {@code ch}
     * channels: the index in conv_out/W [9, 9, W, C] it takes its weight from, or -1 (zero). The one
     * description of the rewrite, used by {@link SrResNet#fuseOutput} at inference and here in training.
     */
    static int[] indexMap(int w, int ch) {
        int inC = 4 * w, outC = 4 * ch;
        int[] source = new int[5 * 5 * inC * outC];
        java.util.Arrays.fill(source, -1);
        for (int py = 0; py < 2; py++)
            for (int px = 0; px < 2; px++)
                for (int qy = -2; qy <= 2; qy++)
                    for (int ry = 0; ry < 2; ry++) {
                        int dy = 2 * qy + ry - py;
                        if (dy < -4 || dy > 4) continue;
                        for (int qx = -2; qx <= 2; qx++)
                            for (int rx = 0; rx < 2; rx++) {
                                int dx = 2 * qx + rx - px;
                                if (dx < -4 || dx > 4) continue;
                                for (int ci = 0; ci < w; ci++)
                                    for (int o = 0; o < ch; o++) {
                                        int ic = (ry * 2 + rx) * w + ci;
                                        int oc = (py * 2 + px) * ch + o;
                                        source[(((qy + 2) * 5 + (qx + 2)) * inC + ic) * outC + oc] = (((dy + 4) * 9 + (dx + 4)) * w + ci) * ch + o;
                                    }
                            }
                    }
        return source;
    }

    /** Shape of the fused kernel: [5, 5, 4W, 4C]. */
    long[] kernelShape() {
        return new long[]{5, 5, 4L * width, 4L * channels};
    }

    /** Writes the fused kernel, bias (4C) and slopes (4W) from conv_out/W, conv_out/b and the last stage's slopes. */
    void fuse(INDArray convW, INDArray convB, INDArray alpha, INDArray fusedW, INDArray fusedB, INDArray fusedAlpha) {
        double[] src = convW.data().asDouble();
        for (int i = 0; i < source.length; i++) fused[i] = source[i] < 0 ? 0 : src[source[i]];
        set(fusedW, fused);
        set(fusedB, repeat(convB.data().asDouble()));
        set(fusedAlpha, repeat(alpha.data().asDouble()));
    }

    /** Adds up the fused gradients onto conv_out/W's, conv_out/b's and the slopes' gradients (overwritten). */
    void unfuse(INDArray gFusedW, INDArray gFusedB, INDArray gFusedAlpha, INDArray gConvW, INDArray gConvB, INDArray gAlpha) {
        double[] g = gFusedW.data().asDouble();
        java.util.Arrays.fill(plain, 0);
        for (int i = 0; i < source.length; i++) if (source[i] >= 0) plain[source[i]] += g[i];
        set(gConvW, plain);
        set(gConvB, fold(gFusedB.data().asDouble(), channels));
        set(gAlpha, fold(gFusedAlpha.data().asDouble(), width));
    }

    /** Writes values into a whole array of its own type (float in training, double in tests). */
    private static void set(INDArray a, double[] v) {
        if (a.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE) {
            a.data().setData(v);
            return;
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        a.data().setData(f);
    }

    /** Four copies, one per sub-pixel phase: entry p * n + i = v[i]. */
    private static double[] repeat(double[] v) {
        double[] r = new double[4 * v.length];
        for (int i = 0; i < r.length; i++) r[i] = v[i % v.length];
        return r;
    }

    /** The sum over the four phases of a per-phase vector of 4n entries. */
    private static double[] fold(double[] v, int n) {
        double[] r = new double[n];
        for (int i = 0; i < v.length; i++) r[i % n] += v[i];
        return r;
    }
}
