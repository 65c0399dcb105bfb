package io.github.superresolve.nn;

import io.github.superresolve.image.Kernel;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.DataFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Builds the SRResNet generator as a SameDiff graph (NCHW), in the style of DL4J's model zoo: one
 * helper per block and parameter names per layer ({@code conv_in/W}, {@code res3_conv1/W},
 * {@code res3_bn1/gamma}, {@code up1_conv/W}, {@code conv_out/b}...).
 *
 * <p>Why SameDiff and not a DL4J {@code ComputationGraph}: in 1.0.0-M2.1 the graph's convolution layers
 * take the im2col path (~1 GFLOP/s on these CPUs) while libnd4j's {@code conv2d} op runs on oneDNN
 * (~50x faster). PReLU is built as {@code max(x, a*x)} at inference (valid for 0 <= a <= 1, else
 * {@code relu(x) - a*relu(-x)}); the built-in {@code prelu} op is ~3x slower. At inference batch-norm
 * is folded into the preceding convolution.
 *
 * <p>Convolution weights have ND4J's default layout [kH, kW, inChannels, outChannels]; transposed
 * convolution weights [kH, kW, outChannels, inChannels]. Depth-to-space uses TensorFlow's channel
 * order.
 */
public final class SrResNet {

    static {
        NativeBackend.init(); // choose the native build before ND4J loads
    }

    /** Name of the input placeholder: (batch, channels, height, width), values normalised to ~[0, 1]. */
    public static final String INPUT = "input";
    /** Name of the output variable. */
    public static final String OUTPUT = "output";
    static final double BN_EPS = 1e-5;

    private SrResNet() {
    }

    // ------------------------------------------------------------------ parameters

    /**
     * Standard deviation of the generator's hidden convolutions relative to He-normal: 1/sqrt(6), i.e.
     * std = 1/sqrt(3 fan_in), the spread of PyTorch's default initialisation (kaiming_uniform with
     * a = sqrt(5)) that the reference runs used. Measured with the fast recipe at x4 on the 48
     * training photos, validation gain over bicubic after 250 / 500 steps: He-normal +0.08 / +0.31 dB,
     * this +0.32 / +0.50 dB (docs/training.md): Adam's steps have a fixed size, so smaller weights
     * change relatively faster.
     */
    public static final double HIDDEN_GAIN = 1 / Math.sqrt(6);

    /** Fresh parameters: normal convolutions ({@link #HIDDEN_GAIN} x He), PReLU slopes 0.25, identity batch-norm. */
    public static Map<String, INDArray> initParams(GeneratorConfig c, long seed) {
        return initParams(c, seed, c.bicubicSkip() ? 0.0 : HIDDEN_GAIN);
    }

    /** As {@link #initParams(GeneratorConfig, long)} with the output convolution's gain relative to He-normal. */
    public static Map<String, INDArray> initParams(GeneratorConfig c, long seed, double outputGain) {
        Random rnd = new Random(seed);
        Map<String, INDArray> p = new LinkedHashMap<>();
        layout(c, outputGain, (name, std, value, shape) -> p.put(name, Double.isNaN(std)
                ? Nd4j.zeros(DataType.FLOAT, shape).addi(value) : normal(rnd, std, shape)));
        return p;
    }

