package io.github.superresolve.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.HashMap;
import java.util.Map;

/**
 * The layers of the eager training passes (the generator's {@link TrainingPass}, the discriminator's
 * {@link DiscriminatorPass}) on channels-last (NHWC) arrays: convolution with its native backprop op,
 * training batch-norm, leaky ReLU, depth-to-space and per-channel sums, activations from one
 * {@link ArrayPool} and timed into one {@link OpTimes}. Why each is built as it is: {@link TrainingPass}.
 */
final class EagerLayers implements AutoCloseable {

    final DataType type;
    final ArrayPool pool;
    final OpTimes times = new OpTimes();
    /** rows of ones for per-channel sums, by length */
    private final Map<Long, INDArray> ones = new HashMap<>();
    /** SAME-padded NHWC convolutions by kernel side and stride */
    private final Map<Long, Conv2DConfig> configs = new HashMap<>();

    EagerLayers(DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) throw new IllegalArgumentException("Parameters must be float (or double, for tests).");
        this.type = type;
        this.pool = new ArrayPool(type);
    }

    // ------------------------------------------------------------------ convolution

    private Conv2DConfig config(int k, int stride) {
        if (stride == 1 && k < ForwardPass.CONV.length && ForwardPass.CONV[k] != null) return ForwardPass.CONV[k];
        return configs.computeIfAbsent(k * 16L + stride, key -> Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride)
                .paddingMode(PaddingMode.SAME).dataFormat("NHWC").build());
    }

    /** A k x k convolution (SAME padding, {@code stride}) of {@code in} (n, h, w, C) with {@code wt} [k, k, C, C'], optional bias, into a new buffer. */
    INDArray conv(INDArray in, INDArray wt, INDArray b, int k, int stride, String label) {
        INDArray out = pool.take(in.size(0), (in.size(1) + stride - 1) / stride, (in.size(2) + stride - 1) / stride, wt.size(3));
        long t0 = times.start();
        Conv2DConfig cfg = config(k, stride);
        Nd4j.exec(b == null ? new Conv2D(new INDArray[]{in, wt}, new INDArray[]{out}, cfg) : new Conv2D(in, wt, b, out, cfg));
        times.add(convLabel("forward", in, wt, k, stride, label), t0);
        return out;
    }

    /**
     * The backward of {@link #conv}: writes the weight and bias gradients into {@code gW} and {@code gB}
     * (without a bias: {@code b} and {@code gB} null) and returns the input's gradient (from the pool).
     */
    INDArray convBackward(INDArray in, INDArray wt, INDArray b, INDArray gOut, INDArray gW, INDArray gB, int k, int stride, String label) {
        if (gW == null || (b != null && gB == null)) throw new IllegalStateException("No gradient array for " + label + ".");
        INDArray gIn = pool.take(in.shape());
        long t0 = times.start();
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp");
        if (b != null) op.addInputs(in, wt, b, gOut).addOutputs(gIn, gW, gB);
        else op.addInputs(in, wt, gOut).addOutputs(gIn, gW);
        Nd4j.exec(op.addIntegerArguments(k, k, stride, stride, 0, 0, 1, 1, 1 /* same */, 1 /* NHWC */, 0 /* [kH, kW, iC, oC] */).build());
        times.add(convLabel("backward", in, wt, k, stride, label), t0);
        return gIn;
    }

    private static String convLabel(String what, INDArray in, INDArray wt, int k, int stride, String label) {
        return label + " conv " + k + "x" + k + (stride > 1 ? "/" + stride : "") + " " + wt.size(2) + ">" + wt.size(3) + " @" + in.size(1) + " " + what;
    }

    // ------------------------------------------------------------------ leaky ReLU

    /** max(x, a x) for a fixed slope 0 <= a <= 1 into a new buffer; x is kept (the backward needs it). */
    INDArray leaky(INDArray x, double a) {
        INDArray y = pool.take(x.shape());
        long t0 = times.start();
        Nd4j.exec(new ScalarMultiplication(x, null, y, a));
        Nd4j.exec(new Max(x, y, y));
        times.add("leaky relu forward", t0);
        return y;
    }

    /**
     * max(x, a x) in x's own buffer (returned), for a fixed slope 0 < a <= 1: the output is positive where
     * x was, so {@link #leakyBackward} takes the output in place of the input.
     */
    INDArray leakyInPlace(INDArray x, double a) {
        if (!(a > 0)) throw new IllegalArgumentException("An in-place leaky ReLU needs a positive slope.");
        INDArray t = pool.take(x.shape());
        long t0 = times.start();
        Nd4j.exec(new ScalarMultiplication(x, null, t, a));
        Nd4j.exec(new Max(x, t, x));
        times.add("leaky relu forward", t0);
        pool.give(t);
        return x;
    }

    /** The gradient of {@link #leaky}: gy where x > 0, a gy elsewhere, in gy's buffer (returned). */
    INDArray leakyBackward(INDArray x, double a, INDArray gy) {
        long t0 = times.start();
        INDArray t = pool.take(x.shape());
        Nd4j.exec(new Step(x, t, 0.0)); // 1 where x > 0, else 0
        Nd4j.exec(new ScalarMultiplication(t, null, t, 1 - a));
        Nd4j.exec(new ScalarAdd(t, null, t, a));
        Nd4j.exec(new MulOp(gy, t, gy));
        pool.give(t);
        times.add("leaky relu backward", t0);
        return gy;
    }

    // ------------------------------------------------------------------ batch-norm

    /** A batch-norm layer's step state: batch mean and biased variance, 1/sqrt(var + eps), and x-hat (pooled, per step). */
    static final class Norm {
        final INDArray mean, var, inv;
        INDArray xhat;

        Norm(DataType type, long width) {
            mean = Nd4j.create(type, 1, width);
            var = Nd4j.create(type, 1, width);
            inv = Nd4j.create(type, 1, width);
        }

        void release(ArrayPool pool) {
            if (xhat != null) pool.give(xhat);
            xhat = null;
        }

        void close() {
            mean.close();
            var.close();
            inv.close();
        }
    }

    /**
     * Training batch-norm of a conv output {@code x} (given back, normalised in place):
     * (x - mean) / sqrt(var + eps) * gamma + beta, statistics over every position of the batch.
     */
    INDArray batchNorm(INDArray x, Norm st, INDArray gamma, INDArray beta) {
        long t0 = times.start();
        long cch = x.size(3), m = x.length() / cch;
        INDArray x2 = x.reshape('c', m, cch);
        columnSums(x2, st.mean, 1.0 / m);
        INDArray xhat = pool.take(x.shape());
        INDArray xh2 = xhat.reshape('c', m, cch);
        Nd4j.exec(new SubOp(x2, st.mean, xh2));
        Nd4j.exec(new MulOp(xh2, xh2, x2)); // squares, in x's buffer (x is not needed any more)
        columnSums(x2, st.var, 1.0 / m);
        st.inv.assign(st.var).addi(SrResNet.BN_EPS);
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.floating.RSqrt(st.inv, st.inv));
        Nd4j.exec(new MulOp(xh2, st.inv, xh2));
        Nd4j.exec(new MulOp(xh2, gamma.reshape('c', 1, cch), x2));
        Nd4j.exec(new AddOp(x2, beta.reshape('c', 1, cch), x2));
        st.xhat = xhat;
        times.add("batch-norm forward", t0);
        return x;
    }

    /**
     * The gradient of a training batch-norm: writes gamma's and beta's gradients and returns the
     * input's, (gamma / sqrt(var + eps)) (gy - mean(gy) - x-hat mean(gy x-hat)), in a new buffer.
     */
    INDArray batchNormBackward(INDArray gy, Norm st, INDArray gamma, INDArray gGamma, INDArray gBeta) {
        long t0 = times.start();
        long cch = gy.size(3), m = gy.length() / cch;
        INDArray g2 = gy.reshape('c', m, cch), xh2 = st.xhat.reshape('c', m, cch);
        gGamma = gGamma.reshape('c', 1, cch);
        gBeta = gBeta.reshape('c', 1, cch);
        INDArray gx = pool.take(gy.shape());
        INDArray gx2 = gx.reshape('c', m, cch);
        columnSums(g2, gBeta, 1.0);
        Nd4j.exec(new MulOp(g2, xh2, gx2));
        columnSums(gx2, gGamma, 1.0);
        INDArray meanG = pool.take(1, cch), meanGx = pool.take(1, cch), scale = pool.take(1, cch);
        meanG.assign(gBeta).muli(1.0 / m);
        meanGx.assign(gGamma).muli(1.0 / m);
        Nd4j.exec(new MulOp(xh2, meanGx, gx2));
        Nd4j.exec(new SubOp(g2, gx2, gx2));
        Nd4j.exec(new SubOp(gx2, meanG, gx2));
        scale.assign(gamma.reshape('c', 1, cch)).muli(st.inv);
        Nd4j.exec(new MulOp(gx2, scale, gx2));
        pool.give(meanG);
        pool.give(meanGx);
        pool.give(scale);
        times.add("batch-norm backward", t0);
        return gx;
    }

    // ------------------------------------------------------------------ depth-to-space

    /** Depth-to-space (TensorFlow channel order); gives its input back. */
    INDArray depthToSpace(INDArray in, int block) {
        INDArray out = pool.take(in.size(0), in.size(1) * block, in.size(2) * block, in.size(3) / ((long) block * block));
        long t0 = times.start();
        shuffle(in, out, block, true);
        times.add("depth-to-space / space-to-depth", t0);
        pool.give(in);
        return out;
    }

    /** Space-to-depth: depth-to-space's backward (the same permutation, inverted). Keeps its input. */
    INDArray spaceToDepth(INDArray in, int block) {
        INDArray out = pool.take(in.size(0), in.size(1) / block, in.size(2) / block, in.size(3) * block * block);
        long t0 = times.start();
        shuffle(out, in, block, false);
        times.add("depth-to-space / space-to-depth", t0);
        return out;
    }

    /**
     * Moves values between {@code depth} (n, h, w, b*b*C) and {@code space} (n, h*b, w*b, C) in
     * TensorFlow's depth-to-space order, one strided copy per row phase: seen as (n, h, w, b, b*C) and
     * (n, h, b, w, b*C) both have rows of b*C contiguous values. Measured: 6.3 ms where libnd4j's
     * DepthToSpace op takes 21 ms (16 x 24 x 24 x 256, one thread), 13 vs 84 ms on 16 x 48 x 48 x 256,
     * and SpaceToDepth is slower still.
     */
    private static void shuffle(INDArray depth, INDArray space, int b, boolean toSpace) {
        long n = depth.size(0), h = depth.size(1), w = depth.size(2), row = depth.size(3) / b;
        INDArray d = depth.reshape('c', n, h, w, b, row), s = space.reshape('c', n, h, b, w, row);
        for (int phase = 0; phase < b; phase++) {
            INDArray dv = d.get(ALL, ALL, ALL, NDArrayIndex.point(phase), ALL), sv = s.get(ALL, ALL, NDArrayIndex.point(phase), ALL, ALL);
            if (toSpace) sv.assign(dv);
            else dv.assign(sv);
        }
    }

    private static final INDArrayIndex ALL = NDArrayIndex.all();

    // ------------------------------------------------------------------ per-channel sums

    /** out (1, C) = factor * the column sums of {@code a} seen as (pixels, C): a GEMM with a row of ones. */
    void columnSums(INDArray a, INDArray out, double factor) {
        long cch = a.size(a.rank() - 1), m = a.length() / cch;
        INDArray one = ones.computeIfAbsent(m, k -> Nd4j.ones(type, 1, k));
        Nd4j.gemm(one, a.reshape('c', m, cch), out.reshape('c', 1, cch), false, false, factor, 0.0);
    }

    @Override
    public void close() {
        pool.clear();
        for (INDArray a : ones.values()) a.close();
        ones.clear();
    }
}
