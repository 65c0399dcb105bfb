package io.github.superresolve.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Forward and backward of a convolutional discriminator ({@link Discriminator}, every kind but
 * {@link Discriminator.Kind#FFT}) on the eager layers ({@link EagerLayers}: channels-last, oneDNN
 * convolutions and their native backprop ops, pooled buffers): the maths of {@link Discriminator#logits}
 * with batch statistics, in another order of float operations. One pass serves both users: the
 * discriminator's own step (gradients of its parameters) and the generator's adversarial term (the
 * gradient by the images, through the fixed filter in front).
 *
 * <p>Measured why (batch of 32 images of 3 x 96 x 96, highpass-strong, 2 cores): the SameDiff graph
 * took 2.8-3.5 s per forward and backward and held ~2.3 GB per call; see {@code docs/training.md}.
 *
 * <p>Use: fill {@link #images(long)}, call {@link #forward}, then {@link #backward} with the loss's
 * gradient by the logits. Arrays returned stay valid until the next forward.
 */
public final class DiscriminatorPass implements AutoCloseable {

    private static final double SLOPE = 0.2;
    private static final int LAYERS = Discriminator.WIDTHS.length;

    private final Discriminator.Kind kind;
    private final int channels, size, scale;
    private final Map<String, INDArray> p, g;
    private final boolean ownGradients;
    private final EagerLayers layers;
    private final INDArray filter, filterGrad, condFilter, bicubic;
    private final int filterSide, condSide;
    private final EagerLayers.Norm[] norms = new EagerLayers.Norm[LAYERS];
    /** the step's buffers, given back to the pool at the next forward */
    private final List<INDArray> held = new ArrayList<>();
    /** each convolution's input, and its layer's output (after batch-norm and leaky ReLU, in the conv's buffer) */
    private final INDArray[] ins = new INDArray[LAYERS], pres = new INDArray[LAYERS];
    private INDArray x, detail, flat, z1, a1, logits, inputGradient;
    private long m;

    /**
     * @param scale  the generator's factor (a conditional discriminator upsamples its inputs by it), else ignored
     * @param params the discriminator's parameters (as {@link Discriminator#initParams}): float c-order arrays,
     *               read each step (the caller updates them in place)
     * @param grads  arrays of the same shapes, written by each {@link #backward}; null when only the images'
     *               gradient is wanted (the generator's adversarial term)
     */
    public DiscriminatorPass(Discriminator.Kind kind, int channels, int size, int scale, Map<String, INDArray> params,
                             Map<String, INDArray> grads) {
        if (kind == Discriminator.Kind.FFT) throw new IllegalArgumentException("The FFT discriminator has no convolutional pass.");
        if (size % 16 != 0) throw new IllegalArgumentException("The discriminator's input side must be a multiple of 16, not " + size + ".");
        if (kind.conditional() && scale < 2) throw new IllegalArgumentException("A conditional discriminator needs the generator's scale.");
        this.kind = kind;
        this.channels = channels;
        this.size = size;
        this.scale = scale;
        this.p = params;
        this.layers = new EagerLayers(params.values().iterator().next().dataType());
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray a = e.getValue();
            if (a.dataType() != layers.type || a.ordering() != 'c' || !java.util.Arrays.equals(a.stride(), Nd4j.getStrides(a.shape(), 'c')))
                throw new IllegalArgumentException("Parameter " + e.getKey() + " must be a contiguous " + layers.type + " c-order array like the others.");
        }
        ownGradients = grads == null;
        if (ownGradients) { // conv2d_bp writes weight gradients whether wanted or not: scratch arrays
            grads = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : params.entrySet()) grads.put(e.getKey(), Nd4j.create(layers.type, e.getValue().shape()));
        }
        this.g = grads;
        INDArray f = Discriminator.filterKernel(kind, channels);
        filter = f == null ? null : f.castTo(layers.type);
        filterSide = f == null ? 0 : (int) f.size(0);
        filterGrad = f == null ? null : Nd4j.create(layers.type, f.shape());
        boolean strongCondition = kind == Discriminator.Kind.CONDITIONAL_STRONG;
        condFilter = strongCondition ? Discriminator.gaussianKernel(channels, Discriminator.HIGHPASS_SIGMA).castTo(layers.type) : null;
        condSide = strongCondition ? (int) condFilter.size(0) : 0;
        bicubic = kind.conditional() ? SrResNet.bicubicSkipKernel(channels, scale).castTo(layers.type) : null;
        for (int i = 1; i < LAYERS; i++) norms[i] = new EagerLayers.Norm(layers.type, Discriminator.WIDTHS[i]);
    }

    /** Per-op wall times of the passes run while enabled. */
    public OpTimes times() {
        return layers.times;
    }

    /** Bytes of native buffers the pass holds for activations. */
    public long bufferBytes() {
        return layers.pool.allocatedBytes();
    }

    private boolean strong() {
        return kind == Discriminator.Kind.HIGHPASS_STRONG || kind == Discriminator.Kind.CONDITIONAL_STRONG;
    }

    /** Gives back the last step's buffers: a new step starts. */
    private void release() {
        for (INDArray a : held) layers.pool.give(a);
        held.clear();
        for (EagerLayers.Norm n : norms) if (n != null) n.release(layers.pool);
        x = detail = flat = z1 = a1 = logits = inputGradient = null;
    }

    private INDArray hold(INDArray a) {
        held.add(a);
        return a;
    }

    /**
     * The input buffer of the next forward, (m, size, size, channels) channels-last, for the caller to
     * fill with the images (values ~[0, 1]). Starts a new step: the last step's arrays are released.
     */
    public INDArray images(long m) {
        release();
        this.m = m;
        x = hold(layers.pool.take(m, size, size, channels));
        return x;
    }

    /**
     * The logits (m, 1) of the images in {@link #images(long)}.
     *
     * @param inputs a conditional discriminator's generator inputs of each image, NCHW (m, C, size/scale,
     *               size/scale); ignored by the others
     */
    public INDArray forward(INDArray inputs) {
        if (x == null) throw new IllegalStateException("Fill images(m) before each forward.");
        OpTimes times = layers.times;
        // ---- the fixed filter in front, and the condition beside
        INDArray h;
        INDArray d = filter == null ? x : hold(layers.conv(x, filter, null, filterSide, 1, "filter"));
        if (strong()) { // gain * (d - clamp(d, -t, t)): the soft threshold
            long t0 = times.start();
            INDArray c = layers.pool.take(d.shape());
            Nd4j.exec(new ScalarMax(d, null, c, -Discriminator.STRONG_THRESHOLD));
            Nd4j.exec(new ScalarMin(c, null, c, Discriminator.STRONG_THRESHOLD));
            Nd4j.exec(new SubOp(d, c, c));
            Nd4j.exec(new ScalarMultiplication(c, null, c, Discriminator.STRONG_GAIN));
            times.add("soft threshold forward", t0);
            detail = d;
            d = hold(c);
        }
        if (kind.conditional()) {
            long t0;
            if (inputs == null || inputs.size(0) != m)
                throw new IllegalArgumentException("A conditional discriminator needs the generator's input of each image.");
            t0 = times.start();
            INDArray in = layers.pool.take(m, inputs.size(2), inputs.size(3), channels);
            in.assign(inputs.permute(0, 2, 3, 1));
            times.add("layout (condition)", t0);
            INDArray cond = layers.depthToSpace(layers.conv(in, bicubic, null, 5, 1, "bicubic"), scale);
            layers.pool.give(in);
            if (condFilter != null) { // gain (c - blur(c)) in the graph's order: c is ~0.5 where its detail is ~0.01
                INDArray blur = layers.conv(cond, condFilter, null, condSide, 1, "condition filter");
                t0 = times.start();
                Nd4j.exec(new SubOp(cond, blur, cond));
                Nd4j.exec(new ScalarMultiplication(cond, null, cond, Discriminator.HIGHPASS_GAIN));
                layers.pool.give(blur);
                times.add("condition filter", t0);
            }
            t0 = times.start();
            h = hold(layers.pool.take(m, size, size, 2L * channels));
            h.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, channels)).assign(d);
            h.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(channels, 2L * channels)).assign(cond);
            layers.pool.give(cond);
            times.add("layout (condition)", t0);
        } else {
            h = d;
        }
        // ---- eight convolutions, batch-norm after all but the first, leaky ReLU
        for (int i = 0; i < LAYERS; i++) {
            String n = "d" + (i + 1);
            ins[i] = h;
            INDArray z = hold(layers.conv(h, p.get(n + "/W"), p.get(n + "/b"), 3, i % 2 == 1 ? 2 : 1, n));
            if (i > 0) layers.batchNorm(z, norms[i], p.get(n + "_bn/gamma"), p.get(n + "_bn/beta"));
            h = pres[i] = layers.leakyInPlace(z, SLOPE); // its sign is the input's: the backward's mask
        }
        // ---- head: every position averaged (or, conv, flattened in the graph's NCHW order), dense, dense
        long t0 = times.start();
        long side = size / 16;
        if (kind == Discriminator.Kind.CONV) {
            flat = hold(layers.pool.take(m, 512 * side * side));
            flat.reshape('c', m, 512, side, side).assign(h.permute(0, 3, 1, 2));
        } else {
            flat = hold(layers.pool.take(m, 512));
            flat.assign(h.reshape('c', m, side * side, 512).mean(1));
        }
        z1 = hold(layers.pool.take(m, Discriminator.CONV_HIDDEN));
        Nd4j.gemm(flat, p.get("dense1/W"), z1, false, false, 1.0, 0.0);
        Nd4j.exec(new AddOp(z1, p.get("dense1/b").reshape('c', 1, Discriminator.CONV_HIDDEN), z1));
        times.add("dense forward", t0);
        a1 = hold(layers.leaky(z1, SLOPE));
        t0 = times.start();
        logits = hold(layers.pool.take(m, 1));
        Nd4j.gemm(a1, p.get("dense2/W"), logits, false, false, 1.0, 0.0);
        Nd4j.exec(new AddOp(logits, p.get("dense2/b").reshape('c', 1, 1), logits));
        times.add("dense forward", t0);
        return logits;
    }

    /**
     * Backward from {@code gLogits} (m, 1), the loss's gradient by the logits of the last forward:
     * writes the parameters' gradients (into the arrays given at construction) and, when
     * {@code imageGradient}, returns the gradient by the images (m, size, size, channels) channels-last
     * (null otherwise). Convolutions' biases right before batch-norm get gradients of rounding noise
     * around zero, as in the graph.
     */
    public INDArray backward(INDArray gLogits, boolean imageGradient) {
        if (logits == null) throw new IllegalStateException("Run forward before backward.");
        OpTimes times = layers.times;
        long t0 = times.start();
        int hidden = Discriminator.CONV_HIDDEN;
        Nd4j.gemm(a1, gLogits, g.get("dense2/W").reshape('c', hidden, 1), true, false, 1.0, 0.0);
        layers.columnSums(gLogits, g.get("dense2/b"), 1.0);
        INDArray ga = layers.pool.take(m, hidden);
        Nd4j.gemm(gLogits, p.get("dense2/W").reshape('c', hidden, 1), ga, false, true, 1.0, 0.0);
        times.add("dense backward", t0);
        layers.leakyBackward(z1, SLOPE, ga);
        t0 = times.start();
        Nd4j.gemm(flat, ga, g.get("dense1/W"), true, false, 1.0, 0.0);
        layers.columnSums(ga, g.get("dense1/b"), 1.0);
        INDArray gFlat = layers.pool.take(flat.shape());
        Nd4j.gemm(ga, p.get("dense1/W"), gFlat, false, true, 1.0, 0.0);
        layers.pool.give(ga);
        long side = size / 16;
        INDArray gh = layers.pool.take(m, side, side, 512);
        if (kind == Discriminator.Kind.CONV) {
            gh.assign(gFlat.reshape('c', m, 512, side, side).permute(0, 2, 3, 1));
        } else { // the mean's gradient: each position gets 1/positions of its image's
            INDArray each = gFlat.reshape('c', m, 1, 512);
            INDArray rows = gh.reshape('c', m, side * side, 512);
            for (long k = 0; k < side * side; k++) rows.get(NDArrayIndex.all(), NDArrayIndex.point(k), NDArrayIndex.all()).assign(each.reshape('c', m, 512));
            Nd4j.exec(new ScalarMultiplication(gh, null, gh, 1.0 / (side * side)));
        }
        layers.pool.give(gFlat);
        times.add("dense backward", t0);
        for (int i = LAYERS - 1; i >= 0; i--) {
            String n = "d" + (i + 1);
            layers.leakyBackward(pres[i], SLOPE, gh);
            if (i > 0) {
                INDArray t = layers.batchNormBackward(gh, norms[i], p.get(n + "_bn/gamma"), g.get(n + "_bn/gamma"), g.get(n + "_bn/beta"));
                layers.pool.give(gh);
                gh = t;
            }
            INDArray gIn = layers.convBackward(ins[i], p.get(n + "/W"), p.get(n + "/b"), gh, g.get(n + "/W"), g.get(n + "/b"), 3,
                    i % 2 == 1 ? 2 : 1, n);
            layers.pool.give(gh);
            gh = gIn;
        }
        if (!imageGradient) {
            layers.pool.give(gh);
            layers.times.countStep();
            return null;
        }
        // ---- through the filter in front to the images
        INDArray gd = gh;
        if (kind.conditional()) { // the image's channels; the condition's gradient goes nowhere
            t0 = times.start();
            gd = layers.pool.take(m, size, size, channels);
            gd.assign(gh.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, channels)));
            layers.pool.give(gh);
            times.add("layout (condition)", t0);
        }
        if (strong()) { // gain where |d| > t, else 0
            t0 = times.start();
            INDArray mask = layers.pool.take(detail.shape());
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.same.Abs(detail, mask));
            Nd4j.exec(new Step(mask, mask, Discriminator.STRONG_THRESHOLD));
            Nd4j.exec(new MulOp(gd, mask, gd));
            Nd4j.exec(new ScalarMultiplication(gd, null, gd, Discriminator.STRONG_GAIN));
            layers.pool.give(mask);
            times.add("soft threshold backward", t0);
        }
        if (filter != null) {
            INDArray gx = layers.convBackward(x, filter, null, gd, filterGrad, null, filterSide, 1, "filter");
            layers.pool.give(gd);
            gd = gx;
        }
        inputGradient = hold(gd);
        layers.times.countStep();
        return inputGradient;
    }

    @Override
    public void close() {
        release();
        layers.close();
        for (EagerLayers.Norm n : norms) if (n != null) n.close();
        if (ownGradients) for (INDArray a : g.values()) a.close();
        for (INDArray a : new INDArray[]{filter, filterGrad, condFilter, bicubic}) if (a != null) a.close();
    }
}