    /**
     * The parameters a network of this configuration has, name to shape, without allocating them: what
     * a model file is checked against (a card can describe a network of many gigabytes).
     */
    public static Map<String, long[]> paramShapes(GeneratorConfig c) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        layout(c, 0, (name, std, value, shape) -> shapes.put(name, shape));
        return shapes;
    }

    /** Receives each parameter in order: a normal initialisation of {@code std}, or the constant {@code value} when std is NaN. */
    private interface Layout {
        void add(String name, double std, float value, long... shape);
    }

    /** The generator's parameters in order, each with its initialisation. */
    private static void layout(GeneratorConfig c, double outputGain, Layout p) {
        int w = c.width();
        conv(p, "conv_in", 9, c.channels(), w, HIDDEN_GAIN);
        prelu(p, "prelu_in", w);
        for (int b = 1; b <= c.blocks(); b++) {
            String n = "res" + b;
            conv(p, n + "_conv1", 3, w, w, HIDDEN_GAIN);
            if (c.batchNorm()) bn(p, n + "_bn1", w);
            prelu(p, n + "_prelu", w);
            conv(p, n + "_conv2", 3, w, w, HIDDEN_GAIN);
            if (c.batchNorm()) bn(p, n + "_bn2", w);
        }
        conv(p, "mid_conv", 3, w, w, HIDDEN_GAIN);
        if (c.batchNorm()) bn(p, "mid_bn", w);
        for (int u = 1; u <= c.upsamplingStages(); u++) {
            if (c.upsampling() == GeneratorConfig.Upsampling.SUBPIXEL) {
                conv(p, "up" + u + "_conv", 3, w, 4 * w, HIDDEN_GAIN);
            } else {
                // transposed conv weights [kH, kW, out, in]
                p.add("up" + u + "_deconv/W", HIDDEN_GAIN * Math.sqrt(2.0 / (16 * w / 4.0)), 0, 4, 4, w, w);
                p.add("up" + u + "_deconv/b", Double.NaN, 0, w);
            }
            prelu(p, "up" + u + "_prelu", w);
        }
        // with a bicubic skip the output convolution starts at zero, so the untrained network is exactly
        // bicubic: He-initialised output weights started 8 dB below bicubic (18.0 vs 26.1 dB on the
        // validation photos) and the first hundreds of steps went into unlearning that noise. The
        // weights still get gradients at the first step; the trunk from the second.
        conv(p, "conv_out", 9, w, c.channels(), outputGain);
    }

    private static void conv(Layout p, String name, int k, int in, int out, double gain) {
        p.add(name + "/W", gain * Math.sqrt(2.0 / (k * k * in)), 0, k, k, in, out);
        p.add(name + "/b", Double.NaN, 0, out);
    }

    private static void prelu(Layout p, String name, int w) {
        p.add(name + "/alpha", Double.NaN, 0.25f, w);
    }

    private static void bn(Layout p, String name, int w) {
        p.add(name + "/gamma", Double.NaN, 1, w);
        p.add(name + "/beta", Double.NaN, 0, w);
        p.add(name + "/mean", Double.NaN, 0, w);
        p.add(name + "/var", Double.NaN, 1, w);
    }

    static INDArray normal(Random rnd, double std, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * std);
        return Nd4j.create(v, shape, 'c');
    }

    /**
     * Folds inference batch-norm (running mean/var) into the convolution before it. Returns a new map
     * without {@code *_bn*} entries; the input map is not changed.
     */
    public static Map<String, INDArray> foldBatchNorm(GeneratorConfig c, Map<String, INDArray> params) {
        Map<String, INDArray> p = new LinkedHashMap<>(params);
        if (!c.batchNorm()) return p;
        for (int b = 1; b <= c.blocks(); b++) {
            fold(p, "res" + b + "_conv1", "res" + b + "_bn1");
            fold(p, "res" + b + "_conv2", "res" + b + "_bn2");
        }
        fold(p, "mid_conv", "mid_bn");
        return p;
    }

    private static void fold(Map<String, INDArray> p, String conv, String bn) {
        INDArray gamma = p.remove(bn + "/gamma"), beta = p.remove(bn + "/beta");
        INDArray mean = p.remove(bn + "/mean"), var = p.remove(bn + "/var");
        INDArray s = gamma.div(org.nd4j.linalg.ops.transforms.Transforms.sqrt(var.add(BN_EPS), false)); // [oc]
        INDArray w = p.get(conv + "/W").dup('c');
        long[] shape = w.shape(); // [kH, kW, iC, oC]: scale the last axis
        INDArray flat = w.reshape('c', w.length() / shape[3], shape[3]);
        flat.muliRowVector(s.reshape(1, s.length()).castTo(w.dataType()));
        p.put(conv + "/W", flat.reshape('c', shape));
        INDArray b = p.get(conv + "/b");
        p.put(conv + "/b", b.sub(mean).muli(s).addi(beta));
    }

    /**
     * Rewrites the last upsampling stage and the 9x9 output conv so that they run at half the output
     * resolution: {@code conv9(prelu(d2s(z)))} equals {@code d2s(conv5'(prelu'(z)))} where prelu' repeats
     * the slopes for the four sub-pixel phases and conv5' maps the 4W phase channels of z to the 4C
     * phase channels of the output. Same result within float rounding; on AVX2 oneDNN runs the 64->3
     * 9x9 conv at full resolution at ~7 GFLOP/s but the rewritten one at ~40 GFLOP/s.
     */
    static void fuseOutput(GeneratorConfig c, Map<String, INDArray> p) {
        int w = c.width(), ch = c.channels(), u = c.upsamplingStages();
        INDArray alpha = p.remove("up" + u + "_prelu/alpha");
        float[] a = alpha.castTo(DataType.FLOAT).data().asFloat();
        float[] a4 = new float[4 * w];
        for (int i = 0; i < a4.length; i++) a4[i] = a[i % w];
        p.put("up" + u + "_prelu_fused/alpha", Nd4j.create(a4, new long[]{4 * w}, 'c'));
        float[] src = p.remove("conv_out/W").castTo(DataType.FLOAT).dup('c').data().asFloat(); // [9,9,w,ch]
        float[] bias = p.remove("conv_out/b").castTo(DataType.FLOAT).data().asFloat();
        int inC = 4 * w, outC = 4 * ch;
        int[] map = FusedOutput.indexMap(w, ch);
        float[] dst = new float[map.length];
        for (int i = 0; i < map.length; i++) if (map[i] >= 0) dst[i] = src[map[i]];
        float[] b4 = new float[outC];
        for (int i = 0; i < outC; i++) b4[i] = bias[i % ch];
        p.put("conv_out_fused/W", Nd4j.create(dst, new long[]{5, 5, inC, outC}, 'c'));
        p.put("conv_out_fused/b", Nd4j.create(b4, new long[]{outC}, 'c'));
    }

    // ------------------------------------------------------------------ graph

    /** Builds an inference graph with the parameters as constants (batch-norm folded). */
    public static SameDiff inferenceGraph(GeneratorConfig c, Map<String, INDArray> params) {
        return inferenceGraph(c, params, true);
    }

    /** As {@link #inferenceGraph(GeneratorConfig, Map)}; {@code fuse=false} keeps the plain output stage (for tests). */
    static SameDiff inferenceGraph(GeneratorConfig c, Map<String, INDArray> params, boolean fuse) {
        SameDiff sd = SameDiff.create();
        Map<String, INDArray> folded = foldBatchNorm(c, params);
        boolean fused = fuse && c.upsampling() == GeneratorConfig.Upsampling.SUBPIXEL;
        if (fused) fuseOutput(c, folded);
        Map<String, SDVariable> consts = new LinkedHashMap<>();
        SDVariable in = sd.placeHolder(INPUT, DataType.FLOAT, -1, c.channels(), -1, -1);
        Function<String, SDVariable> param = name -> consts.computeIfAbsent(name, k -> {
            INDArray a = folded.get(k);
            if (a == null) throw new IllegalStateException("Model has no parameter " + k + ".");
            return sd.constant(k.replace('/', '_'), a.castTo(DataType.FLOAT));
        });
        SDVariable out = generator(sd, in, c, param, false, fused);
        sd.updateVariableNameAndReference(out, OUTPUT);
        return sd;
    }

    /**
     * The generator's graph on {@code in}. {@code param} maps a parameter name to its variable; with
     * {@code trainingBatchNorm} batch-norm uses the batch's statistics (built from mean/rsqrt because
     * M2.1's batchNorm op cannot be differentiated), otherwise the graph expects folded weights.
     */
    public static SDVariable generator(SameDiff sd, SDVariable in, GeneratorConfig c,
                                       Function<String, SDVariable> param, boolean trainingBatchNorm) {
        return generator(sd, in, c, param, trainingBatchNorm, false);
    }

    static SDVariable generator(SameDiff sd, SDVariable in, GeneratorConfig c,
                                Function<String, SDVariable> param, boolean trainingBatchNorm, boolean fused) {
        boolean bn = c.batchNorm() && trainingBatchNorm;
        SDVariable x = conv(sd, in, param, "conv_in", 9);
        x = prelu(sd, x, param, "prelu_in", trainingBatchNorm);
        SDVariable head = x;
        for (int b = 1; b <= c.blocks(); b++) {
            String n = "res" + b;
            SDVariable h = conv(sd, x, param, n + "_conv1", 3);
            if (bn) h = batchNorm(sd, h, param, n + "_bn1");
            h = prelu(sd, h, param, n + "_prelu", trainingBatchNorm);
            h = conv(sd, h, param, n + "_conv2", 3);
            if (bn) h = batchNorm(sd, h, param, n + "_bn2");
            if (c.residualScale() != 1.0) h = h.mul(c.residualScale());
            x = x.add(h);
        }
        x = conv(sd, x, param, "mid_conv", 3);
        if (bn) x = batchNorm(sd, x, param, "mid_bn");
        x = x.add(head);
        for (int u = 1; u <= c.upsamplingStages(); u++) {
            if (fused && u == c.upsamplingStages()) {
                // last stage and output conv at half resolution, see fuseOutput()
                x = conv(sd, x, param, "up" + u + "_conv", 3);
                x = prelu(sd, x, param, "up" + u + "_prelu_fused", false);
                x = conv(sd, x, param, "conv_out_fused", 5);
                x = sd.cnn().depthToSpace(x, 2, DataFormat.NCHW);
                break;
            }
            if (c.upsampling() == GeneratorConfig.Upsampling.SUBPIXEL) {
                x = conv(sd, x, param, "up" + u + "_conv", 3);
                x = sd.cnn().depthToSpace(x, 2, DataFormat.NCHW);
            } else {
                DeConv2DConfig dc = DeConv2DConfig.builder().kH(4).kW(4).sH(2).sW(2).isSameMode(true)
                        .dataFormat("NCHW").build();
                x = sd.cnn().deconv2d(x, param.apply("up" + u + "_deconv/W"), param.apply("up" + u + "_deconv/b"), dc);
            }
            x = prelu(sd, x, param, "up" + u + "_prelu", trainingBatchNorm);
        }
        if (!fused) x = conv(sd, x, param, "conv_out", 9);
        if (c.bicubicSkip()) {
            SDVariable k = sd.constant("bicubic_skip_W", bicubicSkipKernel(c.channels(), c.scale()));
            SDVariable up = sd.cnn().conv2d(in, k, convConfig(5));
            up = sd.cnn().depthToSpace(up, c.scale(), DataFormat.NCHW);
            x = x.add(up);
        }
        return x;
    }

    static Conv2DConfig convConfig(int k) {
        return Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).paddingMode(PaddingMode.SAME).dataFormat("NCHW").build();
    }

    private static SDVariable conv(SameDiff sd, SDVariable x, Function<String, SDVariable> param, String name, int k) {
        return sd.cnn().conv2d(x, param.apply(name + "/W"), param.apply(name + "/b"), convConfig(k));
    }

    private static SDVariable prelu(SameDiff sd, SDVariable x, Function<String, SDVariable> param, String name,
                                    boolean training) {
        SDVariable alpha = param.apply(name + "/alpha");
        // max(x, alpha * x) equals PReLU for 0 <= alpha <= 1 and is ~3x faster than the prelu op, also in
        // training (the relu form cost ~1 s more per step at batch 16): GeneratorTrainer keeps alpha in
        // [0, 1] by clamping it after each update
        if (training) {
            // alpha * x as a 1x1 convolution with the diagonal matrix diag(alpha): oneDNN's convolution
            // backward is far cheaper than libnd4j's broadcast multiply_bp (0.66 s of a 3.4 s step at
            // batch 16, x4); a training step went from ~3.4 to ~2.4 s
            long w = alpha.getArr().length();
            SDVariable d = sd.math().diag(alpha).reshape(1, 1, w, w);
            return sd.math().max(x, sd.cnn().conv2d(x, d, convConfig(1)));
        }
        if (alphaInUnitRange(alpha)) return sd.math().max(x, x.mul(alpha.reshape(1, -1, 1, 1)));
        SDVariable pos = sd.nn().relu(x, 0);
        return pos.add(x.sub(pos).mul(alpha.reshape(1, -1, 1, 1)));
    }

    private static boolean alphaInUnitRange(SDVariable alpha) {
        INDArray a = alpha.getArr();
        return a != null && a.minNumber().doubleValue() >= 0 && a.maxNumber().doubleValue() <= 1;
    }

    /** Name of the variable holding a training-mode batch-norm layer's batch mean, shape (1, C, 1, 1). */
    public static String batchMeanName(String bn) {
        return bn + "_batch_mean";
    }

    /** Name of the variable holding a training-mode batch-norm layer's (biased) batch variance. */
    public static String batchVarName(String bn) {
        return bn + "_batch_var";
    }

    /** Names of the batch-norm layers of a configuration (empty without batch-norm). */
    public static java.util.List<String> batchNormLayers(GeneratorConfig c) {
        java.util.List<String> names = new java.util.ArrayList<>();
        if (!c.batchNorm()) return names;
        for (int b = 1; b <= c.blocks(); b++) {
            names.add("res" + b + "_bn1");
            names.add("res" + b + "_bn2");
        }
        names.add("mid_bn");
        return names;
    }

    static SDVariable batchNorm(SameDiff sd, SDVariable x, Function<String, SDVariable> param, String name) {
        SDVariable mean = x.mean(true, 0, 2, 3);
        sd.updateVariableNameAndReference(mean, batchMeanName(name));
        SDVariable centred = x.sub(mean);
        SDVariable var = centred.mul(centred).mean(true, 0, 2, 3);
        sd.updateVariableNameAndReference(var, batchVarName(name));
        SDVariable inv = sd.math().rsqrt(var.add(BN_EPS));
        SDVariable g = param.apply(name + "/gamma").reshape(1, -1, 1, 1);
        SDVariable b = param.apply(name + "/beta").reshape(1, -1, 1, 1);
        return centred.mul(inv.mul(g)).add(b);
    }

    /**
     * Fixed convolution kernel that, followed by depth-to-space (TensorFlow order), upsamples by
     * {@code scale} with Keys' cubic (a = -0.5) at pixel centres, as Pillow's bicubic upscaling does
     * away from the border. Shape [5, 5, C, C*scale*scale].
     */
    public static INDArray bicubicSkipKernel(int channels, int scale) {
        int k = 5;
        float[] w = new float[k * k * channels * channels * scale * scale];
        int outC = channels * scale * scale;
        for (int py = 0; py < scale; py++) {
            double[] wy = taps(py, scale);
            for (int px = 0; px < scale; px++) {
                double[] wx = taps(px, scale);
                for (int ch = 0; ch < channels; ch++) {
                    int oc = (py * scale + px) * channels + ch;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++) {
                            int idx = ((ky * k + kx) * channels + ch) * outC + oc;
                            w[idx] = (float) (wy[ky] * wx[kx]);
                        }
                }
            }
        }
        return Nd4j.create(w, new long[]{k, k, channels, outC}, 'c');
    }

    /** Weights of taps at offsets -2..2 for sub-pixel phase p of a x scale upsampling. */
    private static double[] taps(int p, int scale) {
        double d = (p + 0.5) / scale - 0.5; // sample position relative to the input pixel centre
        double[] t = new double[5];
        double sum = 0;
        for (int i = 0; i < 5; i++) {
            t[i] = Kernel.BICUBIC.weight(d - (i - 2));
            sum += t[i];
        }
        for (int i = 0; i < 5; i++) t[i] /= sum;
        return t;
    }
}
