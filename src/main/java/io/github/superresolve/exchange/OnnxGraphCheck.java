package io.github.superresolve.exchange;

import io.github.superresolve.io.Printable;
import io.github.superresolve.nn.ModelException;
import onnx.Onnx;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What an ONNX graph from elsewhere must not hold, checked on its protobuf before ONNX Runtime sees it:
 * <ul>
 * <li>operators of domains ONNX Runtime cannot run (one sentence instead of its own error); the model's
 * own functions are allowed, and their bodies checked like the graph;</li>
 * <li>{@code Loop}, anywhere (in the graph, in an {@code If}'s or {@code Scan}'s branches, in the model's
 * functions): its trip count and condition are data, so one call can run without end (a graph with a
 * {@code Loop} of 10^15 iterations ran for ever with nothing printed). Super-resolution networks are
 * feed-forward; {@code If} and {@code Scan} are bounded by their inputs and allowed;</li>
 * <li>weights kept outside the file ({@code data_location: EXTERNAL}): such a file names other files by
 * path, and a model from a stranger opens nothing but itself;</li>
 * <li>weights that declare more values than they hold: ONNX Runtime allocates what is declared.</li>
 * </ul>
 * Running time is bounded besides by {@link OnnxTimeLimit}.
 */
final class OnnxGraphCheck {

    private OnnxGraphCheck() {
    }

    /** @throws ModelException with a sentence naming the network and the operator */
    static void check(String name, Onnx.ModelProto proto) {
        String who = Printable.escape(name);
        Deque<Onnx.GraphProto> graphs = new ArrayDeque<>();
        graphs.add(proto.getGraph());
        java.util.Set<String> local = new java.util.HashSet<>();
        for (Onnx.FunctionProto f : proto.getFunctionsList()) local.add(f.getDomain());
        for (Onnx.FunctionProto f : proto.getFunctionsList()) checkNodes(who, f.getNodeList(), graphs, local);
        int seen = 0;
        while (!graphs.isEmpty()) {
            Onnx.GraphProto g = graphs.poll();
            if (++seen > 10_000) throw new ModelException(who + " nests more than 10000 subgraphs: it is not a super-resolution network Super-Resolve can run.");
            for (Onnx.TensorProto t : g.getInitializerList()) checkWeight(who, t);
            checkNodes(who, g.getNodeList(), graphs, local);
        }
    }

    /**
     * A weight is kept inside the file and holds as many values as its shape declares: ONNX Runtime
     * allocates the declared shape first (a weight declaring 2^60 values asked for 4 EB).
     */
    private static void checkWeight(String who, Onnx.TensorProto t) {
        String w = Printable.escape(t.getName());
        if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL)
            throw new ModelException(who + " keeps its weight " + w + " in a separate file; Super-Resolve opens only"
                    + " self-contained ONNX files: save the network with its weights inside (onnx.save(model, path, save_as_external_data=False)).");
        long n = 1;
        for (long d : t.getDimsList()) {
            if (d < 0) throw new ModelException(who + " is damaged: its weight " + w + " has a negative size.");
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new ModelException(who + " is damaged: its weight " + w + " declares more values than any file can hold.");
            }
        }
        long held;
        int size = elementBytes(t.getDataType());
        if (!t.getRawData().isEmpty()) {
            if (size <= 0) return; // strings and other variable-size types: ONNX Runtime checks them
            held = t.getRawData().size() / size;
        } else {
            held = t.getFloatDataCount() + t.getInt32DataCount() + t.getInt64DataCount() + t.getDoubleDataCount()
                    + t.getUint64DataCount() + t.getStringDataCount();
            if (t.getDataType() == Onnx.TensorProto.DataType.COMPLEX64.getNumber()
                    || t.getDataType() == Onnx.TensorProto.DataType.COMPLEX128.getNumber()) held /= 2;
        }
        if (held != n)
            throw new ModelException(who + " is damaged: its weight " + w + " declares " + n + " values but holds " + held + ".");
    }

    /** Bytes per element of a fixed-size ONNX type, or 0. */
    private static int elementBytes(int type) {
        Onnx.TensorProto.DataType t = Onnx.TensorProto.DataType.forNumber(type);
        if (t == null) return 0;
        return switch (t) {
            case FLOAT, INT32, UINT32 -> 4;
            case DOUBLE, INT64, UINT64, COMPLEX64 -> 8;
            case COMPLEX128 -> 16;
            case FLOAT16, BFLOAT16, INT16, UINT16 -> 2;
            case INT8, UINT8, BOOL -> 1;
            default -> 0;
        };
    }

    private static void checkNodes(String who, java.util.List<Onnx.NodeProto> nodes, Deque<Onnx.GraphProto> graphs, java.util.Set<String> local) {
        for (Onnx.NodeProto n : nodes) {
            String d = n.getDomain();
            if (!d.isEmpty() && !d.equals("ai.onnx") && !d.equals("com.microsoft") && !local.contains(d))
                throw new ModelException(who + " uses the operator " + Printable.escape(n.getOpType()) + " of domain '" + Printable.escape(d)
                        + "', which ONNX Runtime cannot run: export the network with standard ONNX operators.");
            if (n.getOpType().equals("Loop") && (d.isEmpty() || d.equals("ai.onnx")))
                throw new ModelException(who + " contains a Loop, whose number of iterations is data: Super-Resolve does not run"
                        + " networks that can loop without end; export a feed-forward network (unrolled, without Loop).");
            for (Onnx.AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) graphs.add(a.getG());
                graphs.addAll(a.getGraphsList());
            }
        }
    }
}
