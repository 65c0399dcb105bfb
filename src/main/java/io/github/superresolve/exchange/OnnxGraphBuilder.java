package io.github.superresolve.exchange;

import onnx.Onnx;
import org.nd4j.shade.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds an ONNX graph with the generated protobuf classes of the ONNX schema ({@code onnx.Onnx}, part of
 * ND4J's API jar, on protobuf-java shaded by ND4J): nodes, float initialisers, a 4-d float input and
 * output with named dynamic dimensions. The bytes on disk are protobuf's, never written by hand.
 */
final class OnnxGraphBuilder {

    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private int nodes;

    OnnxGraphBuilder(String name) {
        graph.setName(name);
    }

    /** A float initialiser (weights) of that shape from values in row-major order. */
    String constant(String name, float[] values, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        if (n != values.length) throw new IllegalArgumentException("Initialiser " + name + ": " + values.length + " values for shape of " + n + ".");
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(b.array()));
        for (long s : shape) t.addDims(s);
        graph.addInitializer(t);
        return name;
    }

    /** Adds a node {@code op(inputs) -> output} with its attributes; returns the output's name. */
    String node(String op, String output, String[] inputs, Onnx.AttributeProto... attributes) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(op + "_" + (++nodes)).addOutput(output);
        for (String i : inputs) n.addInput(i);
        for (Onnx.AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
        return output;
    }

    static Onnx.AttributeProto ints(String name, long... values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    static Onnx.AttributeProto integer(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build();
    }

    static Onnx.AttributeProto text(String name, String value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    /** Declares a graph input or output: float32 (batch, channels, height, width) with dynamic batch and size. */
    private static Onnx.ValueInfoProto imageValue(String name, int channels, String h, String w) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(channels))
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(h))
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(w));
        Onnx.TypeProto t = Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                .setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber()).setShape(s)).build();
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(t).build();
    }

    void input(String name, int channels) {
        graph.addInput(imageValue(name, channels, "height", "width"));
    }

    void output(String name, int channels, int scale) {
        graph.addOutput(imageValue(name, channels, "height_x" + scale, "width_x" + scale));
    }

    /**
     * The model: the IR version given (8: ONNX 1.12, the first with opset 17; 7: ONNX 1.8, opset 13), the default operator set at
     * {@code opset}, producer and doc string set.
     */
    Onnx.ModelProto model(int opset, int irVersion, String producer, String version, String doc) {
        graph.setDocString(doc);
        return Onnx.ModelProto.newBuilder().setIrVersion(irVersion).setProducerName(producer).setProducerVersion(version)
                .setDocString(doc).addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build();
    }
}
