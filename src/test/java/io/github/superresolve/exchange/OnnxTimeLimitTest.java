package io.github.superresolve.exchange;

import io.github.superresolve.nn.ModelException;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls of a network are stopped at their time limit: a deep stack of 3x3 convolutions (seconds on a
 * 256x256 tile) is stopped within its limit with a sentence naming it, and runs again afterwards; the
 * limit of a tile grows with its pixels from what the opening probes took.
 */
public class OnnxTimeLimitTest {

    /** x2: a 1->32 convolution, {@code depth} 32->32 3x3 convolutions, 32->4, depth-to-space. */
    static byte[] deep(int depth) {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("deep");
        g.addInput(image("x")).addOutput(image("y"));
        Random r = new Random(3);
        String prev = conv(g, "x", 1, 32, r, 0);
        for (int i = 0; i < depth; i++) prev = conv(g, prev, 32, 32, r, i + 1);
        prev = conv(g, prev, 32, 4, r, depth + 1);
        g.addNode(Onnx.NodeProto.newBuilder().setOpType("DepthToSpace").addInput(prev).addOutput("y")
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("blocksize").setType(Onnx.AttributeProto.AttributeType.INT).setI(2)));
        return Onnx.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(g).build().toByteArray();
    }

    private static String conv(Onnx.GraphProto.Builder g, String in, int ci, int co, Random r, int k) {
        ByteBuffer w = ByteBuffer.allocate(4 * co * ci * 9).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < co * ci * 9; i++) w.putFloat((float) (r.nextGaussian() * 0.1 / Math.sqrt(ci)));
        g.addInitializer(Onnx.TensorProto.newBuilder().setName("w" + k).setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber())
                .addDims(co).addDims(ci).addDims(3).addDims(3).setRawData(ByteString.copyFrom(w.array())));
        String out = "c" + k;
        g.addNode(Onnx.NodeProto.newBuilder().setOpType("Conv").addInput(in).addInput("w" + k).addOutput(out)
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("pads").setType(Onnx.AttributeProto.AttributeType.INTS)
                        .addInts(1).addInts(1).addInts(1).addInts(1)));
        return out;
    }

    private static Onnx.ValueInfoProto image(String name) {
        Onnx.TypeProto.Tensor.Builder t = Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber());
        t.getShapeBuilder().addDimBuilder().setDimParam("n");
        t.getShapeBuilder().addDimBuilder().setDimValue(1);
        t.getShapeBuilder().addDimBuilder().setDimParam("h" + name);
        t.getShapeBuilder().addDimBuilder().setDimParam("w" + name);
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(t)).build();
    }

    @Test
    void aCallPastItsLimitIsStoppedWithASentenceAndTheNetworkStillRuns() {
        OnnxNetwork net = new OnnxNetwork("deep", "/models/deep.onnx", deep(80), 1, 82);
        try {
            assertEquals(2, net.scale());
            int size = 256;
            float[] x = new float[size * size];
            for (int i = 0; i < x.length; i++) x[i] = (i % 7) / 7f;
            double predicted = net.timeLimit((long) size * size) - OnnxNetwork.MIN_LIMIT_SECONDS;
            assertTrue(predicted > 0, "the opening probes calibrate the limit");
            net.setTimeLimit(0.05, 0);
            long t0 = System.nanoTime();
            ModelException e = assertThrows(ModelException.class, () -> net.run(x, 1, size, size));
            double took = (System.nanoTime() - t0) / 1e9;
            assertTrue(e.getMessage().startsWith("/models/deep.onnx did not finish a 256x256 tile within 0 s"), e.getMessage());
            assertTrue(e.getMessage().contains("superresolve.onnx.timeout"), e.getMessage());
            // stopped, not run to its end: a full call takes several times the whole of this (measured below)
            net.setTimeLimit(OnnxNetwork.MIN_LIMIT_SECONDS, OnnxNetwork.LIMIT_FACTOR);
            long t1 = System.nanoTime();
            float[] y = net.run(x, 1, size, size);
            double full = (System.nanoTime() - t1) / 1e9;
            assertEquals(4 * size * size, y.length);
            assertTrue(took < full, "stopped after " + took + " s, a whole call takes " + full + " s");
        } finally {
            net.close();
        }
    }

    @Test
    void ortReasonsLoseTheirCodeFileAndSignature() {
        assertEquals("it asks for a buffer of 4.29e+09 GB, more memory than there is (the file may be damaged)",
                OnnxNetwork.ortReason("Error code - ORT_RUNTIME_EXCEPTION - message: Exception during initialization: "
                        + "/onnxruntime_src/onnxruntime/core/framework/bfc_arena.cc:376 void* onnxruntime::BFCArena::AllocateRawInternal(size_t, bool, "
                        + "onnxruntime::Stream*, bool, onnxruntime::WaitNotificationFn) Failed to allocate memory for requested buffer of size 4611686018427387904"));
        assertEquals("Could not find an implementation for NoSuchOperator(17) node with name ''",
                OnnxNetwork.ortReason("Error code - ORT_NOT_IMPLEMENTED - message: Could not find an implementation for NoSuchOperator(17) node with name ''"));
        assertEquals("no reason given", OnnxNetwork.ortReason(null));
        assertEquals("a\\u001b[31m", OnnxNetwork.ortReason("a\u001b[31m\nsecond line"));
    }
}
