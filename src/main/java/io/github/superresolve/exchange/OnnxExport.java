package io.github.superresolve.exchange;

import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCard;
import io.github.superresolve.nn.SrResNet;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static io.github.superresolve.exchange.OnnxGraphBuilder.integer;
import static io.github.superresolve.exchange.OnnxGraphBuilder.ints;
import static io.github.superresolve.exchange.OnnxGraphBuilder.text;

/**
 * Writes a model as an ONNX graph from its card and weights, operator by operator: Conv (zero "same"
 * padding, as our convolutions), PRelu with per-channel slopes, Mul by the residual scale, Add,
 * DepthToSpace in DCR order (ND4J's TensorFlow order) for sub-pixel upsampling, ConvTranspose for the
 * study's deconvolution, batch-norm folded into the convolution before it (as our inference does). The
 * fast recipe's bicubic skip is our own fixed operation written out exactly: a 5x5 convolution with the
 * bicubic phase kernels followed by DepthToSpace, not ONNX's Resize (whose border handling differs).
 * A recursive model's stages are chained in one graph.
 *
 * <p>Layout: input {@code input} and output {@code output}, float32 NCHW, intensities normalised to
 * [0, 1] as our inference feeds them; batch, height and width dynamic. Operator set {@link #OPSET}
 * (deepImageJ's ONNX engines stop at 17); IR version 8.
 */
public final class OnnxExport {

    /** The ONNX operator set written. */
    public static final int OPSET = 17;
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    private OnnxExport() {
    }

    /** The model as an ONNX graph at operator set {@link #OPSET}, IR version 8. */
    public static Onnx.ModelProto build(Model model) {
        return build(model, OPSET, 8);
    }

    /**
     * The model as an ONNX graph at an older operator set: the graph's operators (Conv, PRelu, Mul, Add,
     * DepthToSpace with its mode, ConvTranspose) are the same from operator set 13 on.
     *
     * @param opset     13 to {@link #OPSET}
     * @param irVersion the IR version written (7 for ONNX 1.8, the first with operator set 13; 8 for 17)
     */
    static Onnx.ModelProto build(Model model, int opset, int irVersion) {
        if (opset < 13 || opset > OPSET) throw new IllegalArgumentException("operator set " + opset + " is not written");
        ModelCard card = model.card();
        OnnxGraphBuilder g = new OnnxGraphBuilder(card.name());
        g.input(INPUT, card.channels());
        String x = INPUT;
        for (int k = 1; k <= card.stages(); k++) {
            String prefix = card.stages() == 1 ? "" : "stage" + k + "_";
            String out = k == card.stages() ? OUTPUT : prefix + "output";
            x = stage(g, card.config(), SrResNet.foldBatchNorm(card.config(), model.stageParams(k)), x, prefix, out);
        }
        g.output(OUTPUT, card.channels(), card.scale());
        String doc = card.summary() + ". Input and output: float32 (batch, channel, y, x), intensities normalised to [0, 1]"
                + " (8-bit by 255, 16-bit by the 0.1 and 99.9 percentiles); output " + card.scale() + "x the input's size.";
        String version = OnnxExport.class.getPackage().getImplementationVersion();
        return g.model(opset, irVersion, "Super-Resolve", version == null ? "development" : version, doc);
    }

    /** One generator (batch-norm already folded) from {@code in} to {@code out}. */
    private static String stage(OnnxGraphBuilder g, GeneratorConfig c, Map<String, INDArray> p, String in, String pre, String out) {
        Stage s = new Stage(g, p, pre);
        String head = s.prelu(s.conv(in, "conv_in", 9), "prelu_in");
        String x = head;
        for (int b = 1; b <= c.blocks(); b++) {
            String n = "res" + b;
            String t = s.conv(s.prelu(s.conv(x, n + "_conv1", 3), n + "_prelu"), n + "_conv2", 3);
            if (c.residualScale() != 1.0) {
                String scale = g.constant(pre + n + "_scale", new float[]{(float) c.residualScale()});
                t = g.node("Mul", pre + n + "_scaled", new String[]{t, scale});
            }
            x = g.node("Add", pre + n + "_out", new String[]{x, t});
        }
        x = g.node("Add", pre + "trunk_out", new String[]{s.conv(x, "mid_conv", 3), head});
        for (int u = 1; u <= c.upsamplingStages(); u++) {
            if (c.upsampling() == GeneratorConfig.Upsampling.SUBPIXEL) {
                x = g.node("DepthToSpace", pre + "up" + u + "_d2s", new String[]{s.conv(x, "up" + u + "_conv", 3)},
                        integer("blocksize", 2), text("mode", "DCR"));
            } else {
                x = s.deconv(x, "up" + u + "_deconv");
            }
            x = s.prelu(x, "up" + u + "_prelu");
        }
        if (!c.bicubicSkip()) return s.conv(x, "conv_out", 9, out);
        x = s.conv(x, "conv_out", 9);
        String kernel = constant(g, pre + "bicubic_skip/W", SrResNet.bicubicSkipKernel(c.channels(), c.scale()), true);
        String up = g.node("Conv", pre + "bicubic_skip", new String[]{in, kernel}, ints("kernel_shape", 5, 5), ints("pads", 2, 2, 2, 2));
        up = g.node("DepthToSpace", pre + "bicubic", new String[]{up}, integer("blocksize", c.scale()), text("mode", "DCR"));
        return g.node("Add", out, new String[]{x, up});
    }

    /** Names a stage's parameters and builds its layers. */
    private record Stage(OnnxGraphBuilder g, Map<String, INDArray> p, String pre) {

        String conv(String in, String name, int k) {
            return conv(in, name, k, pre + name);
        }

        String conv(String in, String name, int k, String out) {
            String w = constant(g, pre + name + "/W", param(name + "/W"), true);
            String b = constant(g, pre + name + "/b", param(name + "/b"), false);
            int pad = k / 2;
            return g.node("Conv", out, new String[]{in, w, b}, ints("kernel_shape", k, k), ints("pads", pad, pad, pad, pad));
        }

        /** 4x4 transposed convolution, stride 2, one pixel of padding: exactly twice the size, as ND4J's "same" mode. */
        String deconv(String in, String name) {
            String w = constant(g, pre + name + "/W", param(name + "/W"), true);
            String b = constant(g, pre + name + "/b", param(name + "/b"), false);
            return g.node("ConvTranspose", pre + name, new String[]{in, w, b}, ints("kernel_shape", 4, 4),
                    ints("strides", 2, 2), ints("pads", 1, 1, 1, 1));
        }

        String prelu(String in, String name) {
            INDArray a = param(name + "/alpha");
            String slope = g.constant(pre + name + "/alpha", floats(a), a.length(), 1, 1);
            return g.node("PRelu", pre + name, new String[]{in, slope});
        }

        INDArray param(String name) {
            INDArray a = p.get(name);
            if (a == null) throw new IllegalStateException("The model has no parameter " + name + ".");
            return a;
        }
    }

    /**
     * A weight as an initialiser: kernels from ND4J's [kH, kW, in, out] (transposed convolutions
     * [kH, kW, out, in]) to ONNX's [out, in, kH, kW] (ConvTranspose: [in, out, kH, kW]): the same
     * permutation in both cases.
     */
    private static String constant(OnnxGraphBuilder g, String name, INDArray a, boolean kernel) {
        if (!kernel) return g.constant(name, floats(a), a.shape());
        INDArray t = a.permute(3, 2, 0, 1);
        return g.constant(name, floats(t), t.shape());
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }
}
