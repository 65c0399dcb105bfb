package io.github.superresolve.nn;

import org.nd4j.enums.DataFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DepthToSpace;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.HashMap;
import java.util.Map;

/**
 * The generator's inference pass run op by op on ND4J's oneDNN operations, channels-last (NHWC), every
 * activation written into a buffer of an {@link ArrayPool}. Same operations, weights (batch-norm folded,
 * output stage fused) and result as {@link SrResNet#inferenceGraph}, which stays the reference and the
 * training graph.
 *
 * <p>Measured why (srresnet-x4, 2 cores, generic oneDNN build, {@code bench --size N}):
 * <ul>
 * <li><b>Channels-last.</b> oneDNN's 3x3 64-to-64 convolution on NCHW arrays ran at 44-190 GFLOP/s,
 * erratic and slower the larger the image (44 GFLOP/s at 400 x 400); on NHWC arrays at 290-375 GFLOP/s
 * for every size from 192 to 592. A whole pass on a 272 x 272 tile: SameDiff graph (NCHW) 3.3-6.1 s,
 * this 1.29 s; on 592 x 592 (a 512 x 512 image with its margin) 36.8 s (NCHW) vs 6.0 s.
 * <li><b>Buffers held to what the pass needs.</b> SameDiff's session keeps a call's activations and
 * caches them afterwards: ~34 KB of resident memory per input pixel. Here an op's output goes into a
 * buffer an earlier op gave back, and PReLU runs in row bands with a small temporary: ~7.5 KB per input
 * pixel (peak RSS 0.73 GB at 272 x 272, 2.9 GB at 592 x 592); {@link Generator#bytesPerPixel()} measures
 * it for tile planning.
 * <li>PReLU's per-channel multiply uses the broadcasting {@code multiply} op on (1, 1, 1, C) slopes: the
 * legacy BroadcastMulOp took 16 ms where it takes 0.8 ms.
 * </ul>
 */
final class ForwardPass {

    private final GeneratorConfig c;
    private final boolean fused;
    private final Map<String, INDArray> w = new HashMap<>();
    private final java.util.Set<String> slopesOutsideUnitRange = new java.util.HashSet<>();

    ForwardPass(GeneratorConfig config, Map<String, INDArray> params) {
        this.c = config;
        Map<String, INDArray> p = SrResNet.foldBatchNorm(config, params);
        fused = config.upsampling() == GeneratorConfig.Upsampling.SUBPIXEL;
        if (fused) SrResNet.fuseOutput(config, p);
        for (Map.Entry<String, INDArray> e : p.entrySet()) {
            // the model's own arrays where they are already whole float c-order arrays (the weights are
            // only read): a loaded model holds its weights once, not twice
            INDArray a = e.getValue();
            if (a.dataType() != DataType.FLOAT) a = a.castTo(DataType.FLOAT);
            if (a.ordering() != 'c' || a.isView()) a = a.dup('c');
            // slopes as (1, 1, 1, C): the broadcasting multiply custom op is ~15x faster than the legacy
            // BroadcastMulOp along dimension 1 (0.8 vs 16 ms on 64 x 272 x 272, 2 threads)
            if (e.getKey().endsWith("/alpha")) a = a.reshape('c', 1, 1, 1, a.length());
            w.put(e.getKey(), a);
        }
        if (c.bicubicSkip()) w.put("bicubic_skip/W", SrResNet.bicubicSkipKernel(c.channels(), c.scale()));
        for (Map.Entry<String, INDArray> e : w.entrySet())
            if (e.getKey().endsWith("/alpha")) {
                INDArray a = e.getValue();
                if (a.minNumber().doubleValue() < 0 || a.maxNumber().doubleValue() > 1) slopesOutsideUnitRange.add(e.getKey());
            }
    }

    /**
     * Runs the pass on a batch {@code x} of shape (n, channels, h, w), taking buffers from and giving
     * them back to {@code pool}; gives {@code x} back. The result is from the pool too: give it back
     * when read.
     */
    INDArray run(INDArray nchw, ArrayPool pool) {
        return run(nchw, pool, PRELU_BAND);
    }

    /**
     * As {@link #run(INDArray, ArrayPool)}, with PReLU's temporary at most {@code preluBand} values (or
     * one row): {@link Generator#bytesPerPixel()} measures with a band of one row, so that what it
     * measures grows with the pixels and the band is a fixed cost ({@link #PRELU_BAND_BYTES}).
     */
    INDArray run(INDArray nchw, ArrayPool pool, long preluBand) {
        INDArray x = pool.take(nchw.size(0), nchw.size(2), nchw.size(3), nchw.size(1));
        x.assign(nchw.permute(0, 2, 3, 1));
        pool.give(nchw);
        INDArray y = runNhwc(x, pool, preluBand);
        INDArray out = pool.take(y.size(0), y.size(3), y.size(1), y.size(2));
        out.assign(y.permute(0, 3, 1, 2));
        pool.give(y);
        return out;
    }

