package io.github.superresolve.exchange;

import io.github.superresolve.resolve.Resolve;
import ij.ImagePlus;
import ij.io.Opener;
import ij.process.ShortProcessor;
import io.github.superresolve.TestData;
import io.github.superresolve.infer.ImageUpscaler;
import io.github.superresolve.infer.NetworkUpscaler;
import io.github.superresolve.infer.Progress;
import io.github.superresolve.infer.Upscaler;
import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCard;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.nn.ModelException;
import onnx.Onnx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Networks from elsewhere under Super-Resolve's tiling: PyTorch-exported ESPCN and EDSR-style networks
 * give PyTorch's own images (src/test/resources/onnx, made by make_foreign_onnx.py) to one grey level,
 * with tiles small enough that most of the image comes from tiles; an exported package run back gives
 * the model's own result; broken or unsupported inputs give one sentence.
 */
public class ForeignModelTest {

    @TempDir
    Path dir;

    static final ModelCatalog NONE = new ModelCatalog(List.of());

    @AfterAll
    static void close() {
        ForeignModels.closeAll();
    }

    static Path fixture(String name) {
        return TestData.resource("onnx/" + name);
    }

    public static int maxDiff(ImagePlus a, ImagePlus b) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        int max = 0;
        for (int y = 0; y < a.getHeight(); y++)
            for (int x = 0; x < a.getWidth(); x++) {
                int[] p = a.getPixel(x, y), q = b.getPixel(x, y);
                for (int k = 0; k < (a.getType() == ImagePlus.COLOR_RGB ? 3 : 1); k++) max = Math.max(max, Math.abs(p[k] - q[k]));
            }
        return max;
    }

    static ImagePlus upscale(String model, ImagePlus in, int scale, int tile) {
        Upscaler up = Resolve.upscaler(model, scale, tile, -1, 1, NONE);
        return ImageUpscaler.upscale(in, up, ImageUpscaler.Options.defaults(), Progress.NONE);
    }

    @Test
    void pytorchNetworksGivePytorchsImages() {
        for (String[] c : new String[][]{{"espcn-x2-grey", "grey.png"}, {"edsr-x2-rgb", "rgb.png"}}) {
            String onnx = fixture(c[0] + ".onnx").toString();
            ImagePlus in = new Opener().openImage(fixture(c[1]).toString());
            ImagePlus want = new Opener().openImage(fixture(c[0] + ".expected.png").toString());
            for (int tile : new int[]{NetworkUpscaler.AUTO, 16}) {
                ImagePlus got = upscale(onnx, in, 2, tile);
                assertEquals(in.getBitDepth(), got.getBitDepth());
                int d = maxDiff(got, want);
                assertTrue(d <= 1, c[0] + " with tiles of " + tile + ": " + d + " grey levels from PyTorch's image");
            }
        }
    }

    @Test
    void measuresScaleRadiusAndMemory() {
        OnnxNetwork espcn = ForeignModels.open(fixture("espcn-x2-grey.onnx").toString()).network();
        assertEquals(2, espcn.scale());
        assertEquals(1, espcn.channels());
        // 5x5, 3x3, 3x3 at the input's resolution: 2 + 1 + 1 pixels, from the graph
        assertEquals(4, espcn.receptiveRadius());
        assertEquals("graph", espcn.radiusSource());
        // live tensors per input pixel: at least the widest layer (32 channels of float) and its input
        double bpp = espcn.bytesPerPixel();
        assertTrue(bpp >= 32 * 4 && bpp < 4000, "bytes per pixel " + bpp);
        OnnxNetwork edsr = ForeignModels.open(fixture("edsr-x2-rgb.onnx").toString()).network();
        assertEquals(3, edsr.channels());
        assertEquals(7, edsr.receptiveRadius()); // 7 3x3 convs at the input's resolution; the bicubic skip's 2.5 is less
        assertSame(edsr, ForeignModels.open(fixture("edsr-x2-rgb.onnx").toString()).network(), "opened once, then kept");
    }

    @Test
    void radiusOfOurOwnExportsFromTheirGraphAndMeasuredForWholeImageOperators() throws Exception {
        Model m = ModelCatalog.standard().load("rgan-x4");
        Path onnx = Files.write(dir.resolve("rgan.onnx"), OnnxExport.build(m).toByteArray());
        OnnxNetwork net = ForeignModels.open(onnx.toString()).network();
        assertEquals(m.generator().receptiveRadius(), net.receptiveRadius(), "two stages: 40 + 40 / 2");
        assertEquals(4, net.scale());

        // instance normalisation after ESPCN's first convolution: every output sees the whole image
        Onnx.ModelProto espcn = Onnx.ModelProto.parseFrom(Files.readAllBytes(fixture("espcn-x2-grey.onnx")));
        Onnx.GraphProto.Builder g = espcn.getGraph().toBuilder();
        String a = g.getNode(0).getOutput(0);
        for (int i = 1; i < g.getNodeCount(); i++) {
            Onnx.NodeProto.Builder n = g.getNode(i).toBuilder();
            for (int k = 0; k < n.getInputCount(); k++) if (n.getInput(k).equals(a)) n.setInput(k, a + "_norm");
            g.setNode(i, n);
        }
        float[] ones = new float[32], zeros = new float[32];
        java.util.Arrays.fill(ones, 1f);
        g.addInitializer(tensor("in_scale", ones)).addInitializer(tensor("in_bias", zeros));
        g.addNode(1, Onnx.NodeProto.newBuilder().setOpType("InstanceNormalization").addInput(a).addInput("in_scale").addInput("in_bias").addOutput(a + "_norm"));
        Path global = Files.write(dir.resolve("global.onnx"), espcn.toBuilder().setGraph(g).build().toByteArray());
        OnnxNetwork gn = ForeignModels.open(global.toString()).network();
        assertEquals("measured", gn.radiusSource());
        assertTrue(gn.receptiveRadius() >= 100, "a whole-image operator: the largest probe's radius, not " + gn.receptiveRadius());
    }

    private static Onnx.TensorProto tensor(String name, float[] v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber()).addDims(v.length)
                .setRawData(org.nd4j.shade.protobuf.ByteString.copyFrom(b.array())).build();
    }

    @Test
    void exportedPackageRunsBackAsTheModelItself() throws Exception {
        GeneratorConfig c = new GeneratorConfig(3, 2, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Path file = TestData.writeModel(dir, "tiny-rgb", c);
        Model m = io.github.superresolve.nn.ModelFile.read(file);
        BioImageIoExport.export(m, dir.resolve("pkg"), BioImageIoExport.InputData.UINT8, "MIT", false);
        ImagePlus in = new Opener().openImage(fixture("rgb.png").toString());
        ImagePlus ours = upscale(file.toString(), in, 2, NetworkUpscaler.AUTO);
        for (String pkg : new String[]{dir.resolve("pkg/rdf.yaml").toString(), dir.resolve("pkg.zip").toString()}) {
            ImagePlus back = upscale(pkg, in, 2, NetworkUpscaler.AUTO);
            assertTrue(maxDiff(ours, back) <= 1, pkg + ": " + maxDiff(ours, back) + " grey levels from the model's own result");
        }
        assertThrows(ModelException.class, () -> upscale(dir.resolve("pkg/rdf.yaml").toString(), in, 4, 0), "wrong scale");
    }

    @Test
    void sixteenBitPackageMapsBackToTheInputsUnits() throws Exception {
        GeneratorConfig c = new GeneratorConfig(1, 2, 1, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Path file = TestData.writeModel(dir, "tiny-grey", c);
        Model m = io.github.superresolve.nn.ModelFile.read(file);
        BioImageIoExport.export(m, dir.resolve("grey16"), BioImageIoExport.InputData.UINT16, "MIT", false);
        ShortProcessor sp = new ShortProcessor(40, 30);
        Random r = new Random(4);
        for (int i = 0; i < 1200; i++) sp.set(i, 1000 + (int) (20000 * Math.abs(Math.sin(i * 0.05))) + r.nextInt(500));
        ImagePlus in = new ImagePlus("cells16", sp);
        ImagePlus ours = upscale(file.toString(), in, 2, 0), back = upscale(dir.resolve("grey16/rdf.yaml").toString(), in, 2, 0);
        assertEquals(16, back.getBitDepth());
        int d = maxDiff(ours, back);
        assertTrue(d <= 2, "16-bit package vs the model: " + d + " levels of 65535");
    }

    @Test
    void brokenAndUnsupportedInputsGiveOneSentence() throws Exception {
        Path junk = Files.write(dir.resolve("junk.onnx"), new byte[]{1, 2, 3, 4, 5});
        ModelException e = assertThrows(ModelException.class, () -> ForeignModels.open(junk.toString()));
        assertTrue(e.getMessage().contains("junk") && !e.getMessage().contains("\n"), e.getMessage());

        // an operator of a custom domain is named
        Onnx.ModelProto espcn = Onnx.ModelProto.parseFrom(Files.readAllBytes(fixture("espcn-x2-grey.onnx")));
        Onnx.GraphProto.Builder g = espcn.getGraph().toBuilder();
        g.setNode(0, g.getNode(0).toBuilder().setOpType("FancyConv").setDomain("org.example"));
        Path custom = Files.write(dir.resolve("custom.onnx"), espcn.toBuilder().setGraph(g).build().toByteArray());
        e = assertThrows(ModelException.class, () -> ForeignModels.open(custom.toString()));
        assertTrue(e.getMessage().contains("FancyConv") && e.getMessage().contains("org.example"), e.getMessage());

        // a fixed input size runs in windows of that size (DeepImageJImportTest); one too small to be a window is refused with what to do
        for (int size : new int[]{40, 12}) {
            Onnx.GraphProto.Builder fixed = espcn.getGraph().toBuilder();
            Onnx.TypeProto.Builder t = fixed.getInput(0).getType().toBuilder();
            t.getTensorTypeBuilder().getShapeBuilder().getDimBuilder(2).setDimValue(size);
            t.getTensorTypeBuilder().getShapeBuilder().getDimBuilder(3).setDimValue(size);
            fixed.setInput(0, fixed.getInput(0).toBuilder().setType(t));
            Path fixedPath = Files.write(dir.resolve("fixed" + size + ".onnx"), espcn.toBuilder().setGraph(fixed).build().toByteArray());
            if (size == 40) {
                ImagePlus in = new Opener().openImage(fixture("grey.png").toString());
                ImagePlus want = new Opener().openImage(fixture("espcn-x2-grey.expected.png").toString());
                int d = maxDiff(upscale(fixedPath.toString(), in, 2, NetworkUpscaler.AUTO), want);
                assertTrue(d <= 1, "ESPCN fixed at 40x40 vs PyTorch: " + d + " grey levels");
                continue;
            }
            e = assertThrows(ModelException.class, () -> ForeignModels.open(fixedPath.toString()));
            assertTrue(e.getMessage().contains("12x12") && e.getMessage().contains("dynamic_axes"), e.getMessage());
        }

        // packages: no ONNX weights, a step we cannot apply, bad YAML
        Path noOnnx = Files.writeString(dir.resolve("a.rdf.yaml"), "type: model\nname: a\nweights:\n  torchscript: {source: w.pt}\n");
        e = assertThrows(ModelException.class, () -> ForeignModels.open(noOnnx.toString()));
        assertTrue(e.getMessage().contains("no ONNX weights (it has: torchscript)"), e.getMessage());
        Files.copy(fixture("espcn-x2-grey.onnx"), dir.resolve("w.onnx"));
        Path binarize = Files.writeString(dir.resolve("b.rdf.yaml"), String.join("\n", "type: model", "name: b",
                "weights: {onnx: {source: w.onnx}}",
                "inputs: [{id: input, axes: [{type: batch}, {type: channel, channel_names: [g]}, {type: space, id: y, size: {min: 8, step: 1}}, {type: space, id: x, size: {min: 8, step: 1}}],",
                "  preprocessing: [{id: binarize, kwargs: {threshold: 0.5}}]}]",
                "outputs: [{id: output, axes: [{type: batch}, {type: channel, channel_names: [g]}, {type: space, id: y, size: {tensor_id: input, axis_id: y}, scale: 0.5}, {type: space, id: x, size: {tensor_id: input, axis_id: x}, scale: 0.5}]}]", ""));
        e = assertThrows(ModelException.class, () -> ForeignModels.open(binarize.toString()));
        assertTrue(e.getMessage().contains("binarize"), e.getMessage());
        Path bad = Files.writeString(dir.resolve("c.rdf.yaml"), "type: model\nname: [unclosed\n");
        e = assertThrows(ModelException.class, () -> ForeignModels.open(bad.toString()));
        assertTrue(e.getMessage().contains("not valid YAML at line"), e.getMessage());
    }

    /**
     * An installation for a platform without native code gets the common files only, without ONNX Runtime (issue 34's
     * layout): an .onnx model then gets one sentence, not a NoClassDefFoundError. The plugin's classes are loaded here
     * by a loader that cannot see ai.onnxruntime, as on such a platform.
     */
    @Test
    void anOnnxModelWithoutOnnxRuntimeGetsOneSentence() throws Exception {
        java.net.URL classes = ForeignModels.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader parent = getClass().getClassLoader();
        try (java.net.URLClassLoader withoutOrt = new java.net.URLClassLoader(new java.net.URL[]{classes}, parent) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                if (n.startsWith("ai.onnxruntime.")) throw new ClassNotFoundException(n);
                if (!n.startsWith("io.github.superresolve.")) return super.loadClass(n, resolve);
                synchronized (getClassLoadingLock(n)) { // the plugin's own classes from here, so that they see no ONNX Runtime
                    Class<?> c = findLoadedClass(n);
                    return c != null ? c : findClass(n);
                }
            }
        }) {
            java.lang.reflect.Method open = withoutOrt.loadClass(ForeignModels.class.getName()).getMethod("open", String.class);
            Path model = fixture("espcn-x2-grey.onnx");
            java.lang.reflect.InvocationTargetException e = assertThrows(java.lang.reflect.InvocationTargetException.class,
                    () -> open.invoke(null, model.toString()));
            assertEquals(ModelException.class.getName(), e.getCause().getClass().getName(), "a ModelException, not " + e.getCause());
            assertTrue(e.getCause().getMessage().startsWith("Model file " + model + " is an ONNX network, but ONNX Runtime is not installed for this platform ("),
                    e.getCause().getMessage());
            assertTrue(e.getCause().getMessage().endsWith("the bundled models and Bicubic/Lanczos do not need ONNX Runtime."), e.getCause().getMessage());
        }
    }
}
