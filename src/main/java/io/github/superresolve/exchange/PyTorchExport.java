package io.github.superresolve.exchange;

import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCard;
import io.github.superresolve.nn.SrResNet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model as PyTorch weights: the architecture as a small Python module ({@link #MODULE}, class
 * {@link #CALLABLE}, built with {@link #kwargs}) and its state dict in PyTorch's file format
 * ({@link TorchStateDict}). The tensors are the ONNX export's ({@link OnnxExport}), batch-norm folded,
 * kernels in PyTorch's layout ([out, in, kH, kW]; transposed convolutions [in, out, kH, kW]); a
 * sub-pixel convolution's output channels are reordered from depth-to-space's DCR order (ours, ONNX's)
 * to {@code nn.PixelShuffle}'s CRD order, so the module is a plain PyTorch SRResNet.
 */
final class PyTorchExport {

    /** The module's file name in a package. */
    static final String MODULE = "super_resolve_net.py";
    /** The weights' file name in a package. */
    static final String WEIGHTS = "weights.pt";
    /** The callable that builds the network. */
    static final String CALLABLE = "SuperResolveNet";
    /** The PyTorch version the files are written for (the layout of torch.save since 1.6; tested with 1.13). */
    static final String PYTORCH_VERSION = "1.13";

    private PyTorchExport() {
    }

    /** The Python module's source. */
    static byte[] module() throws IOException {
        try (InputStream in = PyTorchExport.class.getResourceAsStream(MODULE)) {
            if (in == null) throw new IOException("The PyTorch module " + MODULE + " is missing from the plugin: reinstall Super-Resolve.");
            return in.readAllBytes();
        }
    }

    /** The keyword arguments of {@link #CALLABLE} for this model. */
    static Map<String, Object> kwargs(ModelCard card) {
        GeneratorConfig c = card.config();
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("channels", c.channels());
        k.put("scale", c.scale());
        k.put("blocks", c.blocks());
        k.put("width", c.width());
        k.put("residual_scale", c.residualScale());
        k.put("bicubic_skip", c.bicubicSkip());
        k.put("upsampling", c.upsampling().name().toLowerCase(java.util.Locale.ROOT));
        k.put("stages", card.stages());
        return k;
    }

    /** The state dict's bytes. */
    static byte[] weights(Model model) throws IOException {
        return TorchStateDict.write("weights", stateDict(model));
    }

    /** The tensors by their names in {@link #CALLABLE}'s state dict. */
    static Map<String, TorchStateDict.Tensor> stateDict(Model model) {
        ModelCard card = model.card();
        GeneratorConfig c = card.config();
        Map<String, TorchStateDict.Tensor> d = new LinkedHashMap<>();
        for (int k = 1; k <= card.stages(); k++) {
            Map<String, INDArray> p = SrResNet.foldBatchNorm(c, model.stageParams(k));
            String pre = "stages." + (k - 1) + ".";
            conv(d, pre + "conv_in", p, "conv_in", 1);
            prelu(d, pre + "prelu_in", p, "prelu_in");
            for (int b = 1; b <= c.blocks(); b++) {
                String n = "res" + b, t = pre + "blocks." + (b - 1) + ".";
                conv(d, t + "conv1", p, n + "_conv1", 1);
                prelu(d, t + "prelu", p, n + "_prelu");
                conv(d, t + "conv2", p, n + "_conv2", 1);
            }
            conv(d, pre + "mid_conv", p, "mid_conv", 1);
            for (int u = 1; u <= c.upsamplingStages(); u++) {
                String t = pre + "up." + (u - 1) + ".";
                if (c.upsampling() == GeneratorConfig.Upsampling.SUBPIXEL) conv(d, t + "conv", p, "up" + u + "_conv", 2);
                else conv(d, t + "deconv", p, "up" + u + "_deconv", 1);
                prelu(d, t + "prelu", p, "up" + u + "_prelu");
            }
            conv(d, pre + "conv_out", p, "conv_out", 1);
            if (c.bicubicSkip()) {
                TorchStateDict.Tensor kernel = kernel(SrResNet.bicubicSkipKernel(c.channels(), c.scale()));
                d.put(pre + "bicubic_skip", crd(kernel, c.scale()));
            }
        }
        return d;
    }

    /** A convolution's weight and bias; {@code shuffle} > 1: its outputs feed a depth-to-space of that block size. */
    private static void conv(Map<String, TorchStateDict.Tensor> d, String name, Map<String, INDArray> p, String ours, int shuffle) {
        TorchStateDict.Tensor w = kernel(param(p, ours + "/W")), b = vector(param(p, ours + "/b"));
        d.put(name + ".weight", shuffle > 1 ? crd(w, shuffle) : w);
        d.put(name + ".bias", shuffle > 1 ? crd(b, shuffle) : b);
    }

    private static void prelu(Map<String, TorchStateDict.Tensor> d, String name, Map<String, INDArray> p, String ours) {
        d.put(name + ".weight", vector(param(p, ours + "/alpha")));
    }

    private static INDArray param(Map<String, INDArray> p, String name) {
        INDArray a = p.get(name);
        if (a == null) throw new IllegalStateException("The model has no parameter " + name + ".");
        return a;
    }

    /** ND4J's [kH, kW, in, out] (transposed: [kH, kW, out, in]) as PyTorch's [out, in, kH, kW] ([in, out, kH, kW]). */
    private static TorchStateDict.Tensor kernel(INDArray a) {
        INDArray t = a.permute(3, 2, 0, 1).castTo(DataType.FLOAT).dup('c');
        return new TorchStateDict.Tensor(t.shape(), t.data().asFloat());
    }

    private static TorchStateDict.Tensor vector(INDArray a) {
        return new TorchStateDict.Tensor(new long[]{a.length()}, a.castTo(DataType.FLOAT).dup('c').data().asFloat());
    }

    /**
     * Reorders the first dimension from DCR (channel (i * r + j) * C + c) to CRD (c * r * r + i * r + j),
     * so that PyTorch's pixel shuffle puts every value where our depth-to-space does.
     */
    static TorchStateDict.Tensor crd(TorchStateDict.Tensor t, int r) {
        long rows = t.shape()[0];
        int per = (int) (t.values().length / rows);
        int cc = (int) (rows / (r * r));
        float[] v = new float[t.values().length];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++)
                for (int c = 0; c < cc; c++) {
                    int from = (i * r + j) * cc + c, to = c * r * r + i * r + j;
                    System.arraycopy(t.values(), from * per, v, to * per, per);
                }
        return new TorchStateDict.Tensor(t.shape(), v);
    }
}
