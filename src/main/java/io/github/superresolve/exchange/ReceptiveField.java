package io.github.superresolve.exchange;

import onnx.Onnx;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The receptive radius of an ONNX graph from its operators: how far, in input pixels, an output pixel
 * can see. Each tensor carries its reach; a spatial operator adds its own at its tensor's resolution
 * (known from a probe's shapes): Conv and pooling (k - 1) / 2 x dilation, ConvTranspose its kernel over
 * its stride, Resize 2.5 pixels (cubic) or 1.5; every other operator (Pad too) takes the
 * largest reach of its inputs (elementwise operators, activations, Concat, DepthToSpace, the
 * Reshape/Transpose of a pixel shuffle keep pixels within what their inputs saw). Operators that mix
 * the whole image (global pooling, instance normalisation, reductions, attention's MatMul on spatial
 * data...) make the graph {@link #UNBOUNDED}: then the radius is measured instead.
 */
final class ReceptiveField {

    static final int UNBOUNDED = -1;

    private static final Set<String> GLOBAL = Set.of("GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool", "InstanceNormalization",
            "LayerNormalization", "GroupNormalization", "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceL2", "ReduceProd",
            "ReduceSumSquare", "ReduceLogSumExp", "ReduceL1", "ReduceLogSum", "MatMul", "Gemm", "Softmax", "LogSoftmax", "TopK",
            "Loop", "If", "Scan", "LpNormalization", "MeanVarianceNormalization", "DFT", "NonMaxSuppression", "RoiAlign");

    private ReceptiveField() {
    }

    /**
     * @param shapes every tensor's shape on a probe whose input was {@code probe} pixels high
     * @return the radius in input pixels (rounded up), or {@link #UNBOUNDED}
     */
    static int of(Onnx.GraphProto g, String input, Map<String, long[]> shapes, int probe) {
        Map<String, Double> reach = new HashMap<>();
        reach.put(input, 0.0);
        Map<String, long[]> init = new HashMap<>();
        for (Onnx.TensorProto t : g.getInitializerList()) init.put(t.getName(), t.getDimsList().stream().mapToLong(Long::longValue).toArray());
        for (Onnx.NodeProto n : g.getNodeList()) {
            double r = -1; // largest reach of the image-derived inputs; -1: none (shape arithmetic, constants)
            for (String in : n.getInputList()) if (reach.containsKey(in)) r = Math.max(r, reach.get(in));
            if (r < 0) continue;
            String op = n.getOpType();
            boolean spatial = spatialRank(shapes.get(n.getInput(0))) && reach.containsKey(n.getInput(0));
            if (GLOBAL.contains(op) && spatial) return UNBOUNDED;
            double res = spatial ? resolution(shapes.get(n.getInput(0)), probe) : 1; // this tensor's pixels per input pixel
            switch (op) {
                case "Conv", "MaxPool", "AveragePool", "LpPool" -> {
                    long[] k = ints(n, "kernel_shape");
                    if (k == null && op.equals("Conv") && n.getInputCount() > 1 && init.get(n.getInput(1)) != null) {
                        long[] w = init.get(n.getInput(1));
                        k = new long[]{w[2], w[3]};
                    }
                    if (k == null) return UNBOUNDED;
                    long[] d = ints(n, "dilations");
                    double ext = 0;
                    for (int i = 0; i < k.length; i++) ext = Math.max(ext, (k[i] - 1) * (d == null ? 1 : d[i]) / 2.0);
                    r += ext / res;
                }
                case "ConvTranspose" -> {
                    long[] k = ints(n, "kernel_shape");
                    if (k == null && n.getInputCount() > 1 && init.get(n.getInput(1)) != null) {
                        long[] w = init.get(n.getInput(1));
                        k = new long[]{w[2], w[3]};
                    }
                    long[] s = ints(n, "strides");
                    if (k == null) return UNBOUNDED;
                    double ext = 0;
                    for (int i = 0; i < k.length; i++) ext = Math.max(ext, Math.ceil((double) k[i] / (s == null ? 1 : s[i])) / 2.0 + 0.5);
                    r += ext / res;
                }
                case "Resize", "Upsample" -> {
                    String mode = text(n, "mode");
                    r += (mode != null && mode.equals("cubic") ? 2.5 : 1.5) / res;
                }
                default -> {
                    // elementwise, activations, Concat, DepthToSpace, Reshape/Transpose...: pixels stay where their inputs saw
                }
            }
            for (String o : n.getOutputList()) reach.put(o, r);
        }
        double out = -1;
        for (Onnx.ValueInfoProto v : g.getOutputList()) if (reach.containsKey(v.getName())) out = Math.max(out, reach.get(v.getName()));
        return out < 0 ? UNBOUNDED : (int) Math.ceil(out - 1e-9);
    }

    private static boolean spatialRank(long[] s) {
        return s != null && s.length == 4;
    }

    /** Pixels of a tensor per input pixel (2 after a x2 upsampling). */
    private static double resolution(long[] s, int probe) {
        return s == null || s.length != 4 || s[2] <= 0 ? 1 : (double) s[2] / probe;
    }

    private static long[] ints(Onnx.NodeProto n, String name) {
        for (Onnx.AttributeProto a : n.getAttributeList())
            if (a.getName().equals(name)) return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
        return null;
    }

    private static String text(Onnx.NodeProto n, String name) {
        for (Onnx.AttributeProto a : n.getAttributeList())
            if (a.getName().equals(name)) return a.getS().toStringUtf8();
        return null;
    }
}
