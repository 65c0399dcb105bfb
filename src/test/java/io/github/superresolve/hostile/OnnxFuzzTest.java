package io.github.superresolve.hostile;

import io.github.superresolve.TestData;
import onnx.Onnx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.shade.protobuf.ByteString;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ONNX files from strangers through {@code super-resolve upscale --model FILE.onnx}: graphs that loop
 * without end, nest a loop in a branch, keep their weights in other files, are cut short, are no ONNX
 * at all, or declare what Super-Resolve cannot run; each ends in one sentence within bounded time and
 * memory, with nothing written; a small correct network gives its exact result. ONNX Runtime's own log
 * lines stay out of the terminal (checked in a separate JVM, where they would land on its standard error).
 */
public class OnnxFuzzTest {

    @TempDir
    static Path dir;

    static List<HostileCase> cases;

    @BeforeAll
    static void write() throws IOException {
        cases = cases(dir);
    }

    static List<HostileCase> cases() {
        return cases;
    }

    /** A 40x40 grey PNG of a gradient with noise (the input every case upscales). */
    static Path input(Path dir) throws IOException {
        Path in = dir.resolve("in/small.png");
        Files.createDirectories(in.getParent());
        if (Files.exists(in)) return in;
        BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
        Random r = new Random(1);
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < 40; x++) img.getRaster().setSample(x, y, 0, Math.min(255, 3 * x + 2 * y + r.nextInt(20)));
        ImageIO.write(img, "png", in.toFile());
        return in;
    }

    /** The hostile ONNX files, written into {@code dir}, and the command lines that meet them. */
    public static List<HostileCase> cases(Path dir) throws IOException {
        Path in = input(dir);
        Path out = dir.resolve("out");
        byte[] espcn = Files.readAllBytes(TestData.resource("onnx/espcn-x2-grey.onnx"));
        Onnx.ModelProto good = Onnx.ModelProto.parseFrom(espcn);
        List<HostileCase> l = new ArrayList<>();
        java.util.function.BiFunction<String, byte[], Path> file = (name, bytes) -> {
            try {
                return Files.write(dir.resolve(name), bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        java.util.function.Function<Path, String[]> upscale = m -> new String[]{"upscale", in.toString(), "-o", out.toString(), "--model", m.toString(), "--scale", "2"};

        l.add(HostileCase.refused("onnx", "Loop of 10^15 iterations", "contains a Loop", upscale.apply(file.apply("loop.onnx", loop(false).toByteArray()))).writing(out));
        l.add(HostileCase.refused("onnx", "Loop inside an If branch", "contains a Loop", upscale.apply(file.apply("loop-in-if.onnx", loop(true).toByteArray()))).writing(out));
        l.add(HostileCase.refused("onnx", "weights in an external file", "separate file",
                upscale.apply(file.apply("external.onnx", external(good).toByteArray()))).writing(out));
        l.add(HostileCase.refused("onnx", "empty file", "empty\\.onnx is empty", upscale.apply(file.apply("empty.onnx", new byte[0]))).writing(out));
        l.add(HostileCase.refused("onnx", "random bytes", "not an ONNX model|cannot be run", upscale.apply(file.apply("random.onnx", random(4096, 7)))).writing(out));
        for (int cut : new int[]{1, 16, espcn.length / 3, espcn.length / 2, espcn.length - 1})
            l.add(HostileCase.refused("onnx", "cut short at byte " + cut, "cut\\d+\\.onnx is not an ONNX model, or is cut short",
                    upscale.apply(file.apply("cut" + cut + ".onnx", Arrays.copyOf(espcn, cut)))).writing(out));
        Onnx.GraphProto.Builder custom = good.getGraph().toBuilder();
        custom.setNode(0, custom.getNode(0).toBuilder().setOpType("Evil").setDomain("org.example\u001b[31m"));
        l.add(HostileCase.refused("onnx", "operator of an unknown domain (with an escape sequence in its name)", "Evil.*org\\.example\\\\u001b",
                upscale.apply(file.apply("custom.onnx", good.toBuilder().setGraph(custom).build().toByteArray()))).writing(out));
        Onnx.GraphProto.Builder two = good.getGraph().toBuilder().addInput(good.getGraph().getInput(0).toBuilder().setName("second"));
        l.add(HostileCase.refused("onnx", "two inputs", "2 inputs", upscale.apply(file.apply("two-inputs.onnx", good.toBuilder().setGraph(two).build().toByteArray()))).writing(out));
        Onnx.GraphProto.Builder ident = Onnx.GraphProto.newBuilder().setName("identity").addInput(good.getGraph().getInput(0))
                .addOutput(good.getGraph().getOutput(0)).addNode(Onnx.NodeProto.newBuilder().setOpType("Identity")
                        .addInput(good.getGraph().getInput(0).getName()).addOutput(good.getGraph().getOutput(0).getName()));
        l.add(HostileCase.refused("onnx", "output the size of the input", "not a super-resolution network",
                upscale.apply(file.apply("identity.onnx", good.toBuilder().setGraph(ident).build().toByteArray()))).writing(out));
        Onnx.GraphProto.Builder huge = good.getGraph().toBuilder();
        huge.setInitializer(0, huge.getInitializer(0).toBuilder().clearDims().addDims(1L << 40).addDims(1L << 20));
        l.add(HostileCase.refused("onnx", "weight declaring 2^60 elements", "huge-weight\\.onnx is damaged: its weight c1\\.weight declares \\d+ values but holds 800",
                upscale.apply(file.apply("huge-weight.onnx", good.toBuilder().setGraph(huge).build().toByteArray()))).writing(out));

        // a correct network: a 1x1 convolution copying the input into 4 channels, then depth-to-space (nearest neighbour x2)
        l.add(new HostileCase("onnx", "nearest-neighbour x2 network", List.of(upscale.apply(file.apply("nearest.onnx", nearest().toByteArray()))),
                0, null, out));
        return l;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void endsInASentenceOrACorrectResult(HostileCase c) throws IOException {
        HostileRun.Measured m = HostileRun.check(c, dir);
        System.out.printf(java.util.Locale.ROOT, "hostile %s | %s | %.2f s | %d MB | %s%n", c.family(), c.name(), m.seconds(),
                m.allocatedBytes() >> 20, (m.exit() == 0 ? m.out() : m.err()).strip());
        if (c.exit() == 0) {
            var outImg = new ij.io.Opener().openImage(dir.resolve("out/small.png").toString());
            var inImg = new ij.io.Opener().openImage(input(dir).toString());
            assertEquals(80, outImg.getWidth());
            for (int y = 0; y < 80; y++)
                for (int x = 0; x < 80; x++)
                    assertEquals(inImg.getProcessor().get(x / 2, y / 2), outImg.getProcessor().get(x, y), "pixel " + x + "," + y);
            Files.delete(dir.resolve("out/small.png"));
        }
    }

    /**
     * ONNX Runtime's own error lines (coloured, on the process's standard error, not Java's) do not reach
     * the user: a network that ONNX Runtime refuses, run by the command-line tool in its own JVM.
     */
    @Test
    void onnxRuntimesOwnLogLinesStayOutOfTheTerminal() throws Exception {
        Onnx.ModelProto good = Onnx.ModelProto.parseFrom(Files.readAllBytes(TestData.resource("onnx/espcn-x2-grey.onnx")));
        Onnx.GraphProto.Builder g = good.getGraph().toBuilder();
        g.setNode(0, g.getNode(0).toBuilder().setOpType("NoSuchOperator"));
        Path bad = Files.write(dir.resolve("unknown-op.onnx"), good.toBuilder().setGraph(g).build().toByteArray());
        Path in = input(dir);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), "io.github.superresolve.cli.Main",
                "upscale", in.toString(), "-o", dir.resolve("out-subprocess").toString(), "--model", bad.toString(), "--scale", "2")
                .redirectErrorStream(false).start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), out + err);
        List<String> lines = err.lines().filter(s -> !s.isBlank()).toList();
        assertEquals(1, lines.size(), "one line on stderr, not ONNX Runtime's too: " + err);
        assertTrue(lines.get(0).startsWith("super-resolve: ") && lines.get(0).contains("NoSuchOperator"), err);
        assertFalse(err.contains("onnxruntime") || err.contains("\u001b["), err);
        assertFalse(Files.exists(dir.resolve("out-subprocess/small.png")));
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Onnx.ValueInfoProto image(String name) {
        Onnx.TypeProto.Tensor.Builder t = Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber());
        Onnx.TensorShapeProto.Builder s = t.getShapeBuilder();
        s.addDimBuilder().setDimParam("n");
        s.addDimBuilder().setDimValue(1);
        s.addDimBuilder().setDimParam("h_" + name);
        s.addDimBuilder().setDimParam("w_" + name);
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(t)).build();
    }

    private static Onnx.TensorProto scalar(String name, int type, long value) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        if (type == Onnx.TensorProto.DataType.BOOL.getNumber()) b = ByteBuffer.allocate(1).put((byte) value);
        else b.putLong(value);
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(type).setRawData(ByteString.copyFrom(b.array())).build();
    }

    private static Onnx.ModelProto model(Onnx.GraphProto.Builder g) {
        return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("hostile")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
    }

    private static Onnx.AttributeProto graphAttribute(String name, Onnx.GraphProto g) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(g).build();
    }

    /** x -> Loop(10^15 iterations of Identity) -> nearest x2; in an If's branch when {@code nested}. */
    static Onnx.ModelProto loop(boolean nested) {
        Onnx.GraphProto body = Onnx.GraphProto.newBuilder().setName("body")
                .addInput(Onnx.ValueInfoProto.newBuilder().setName("i").setType(scalarType(Onnx.TensorProto.DataType.INT64)))
                .addInput(Onnx.ValueInfoProto.newBuilder().setName("cond_in").setType(scalarType(Onnx.TensorProto.DataType.BOOL)))
                .addInput(Onnx.ValueInfoProto.newBuilder().setName("v_in").setType(Onnx.TypeProto.newBuilder().setTensorType(
                        Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber()))))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Identity").addInput("cond_in").addOutput("cond_out"))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Identity").addInput("v_in").addOutput("v_out"))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("cond_out").setType(scalarType(Onnx.TensorProto.DataType.BOOL)))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("v_out").setType(Onnx.TypeProto.newBuilder().setTensorType(
                        Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber()))))
                .build();
        Onnx.NodeProto loop = Onnx.NodeProto.newBuilder().setOpType("Loop").addInput("trips").addInput("cond").addInput("x")
                .addOutput("looped").addAttribute(graphAttribute("body", body)).build();
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("loop").addInput(image("x")).addOutput(image("y"))
                .addInitializer(scalar("trips", Onnx.TensorProto.DataType.INT64.getNumber(), 1_000_000_000_000_000L))
                .addInitializer(scalar("cond", Onnx.TensorProto.DataType.BOOL.getNumber(), 1));
        if (nested) {
            Onnx.GraphProto branch = Onnx.GraphProto.newBuilder().setName("then").addNode(loop)
                    .addOutput(Onnx.ValueInfoProto.newBuilder().setName("looped").setType(Onnx.TypeProto.newBuilder().setTensorType(
                            Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber())))).build();
            Onnx.GraphProto other = Onnx.GraphProto.newBuilder().setName("else")
                    .addNode(Onnx.NodeProto.newBuilder().setOpType("Identity").addInput("x").addOutput("plain"))
                    .addOutput(Onnx.ValueInfoProto.newBuilder().setName("plain").setType(Onnx.TypeProto.newBuilder().setTensorType(
                            Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber())))).build();
            g.addNode(Onnx.NodeProto.newBuilder().setOpType("If").addInput("cond").addOutput("looped_or_not")
                    .addAttribute(graphAttribute("then_branch", branch)).addAttribute(graphAttribute("else_branch", other)));
            g.addNode(resizeNearest("looped_or_not", "y", g));
        } else {
            g.addNode(loop);
            g.addNode(resizeNearest("looped", "y", g));
        }
        return model(g);
    }

    private static Onnx.TypeProto scalarType(Onnx.TensorProto.DataType t) {
        return Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(t.getNumber())
                .setShape(Onnx.TensorShapeProto.newBuilder())).build();
    }

    private static Onnx.NodeProto resizeNearest(String in, String out, Onnx.GraphProto.Builder g) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(1).putFloat(1).putFloat(2).putFloat(2);
        g.addInitializer(Onnx.TensorProto.newBuilder().setName("scales").setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber())
                .addDims(4).setRawData(ByteString.copyFrom(b.array())));
        return Onnx.NodeProto.newBuilder().setOpType("Resize").addInput(in).addInput("").addInput("scales").addOutput(out)
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("mode").setType(Onnx.AttributeProto.AttributeType.STRING)
                        .setS(ByteString.copyFromUtf8("nearest"))).build();
    }

    /** The network with its first weight moved to an external file (named like a file a stranger would want read). */
    static Onnx.ModelProto external(Onnx.ModelProto good) {
        Onnx.GraphProto.Builder g = good.getGraph().toBuilder();
        Onnx.TensorProto w = g.getInitializer(0);
        g.setInitializer(0, w.toBuilder().clearRawData().clearFloatData().setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(Onnx.StringStringEntryProto.newBuilder().setKey("location").setValue("../../../../etc/passwd")));
        return good.toBuilder().setGraph(g).build();
    }

    /** A correct x2 network: 1x1 convolution to 4 copies of the input, then DepthToSpace (nearest neighbour). */
    static Onnx.ModelProto nearest() {
        ByteBuffer w = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) w.putFloat(1);
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("nearest").addInput(image("x")).addOutput(image("y"))
                .addInitializer(Onnx.TensorProto.newBuilder().setName("w").setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber())
                        .addDims(4).addDims(1).addDims(1).addDims(1).setRawData(ByteString.copyFrom(w.array())))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Conv").addInput("x").addInput("w").addOutput("four"))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("DepthToSpace").addInput("four").addOutput("y")
                        .addAttribute(Onnx.AttributeProto.newBuilder().setName("blocksize").setType(Onnx.AttributeProto.AttributeType.INT).setI(2)));
        return model(g);
    }
}
