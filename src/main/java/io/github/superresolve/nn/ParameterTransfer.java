package io.github.superresolve.nn;

import io.github.superresolve.image.Luminance;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a generator of another scale or channel count from a trained one, instead of from random
 * weights (as EDSR starts its x4 model from its x2 model). The trunk (input convolution, residual
 * blocks, middle convolution) works at input resolution whatever the scale, so it carries over as it is.
 * <ul>
 * <li><b>Scale.</b> Upsampling stages present in both are copied; extra stages of the target start
 * fresh ({@link SrResNet#initParams}). The output convolution is copied when the last stage is copied
 * too; otherwise it starts at zero, so that with a bicubic skip the new network starts as bicubic.</li>
 * <li><b>RGB to grey.</b> The input convolution's three input channels are summed (a grey image fed as
 * R = G = B gives the same features) and the output convolution becomes the luminance
 * (0.299 R + 0.587 G + 0.114 B) of the three outputs. For a network with a bicubic skip this is exact: the
 * grey network's output is the luminance of the RGB network's output on the grey image.</li>
 * <li><b>Grey to RGB.</b> The input convolution is split in thirds over R, G, B and the output
 * convolution is repeated for each channel: exact on grey (R = G = B) inputs.</li>
 * </ul>
 * The blocks, width, batch-norm, residual scale, skip and upsampling kind must match.
 */
public final class ParameterTransfer {

    /** The adapted parameters and what was done, one line per decision. */
    public record Result(GeneratorConfig config, Map<String, INDArray> params, List<String> notes) {
    }

    private ParameterTransfer() {
    }

    /** True when {@code from} needs adapting to train with {@code channels} and {@code scale}. */
    public static boolean needed(GeneratorConfig from, int channels, int scale) {
        return from.channels() != channels || from.scale() != scale;
    }

    /**
     * Parameters for {@code from}'s architecture at the target channels and scale.
     *
     * @param seed seeds the fresh upsampling stages, if any
     */
    public static Result adapt(GeneratorConfig from, Map<String, INDArray> params, int channels, int scale, long seed) {
        GeneratorConfig to = new GeneratorConfig(channels, scale, from.blocks(), from.width(), from.batchNorm(),
                from.residualScale(), from.bicubicSkip(), from.upsampling());
        Map<String, INDArray> fresh = SrResNet.initParams(to, seed);
        Map<String, INDArray> out = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        int shared = Math.min(from.upsamplingStages(), to.upsamplingStages());
        boolean lastStageKept = from.upsamplingStages() == to.upsamplingStages();
        int copied = 0;
        for (Map.Entry<String, INDArray> e : fresh.entrySet()) {
            String name = e.getKey();
            INDArray src = params.get(name);
            if (name.startsWith("conv_in/")) {
                out.put(name, name.endsWith("/W") ? inputWeights(src, from.channels(), channels) : src.dup());
                copied++;
            } else if (name.startsWith("conv_out/")) {
                if (!lastStageKept) {
                    out.put(name, Nd4j.zeros(DataType.FLOAT, e.getValue().shape()));
                } else {
                    out.put(name, outputParams(src, from.channels(), channels));
                    copied++;
                }
            } else if (name.startsWith("up")) {
                int stage = Integer.parseInt(name.substring(2, name.indexOf('_')));
                if (stage <= shared && src != null) {
                    out.put(name, src.dup());
                    copied++;
                } else {
                    out.put(name, e.getValue());
                }
            } else {
                if (src == null || !Arrays.equals(src.shape(), e.getValue().shape()))
                    throw new IllegalArgumentException("The model's parameter " + name + " does not fit " + to.describe()
                            + ": start from a model of the same architecture.");
                out.put(name, src.dup());
                copied++;
            }
        }
        if (from.channels() != channels)
            notes.add(from.channels() == 3 ? "RGB to grey: input weights summed over R, G, B; output = luminance of the RGB outputs."
                    : "Grey to RGB: input weights split over R, G, B; output repeated per channel.");
        if (from.scale() != scale) {
            notes.add("x" + from.scale() + " to x" + scale + ": trunk and " + shared + " upsampling stage(s) copied"
                    + (to.upsamplingStages() > shared ? ", " + (to.upsamplingStages() - shared) + " new stage(s) from random weights" : "")
                    + (lastStageKept ? "." : "; output convolution starts at zero" + (to.bicubicSkip() ? " (the network starts as bicubic)." : ".")));
        }
        notes.add(copied + " of " + fresh.size() + " parameter arrays carried over.");
        return new Result(to, out, notes);
    }

    /** conv_in/W [k, k, cin, w]. */
    private static INDArray inputWeights(INDArray w, int from, int to) {
        if (from == to) return w.dup();
        if (from == 3 && to == 1) return w.sum(true, 2).castTo(DataType.FLOAT);
        if (from == 1 && to == 3) return Nd4j.concat(2, w, w, w).divi(3).castTo(DataType.FLOAT);
        throw new IllegalArgumentException("Cannot adapt " + from + " to " + to + " channels.");
    }

    /** conv_out/W [k, k, w, cout] or conv_out/b [cout]. */
    private static INDArray outputParams(INDArray p, int from, int to) {
        if (from == to) return p.dup();
        int axis = p.rank() - 1;
        if (from == 3 && to == 1) {
            INDArray y = Nd4j.zeros(DataType.FLOAT, shapeWith(p.shape(), axis, 1));
            float[] lum = {Luminance.RED, Luminance.GREEN, Luminance.BLUE};
            for (int c = 0; c < 3; c++) y.addi(slice(p, axis, c).mul(lum[c]));
            return y;
        }
        if (from == 1 && to == 3) return Nd4j.concat(axis, p, p, p).castTo(DataType.FLOAT);
        throw new IllegalArgumentException("Cannot adapt " + from + " to " + to + " channels.");
    }

    private static INDArray slice(INDArray p, int axis, int index) {
        INDArrayIndex[] ix = new INDArrayIndex[p.rank()];
        for (int i = 0; i < p.rank(); i++) ix[i] = i == axis ? NDArrayIndex.interval(index, index + 1) : NDArrayIndex.all();
        return p.get(ix).dup().castTo(DataType.FLOAT);
    }

    private static long[] shapeWith(long[] shape, int axis, long n) {
        long[] s = shape.clone();
        s[axis] = n;
        return s;
    }
}