    /** The pass on channels-last arrays (n, h, w, channels). */
    private INDArray runNhwc(INDArray x, ArrayPool pool, long band) {
        INDArray skip = null;
        if (c.bicubicSkip()) {
            INDArray up = conv(x, "bicubic_skip", 5, false, pool);
            skip = depthToSpace(up, c.scale(), pool);
        }
        INDArray head = conv(x, "conv_in", 9, true, pool);
        prelu(head, "prelu_in", pool, band);
        INDArray cur = head;
        for (int b = 1; b <= c.blocks(); b++) {
            String n = "res" + b;
            INDArray t = conv(cur, n + "_conv1", 3, false, pool);
            prelu(t, n + "_prelu", pool, band);
            INDArray t2 = conv(t, n + "_conv2", 3, true, pool);
            if (c.residualScale() != 1.0) t2.muli(c.residualScale());
            if (cur == head) {
                cur = t2.addi(cur); // head stays for the global skip
            } else {
                cur.addi(t2);
                pool.give(t2);
            }
        }
        INDArray mid = conv(cur, "mid_conv", 3, cur != head, pool);
        mid.addi(head);
        pool.give(head);
        cur = mid;
        for (int u = 1; u <= c.upsamplingStages(); u++) {
            if (fused && u == c.upsamplingStages()) {
                INDArray z = conv(cur, "up" + u + "_conv", 3, true, pool);
                prelu(z, "up" + u + "_prelu_fused", pool, band);
                cur = depthToSpace(conv(z, "conv_out_fused", 5, true, pool), 2, pool);
                break;
            }
            if (c.upsampling() == GeneratorConfig.Upsampling.SUBPIXEL) {
                cur = depthToSpace(conv(cur, "up" + u + "_conv", 3, true, pool), 2, pool);
            } else {
                INDArray wt = w.get("up" + u + "_deconv/W"); // [kH, kW, out, in]
                INDArray z = pool.take(cur.size(0), 2 * cur.size(1), 2 * cur.size(2), wt.size(2));
                Nd4j.exec(new DeConv2D(cur, wt, w.get("up" + u + "_deconv/b"), z, DECONV));
                pool.give(cur);
                cur = z;
            }
            prelu(cur, "up" + u + "_prelu", pool, band);
        }
        if (!fused) cur = conv(cur, "conv_out", 9, true, pool);
        if (skip != null) {
            cur.addi(skip);
            pool.give(skip);
        }
        return cur;
    }

    /** Convolution with 'same' padding (bias optional); gives its input back when {@code consume}. */
    private INDArray conv(INDArray in, String name, int k, boolean consume, ArrayPool pool) {
        INDArray wt = w.get(name + "/W"), b = w.get(name + "/b");
        INDArray out = pool.take(in.size(0), in.size(1), in.size(2), wt.size(3));
        Conv2DConfig cfg = CONV[k];
        Nd4j.exec(b == null ? new Conv2D(new INDArray[]{in, wt}, new INDArray[]{out}, cfg) : new Conv2D(in, wt, b, out, cfg));
        if (consume) pool.give(in);
        return out;
    }

    /** Depth-to-space (TensorFlow channel order); gives its input back. */
    private static INDArray depthToSpace(INDArray in, int block, ArrayPool pool) {
        INDArray out = pool.take(in.size(0), in.size(1) * block, in.size(2) * block, in.size(3) / ((long) block * block));
        Nd4j.exec(new DepthToSpace(in, out, block, DataFormat.NHWC));
        pool.give(in);
        return out;
    }

    /**
     * PReLU in place, per channel: max(x, a x) for slopes in [0, 1], else relu(x) + a min(x, 0). Runs
     * over bands of rows of one image, so its temporary is a fraction of {@code x} (x holds 4 x width
     * channels at twice the resolution in the last upsampling stage).
     */
    private void prelu(INDArray x, String name, ArrayPool pool, long band) {
        INDArray a = w.get(name + "/alpha");
        boolean unit = !slopesOutsideUnitRange.contains(name + "/alpha");
        long n = x.size(0), h = x.size(1), wd = x.size(2), ch = x.size(3);
        long rows = Math.max(1, Math.min(h, band / Math.max(1, wd * ch)));
        INDArray tmp = pool.take(1, rows, wd, ch);
        for (long i = 0; i < n; i++)
            for (long r0 = 0; r0 < h; r0 += rows) {
                long r1 = Math.min(h, r0 + rows);
                INDArray v = x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.interval(r0, r1), NDArrayIndex.all(), NDArrayIndex.all());
                INDArray t = r1 - r0 == rows ? tmp : tmp.get(NDArrayIndex.all(), NDArrayIndex.interval(0, r1 - r0), NDArrayIndex.all(), NDArrayIndex.all());
                if (unit) {
                    Nd4j.exec(new MulOp(v, a, t));
                    Nd4j.exec(new Max(v, t, v));
                } else {
                    Nd4j.exec(new ScalarMin(v, null, t, 0.0));
                    Nd4j.exec(new RectifiedLinear(v, v, 0.0));
                    Nd4j.exec(new MulOp(t, a, t));
                    v.addi(t);
                }
            }
        pool.give(tmp);
    }

    /** Values per PReLU band (16 MB): a temporary of a few rows instead of a copy of the whole activation. */
    static final long PRELU_BAND = 4L << 20;
    /** Bytes of PReLU's band temporary: the part of a pass's memory that does not grow with the tile. */
    static final long PRELU_BAND_BYTES = 4 * PRELU_BAND;
    /** The 4x4 stride-2 'same' deconvolution of deconvolution upsampling, channels-last (also the training pass's). */
    static final DeConv2DConfig DECONV = DeConv2DConfig.builder().kH(4).kW(4).sH(2).sW(2).isSameMode(true)
            .dataFormat("NHWC").build();
    /** Stride-1 'same' convolutions of odd sizes 1-9, channels-last, by kernel size (also the training pass's). */
    static final Conv2DConfig[] CONV = new Conv2DConfig[10];

    static {
        for (int k = 1; k < CONV.length; k += 2)
            CONV[k] = Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).paddingMode(PaddingMode.SAME).dataFormat("NHWC").build();
    }
}
