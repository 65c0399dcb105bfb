package io.github.superresolve.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2D;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One training step of the generator (pixel MSE) on the inference pass's kernels: forward in
 * channels-last (NHWC) with ND4J's oneDNN convolution, keeping what the backward needs, then the
 * backward with libnd4j's native backprop ops, gradients written into the caller's arrays. The maths
 * of {@link SrResNet#generator} with training batch-norm (the graph {@code GeneratorTrainer}
 * differentiates), in another order of float operations. Activations live in an {@link ArrayPool}:
 * after the first step of a batch shape no native memory is allocated.
 *
 * <p>What each part is, and why (measured on 2 Zen 4 cores, batch 16 of 24x24 inputs, x4):
 * <ul>
 * <li><b>Convolution backward</b> is libnd4j's {@code conv2d_bp} on NHWC arrays: oneDNN's backward-data
 * (Winograd for 3x3) and backward-weights kernels, with reorders to and from its blocked layout inside
 * the op. On a 64-to-64 3x3 layer it took 9.4 ms per call on one thread (145 GFLOP/s) where its forward
 * takes 5.8 ms; computing the weight gradient as nine GEMMs on shifted rows instead took 8-10 ms for
 * that half alone, so the op is kept.
 * <li><b>The output stage at half resolution</b>: as at inference ({@link SrResNet#fuseOutput}) the
 * last PReLU and the 9x9 64-to-C convolution run on the 4W sub-pixel channels before depth-to-space,
 * kernels rebuilt from {@code conv_out} each step and their gradients summed back ({@link FusedOutput}).
 * oneDNN runs a 9x9 convolution to 3 channels at full resolution at ~20 GFLOP/s forward and ~17
 * backward, the rewritten 5x5 256-to-12 one at ~70 and ~45.
 * <li><b>PReLU</b> is {@code max(x, a x)} (slopes kept in [0, 1] by the trainer, as the graph's); its
 * backward is {@code g * (x > 0 ? 1 : a)} and, per channel, {@code sum(g * min(x, 0))}, from the
 * pre-activation kept from the forward, with legacy scalar and broadcasting ops ({@code relu_bp} took
 * 10x longer than a multiply).
 * <li><b>Per-channel sums</b> (slope, batch-norm statistics and gradients) are a GEMM with a row of
 * ones: ND4J's {@code sum} along the rows of a (pixels x channels) array took 22 ms on 36864 x 256
 * where the GEMM takes 1 ms.
 * <li><b>Batch-norm</b> (study recipe) uses the batch's statistics, biased variance, {@code 1/sqrt(var + eps)}
 * as the graph's, and the usual backward through mean and variance; the batch mean and variance are
 * kept for the running averages.
 * </ul>
 */
public final class TrainingPass implements AutoCloseable {

    private final GeneratorConfig c;
    private final Map<String, INDArray> p, g;
    private final boolean tailOnly, fused, bn;
    private final DataType type;
    private final EagerLayers layers;
    private final ArrayPool pool;
    private final OpTimes times;
    private final INDArray bicubic;
    /** slopes and their gradients as (1, 1, 1, C) and (1, C) views of the caller's arrays */
    private final Map<String, INDArray> slope = new HashMap<>(), slopeGrad = new HashMap<>();
    /** batch-norm state per layer: x-hat (pooled, per step), 1/sqrt(var + eps), batch mean and variance */
    private final Map<String, EagerLayers.Norm> norms = new HashMap<>();
    private final FusedOutput fusion;
    private INDArray fusedW, fusedB, fusedAlpha, fusedSlope, gFusedW, gFusedB, gFusedAlpha, gFusedSlope;
    /** whole copies of conv_out/W, conv_out/b and the last slopes and of their gradients: FusedOutput reads and writes whole arrays */
    private INDArray[] plain, plainGrad;
    private int[] deconvArgs;
    private OutputTerm term;

    /**
     * @param params   the parameters, model-file names (as {@link SrResNet#initParams}): contiguous float
     *                 c-order arrays (views of one flat array will do), read each step (the caller updates them in place)
     * @param grads    arrays of the same shapes, written each step: every parameter, or with {@code tailOnly}
     *                 those of the upsampling blocks and the output convolution
     * @param tailOnly stop the backward after the upsampling blocks (a frozen trunk)
     */
    public TrainingPass(GeneratorConfig config, Map<String, INDArray> params, Map<String, INDArray> grads, boolean tailOnly) {
        this.c = config;
        this.p = params;
        this.g = grads;
        this.tailOnly = tailOnly;
        this.bn = config.batchNorm();
        this.fused = config.upsampling() == GeneratorConfig.Upsampling.SUBPIXEL;
        this.type = params.values().iterator().next().dataType();
        this.layers = new EagerLayers(type);
        this.pool = layers.pool;
        this.times = layers.times;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray a = e.getValue();
            if (a.dataType() != type || a.ordering() != 'c' || !java.util.Arrays.equals(a.stride(), Nd4j.getStrides(a.shape(), 'c')))
                throw new IllegalArgumentException("Parameter " + e.getKey() + " must be a contiguous " + type + " c-order array like the others.");
            if (e.getKey().endsWith("/alpha")) {
                slope.put(e.getKey(), a.reshape('c', 1, 1, 1, a.length()));
                INDArray ga = grads.get(e.getKey());
                if (ga != null) slopeGrad.put(e.getKey(), ga.reshape('c', 1, ga.length()));
            }
        }
        bicubic = config.bicubicSkip() ? SrResNet.bicubicSkipKernel(config.channels(), config.scale()).castTo(type) : null;
        fusion = fused ? new FusedOutput(config) : null;
        if (fused) {
            long w4 = 4L * config.width(), c4 = 4L * config.channels();
            fusedW = Nd4j.create(type, fusion.kernelShape());
            gFusedW = Nd4j.create(type, fusion.kernelShape());
            fusedB = Nd4j.create(type, c4);
            gFusedB = Nd4j.create(type, c4);
            fusedAlpha = Nd4j.create(type, w4);
            fusedSlope = fusedAlpha.reshape('c', 1, 1, 1, w4);
            gFusedAlpha = Nd4j.create(type, w4);
            gFusedSlope = gFusedAlpha.reshape('c', 1, w4);
            String[] names = plainNames();
            plain = new INDArray[3];
            plainGrad = new INDArray[3];
            for (int i = 0; i < 3; i++) {
                plain[i] = Nd4j.create(type, params.get(names[i]).shape());
                plainGrad[i] = Nd4j.create(type, params.get(names[i]).shape());
            }
        }
        for (String layer : SrResNet.batchNormLayers(config)) norms.put(layer, new EagerLayers.Norm(type, config.width()));
    }

    /**
     * A term of the loss besides the pixel MSE that depends on the generator's output only (the
     * adversarial term): called once per step between the forward and the backward.
     */
    public interface OutputTerm {
        /**
         * @param output   the batch's outputs, (n, H, W, C) channels-last; read only, valid during the call
         * @param gradient the loss's gradient by the output so far (the MSE's), same layout: add this term's into it
         */
        void addGradient(INDArray output, INDArray gradient);
    }

    /** The loss's other term ({@link OutputTerm}), or null for pixel MSE alone. */
    public void setOutputTerm(OutputTerm term) {
        this.term = term;
    }

    /** Per-op wall times of the steps run while enabled. */
    public OpTimes times() {
        return times;
    }

    /** Bytes of native buffers the pass holds for activations (after a step: what a step needs). */
    public long bufferBytes() {
        return pool.allocatedBytes();
    }

    /** Batch mean of a batch-norm layer in the last step, (1, C). */
    public INDArray batchMean(String layer) {
        return norms.get(layer).mean;
    }

    /** Biased batch variance of a batch-norm layer in the last step, (1, C). */
    public INDArray batchVar(String layer) {
        return norms.get(layer).var;
    }

    // ------------------------------------------------------------------ the step

    /** What the backward of a residual block needs. */
    private record Block(INDArray in, INDArray pre, INDArray post) {
    }

    /** What the backward of an upsampling stage needs: its input, PReLU's input and PReLU's output. */
    private record Stage(INDArray in, INDArray pre, INDArray post) {
    }

    /**
     * Forward, loss and backward on a batch: inputs {@code lr} (n, C, h, w) and targets {@code hr}
     * (n, C, h*scale, w*scale), NCHW as the trainers take them (neither is changed; views will do).
     * Writes the gradients of the mean squared error and returns it.
     */
    public double step(INDArray lr, INDArray hr) {
        return sumOfSquares(lr, hr, hr.length()) / hr.length();
    }

    /**
     * Forward and backward on a part of a batch: writes the gradients of (sum of squared errors of this
     * part) / {@code count} and returns that sum. With {@code count} the whole batch's number of values,
     * the parts' gradients add up to the batch's mean squared error's (data-parallel workers).
     */
    public double sumOfSquares(INDArray lr, INDArray hr, double count) {
        long n = lr.size(0), h = lr.size(2), w = lr.size(3);
        int ch = c.channels(), s = c.scale();
        if (fused) {
            long t0 = times.start();
            String[] names = plainNames();
            for (int i = 0; i < 3; i++) plain[i].assign(p.get(names[i]));
            fusion.fuse(plain[0], plain[1], plain[2], fusedW, fusedB, fusedAlpha);
            times.add("fuse output weights", t0);
        }
        long t0 = times.start();
        INDArray x = pool.take(n, h, w, ch);
        x.assign(lr.permute(0, 2, 3, 1));
        times.add("layout (input, target)", t0);
        INDArray skip = null;
        if (bicubic != null) skip = depthToSpace(conv(x, bicubic, null, 5, "bicubic skip"), s);

        // ---- forward
        INDArray h0 = conv(x, "conv_in", 9);
        INDArray head = prelu(h0, "prelu_in");
        INDArray cur = head;
        List<Block> blocks = new ArrayList<>();
        for (int b = 1; b <= c.blocks(); b++) {
            String name = "res" + b;
            INDArray a = conv(cur, name + "_conv1", 3);
            if (bn) a = batchNorm(a, name + "_bn1");
            INDArray post = prelu(a, name + "_prelu");
            INDArray r = conv(post, name + "_conv2", 3);
            if (bn) r = batchNorm(r, name + "_bn2");
            t0 = times.start();
            if (c.residualScale() != 1.0) Nd4j.exec(new ScalarMultiplication(r, null, r, c.residualScale()));
            Nd4j.exec(new AddOp(r, cur, r));
            times.add("residual scale and add", t0);
            blocks.add(new Block(cur, a, post));
            cur = r;
        }
        INDArray trunk = cur;
        INDArray mid = conv(trunk, "mid_conv", 3);
        if (bn) mid = batchNorm(mid, "mid_bn");
        t0 = times.start();
        Nd4j.exec(new AddOp(mid, head, mid));
        times.add("residual scale and add", t0);
        cur = mid;
        List<Stage> stages = new ArrayList<>();
        INDArray out;
        int stagesCount = c.upsamplingStages();
        for (int u = 1; u <= stagesCount; u++) {
            String name = "up" + u;
            INDArray pre;
            if (fused && u == stagesCount) {
                pre = conv(cur, name + "_conv", 3);
                INDArray post = prelu(pre, fusedSlope, "prelu");
                stages.add(new Stage(cur, pre, post));
                cur = post;
                break;
            }
            if (c.upsampling() == GeneratorConfig.Upsampling.SUBPIXEL) {
                pre = depthToSpace(conv(cur, name + "_conv", 3), 2);
            } else {
                INDArray wt = p.get(name + "_deconv/W"); // [kH, kW, out, in]
                pre = pool.take(cur.size(0), 2 * cur.size(1), 2 * cur.size(2), wt.size(2));
                t0 = times.start();
                Nd4j.exec(new DeConv2D(cur, wt, p.get(name + "_deconv/b"), pre, ForwardPass.DECONV));
                times.add("deconv 4x4/2 forward", t0);
            }
            INDArray post = prelu(pre, name + "_prelu");
            stages.add(new Stage(cur, pre, post));
            cur = post;
        }
        if (fused) out = depthToSpace(conv(cur, fusedW, fusedB, 5, "conv_out fused"), 2);
        else out = conv(cur, "conv_out", 9);
        t0 = times.start();
        if (skip != null) {
            Nd4j.exec(new AddOp(out, skip, out));
            pool.give(skip);
        }
        times.add("residual scale and add", t0);

        // ---- loss: mean squared error, and its gradient 2 (out - target) / count (plus another term's)
        INDArray output = null;
        if (term != null) {
            t0 = times.start();
            output = pool.take(out.shape());
            output.assign(out);
            times.add("output term", t0);
        }
        t0 = times.start();
        INDArray target = pool.take(n, h * s, w * s, ch);
        target.assign(hr.permute(0, 2, 3, 1));
        times.add("layout (input, target)", t0);
        t0 = times.start();
        Nd4j.exec(new SubOp(out, target, out));
        pool.give(target);
        double norm = out.norm2Number().doubleValue();
        double loss = norm * norm;
        Nd4j.exec(new ScalarMultiplication(out, null, out, 2 / count));
        times.add("loss", t0);
        if (term != null) {
            t0 = times.start();
            term.addGradient(output, out);
            pool.give(output);
            times.add("output term", t0);
        }

        // ---- backward
        INDArray grad = out;
        if (fused) {
            Stage st = stages.remove(stages.size() - 1);
            INDArray gq = spaceToDepth(grad, 2);
            pool.give(grad);
            INDArray gPost = convBackward(st.post(), fusedW, fusedB, gq, gFusedW, gFusedB, 5, "conv_out fused");
            pool.give(gq);
            pool.give(st.post());
            INDArray gPre = preluBackward(st.pre(), fusedSlope, gPost, gFusedSlope, "prelu");
            pool.give(st.pre());
            int u = c.upsamplingStages();
            grad = convBackward(st.in(), "up" + u + "_conv", gPre, 3);
            pool.give(gPre);
            pool.give(st.in());
            t0 = times.start();
            fusion.unfuse(gFusedW, gFusedB, gFusedAlpha, plainGrad[0], plainGrad[1], plainGrad[2]);
            String[] names = plainNames();
            for (int i = 0; i < 3; i++) g.get(names[i]).assign(plainGrad[i]);
            times.add("fuse output weights", t0);
        } else {
            INDArray gi = convBackward(cur, "conv_out", grad, 9);
            pool.give(grad);
            pool.give(cur);
            grad = gi;
        }
        for (int u = stages.size(); u >= 1; u--) {
            Stage st = stages.get(u - 1);
            String name = "up" + u;
            INDArray gPre = preluBackward(st.pre(), name + "_prelu", grad);
            pool.give(st.pre());
            if (c.upsampling() == GeneratorConfig.Upsampling.SUBPIXEL) {
                INDArray gz = spaceToDepth(gPre, 2);
                pool.give(gPre);
                grad = convBackward(st.in(), name + "_conv", gz, 3);
                pool.give(gz);
            } else {
                grad = deconvBackward(st.in(), name + "_deconv", gPre);
                pool.give(gPre);
            }
            pool.give(st.in());
        }
        if (tailOnly) {
            pool.give(grad);
            for (Block b : blocks) {
                pool.give(b.in());
                pool.give(b.pre());
                pool.give(b.post());
            }
            pool.give(trunk);
            pool.give(h0);
            pool.give(x);
            for (EagerLayers.Norm state : norms.values()) state.release(pool);
            times.countStep();
            return loss;
        }
        // grad: gradient of the mid stage's output = BN(conv(trunk)) + head
        INDArray gMid = grad;
        INDArray gm = bn ? batchNormBackward(gMid, "mid_bn") : gMid;
        INDArray gc = convBackward(trunk, "mid_conv", gm, 3);
        if (gm != gMid) pool.give(gm);
        pool.give(trunk);
        for (int b = blocks.size(); b >= 1; b--) {
            Block blk = blocks.get(b - 1);
            String name = "res" + b;
            // gc: gradient of the block's output in + scale * branch
            INDArray gr = gc;
            if (c.residualScale() != 1.0) {
                t0 = times.start();
                gr = pool.take(gc.shape());
                Nd4j.exec(new ScalarMultiplication(gc, null, gr, c.residualScale()));
                times.add("residual scale and add", t0);
            }
            if (bn) {
                INDArray t = batchNormBackward(gr, name + "_bn2");
                if (gr != gc) pool.give(gr);
                gr = t;
            }
            INDArray gPost = convBackward(blk.post(), name + "_conv2", gr, 3);
            if (gr != gc) pool.give(gr);
            pool.give(blk.post());
            INDArray gPre = preluBackward(blk.pre(), name + "_prelu", gPost);
            pool.give(blk.pre());
            if (bn) {
                INDArray t = batchNormBackward(gPre, name + "_bn1");
                pool.give(gPre);
                gPre = t;
            }
            INDArray gIn = convBackward(blk.in(), name + "_conv1", gPre, 3);
            pool.give(gPre);
            pool.give(blk.in());
            t0 = times.start();
            Nd4j.exec(new AddOp(gIn, gc, gIn));
            times.add("residual scale and add", t0);
            pool.give(gc);
            gc = gIn;
        }
        // gc: gradient of the head from the trunk; the global skip adds the mid stage's
        t0 = times.start();
        Nd4j.exec(new AddOp(gc, gMid, gc));
        times.add("residual scale and add", t0);
        pool.give(gMid);
        INDArray gh = preluBackward(h0, "prelu_in", gc);
        pool.give(h0);
        INDArray gx = convBackward(x, "conv_in", gh, 9);
        pool.give(gh);
        pool.give(gx);
        pool.give(x);
        for (EagerLayers.Norm state : norms.values()) state.release(pool);
        times.countStep();
        return loss;
    }

    /** The parameters the fused output stage is built from: conv_out/W, conv_out/b and the last stage's slopes. */
    private String[] plainNames() {
        return new String[]{"conv_out/W", "conv_out/b", "up" + c.upsamplingStages() + "_prelu/alpha"};
    }

    // ------------------------------------------------------------------ convolution

    private INDArray conv(INDArray in, String name, int k) {
        return conv(in, p.get(name + "/W"), p.get(name + "/b"), k, name);
    }

    private INDArray conv(INDArray in, INDArray wt, INDArray b, int k, String label) {
        return layers.conv(in, wt, b, k, 1, label);
    }

    private INDArray convBackward(INDArray in, String name, INDArray gOut, int k) {
        return convBackward(in, p.get(name + "/W"), p.get(name + "/b"), gOut, g.get(name + "/W"), g.get(name + "/b"), k, name);
    }

    /** Writes the weight and bias gradients; returns the input's gradient (from the pool). */
    private INDArray convBackward(INDArray in, INDArray wt, INDArray b, INDArray gOut, INDArray gW, INDArray gB, int k, String name) {
        return layers.convBackward(in, wt, b, gOut, gW, gB, k, 1, name);
    }

    private INDArray deconvBackward(INDArray in, String name, INDArray gOut) {
        INDArray wt = p.get(name + "/W"), b = p.get(name + "/b");
        INDArray gIn = pool.take(in.shape());
        long t0 = times.start();
        if (deconvArgs == null) {
            long[] a = new DeConv2D(in, wt, b, gOut, ForwardPass.DECONV).iArgs();
            deconvArgs = new int[a.length];
            for (int i = 0; i < a.length; i++) deconvArgs[i] = (int) a[i];
        }
        Nd4j.exec(DynamicCustomOp.builder("deconv2d_bp").addInputs(in, wt, b, gOut).addOutputs(gIn, g.get(name + "/W"), g.get(name + "/b"))
                .addIntegerArguments(deconvArgs).build());
        times.add("deconv 4x4/2 backward", t0);
        return gIn;
    }

    // ------------------------------------------------------------------ depth-to-space

    /** Depth-to-space (TensorFlow channel order); gives its input back. */
    private INDArray depthToSpace(INDArray in, int block) {
        return layers.depthToSpace(in, block);
    }

    /** Space-to-depth: depth-to-space's backward. Keeps its input. */
    private INDArray spaceToDepth(INDArray in, int block) {
        return layers.spaceToDepth(in, block);
    }

    // ------------------------------------------------------------------ PReLU

    private INDArray prelu(INDArray x, String name) {
        return prelu(x, slope.get(name + "/alpha"), "prelu");
    }

    /** max(x, a x) into a new buffer; x is kept (the backward needs it). */
    private INDArray prelu(INDArray x, INDArray a, String label) {
        INDArray y = pool.take(x.shape());
        long t0 = times.start();
        Nd4j.exec(new MulOp(x, a, y));
        Nd4j.exec(new Max(x, y, y));
        times.add(label + " forward", t0);
        return y;
    }

    private INDArray preluBackward(INDArray x, String name, INDArray gy) {
        return preluBackward(x, slope.get(name + "/alpha"), gy, slopeGrad.get(name + "/alpha"), "prelu");
    }

    /**
     * The gradient of max(x, a x) for 0 <= a <= 1: writes the slopes' gradient sum(gy * min(x, 0)) per
     * channel into {@code gA} (1, C) and returns gy where x > 0, a gy elsewhere, computed in gy's buffer:
     * seven passes over the activation and a GEMM.
     */
    private INDArray preluBackward(INDArray x, INDArray a, INDArray gy, INDArray gA, String label) {
        if (gA == null) throw new IllegalStateException("No gradient array for a PReLU slope.");
        long t0 = times.start();
        INDArray t = pool.take(x.shape());
        Nd4j.exec(new ScalarMin(x, null, t, 0.0));
        Nd4j.exec(new MulOp(t, gy, t));
        columnSums(t, gA, 1.0);
        Nd4j.exec(new Step(x, t, 0.0)); // 1 where x > 0, else 0
        // 1 where x > 0, else a: step * (1 - a) + a (max(step, a) is the same, but the broadcasting
        // maximum op took 43 ms where these two take 9 on 16 x 48 x 48 x 256)
        INDArray oneMinusA = pool.take(a.shape());
        oneMinusA.assign(a).rsubi(1.0);
        Nd4j.exec(new MulOp(t, oneMinusA, t));
        Nd4j.exec(new AddOp(t, a, t));
        Nd4j.exec(new MulOp(gy, t, gy));
        pool.give(oneMinusA);
        pool.give(t);
        times.add(label + " backward", t0);
        return gy;
    }

    // ------------------------------------------------------------------ batch-norm

    /** Training batch-norm of a conv output (given back): (x - mean) / sqrt(var + eps) * gamma + beta. */
    private INDArray batchNorm(INDArray x, String layer) {
        return layers.batchNorm(x, norms.get(layer), p.get(layer + "/gamma"), p.get(layer + "/beta"));
    }

    /** The gradient of a training batch-norm: writes gamma's and beta's gradients and returns the input's, in a new buffer. */
    private INDArray batchNormBackward(INDArray gy, String layer) {
        return layers.batchNormBackward(gy, norms.get(layer), p.get(layer + "/gamma"), g.get(layer + "/gamma"), g.get(layer + "/beta"));
    }

    private void columnSums(INDArray a, INDArray out, double factor) {
        layers.columnSums(a, out, factor);
    }

    @Override
    public void close() {
        layers.close();
        for (EagerLayers.Norm st : norms.values()) st.close();
        if (fused) {
            for (INDArray a : new INDArray[]{fusedW, fusedB, fusedAlpha, gFusedW, gFusedB, gFusedAlpha}) a.close();
            for (int i = 0; i < 3; i++) {
                plain[i].close();
                plainGrad[i].close();
            }
        }
        if (bicubic != null) bicubic.close();
    }
}
