package io.github.superresolve.exchange;

import ij.ImagePlus;
import ij.io.Opener;
import io.github.superresolve.TestData;
import io.github.superresolve.infer.NetworkUpscaler;
import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Import reads what deepImageJ-era packages hold: a format 0.4 description as deepImageJ 2.x wrote
 * them (axes as a string, a parameterised input shape, an implicit output shape with its scale, a halo
 * per axis, processing steps by {@code name}, {@code zero_mean_unit_variance} with {@code mode: fixed},
 * a {@code config: deepimagej} section, weights in other formats beside the ONNX ones) opens at its
 * scale with its halo, and gives the model's own result.
 */
class DeepImageJImportTest {

    @TempDir
    Path dir;

    static final String RDF = """
            format_version: 0.4.9
            type: model
            name: tiny-rgb deepImageJ-era
            description: A package written the way deepImageJ 2.1 exported models.
            authors:
            - name: Someone
            cite:
            - text: A paper
              doi: 10.1000/xyz
            documentation: README.md
            covers: []
            license: MIT
            tags: [deepimagej, super-resolution]
            timestamp: 2022-03-01T10:00:00
            inputs:
            - name: input
              axes: bcyx
              data_type: float32
              data_range: [-.inf, .inf]
              shape:
                min: [1, 3, 16, 16]
                step: [0, 0, 4, 4]
              preprocessing:
              - name: zero_mean_unit_variance
                kwargs: {mode: fixed, axes: xyc, mean: [0, 0, 0], std: [255, 255, 255]}
            outputs:
            - name: output
              axes: bcyx
              data_type: float32
              data_range: [-.inf, .inf]
              halo: [0, 0, HALO, HALO]
              shape:
                reference_tensor: input
                scale: [1, 1, 2, 2]
                offset: [0, 0, 0, 0]
              postprocessing:
              - name: scale_linear
                kwargs: {axes: xyc, gain: 255, offset: 0}
            test_inputs: [test_input.npy]
            test_outputs: [test_output.npy]
            sample_inputs: [sample_input.tif]
            sample_outputs: [sample_output.tif]
            weights:
              onnx:
                source: weights.onnx
                opset_version: 13
              tensorflow_saved_model_bundle:
                source: tf_model.zip
                tensorflow_version: '2.7'
            config:
              deepimagej:
                pyramidal_model: false
                allow_tiling: true
                model_keys: null
                prediction:
                  preprocess: [{spec: null}]
                  postprocess: [{spec: null}]
                test_information:
                  inputs: [{name: test_input.npy, size: 64 x 64 x 3, pixel_size: {x: 1, y: 1, z: 1}}]
                  outputs: [{name: output, type: image, size: 128 x 128 x 3}]
                  memory_peak: null
                  runtime: null
            """;

    @Test
    void aDeepImageJEraPackageRunsAsTheModelItself() throws Exception {
        GeneratorConfig c = new GeneratorConfig(3, 2, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Path file = TestData.writeModel(dir, "tiny-rgb", c);
        Model m = io.github.superresolve.nn.ModelFile.read(file);
        int radius = m.generator().receptiveRadius();
        Path pkg = Files.createDirectories(dir.resolve("dij-era"));
        Files.write(pkg.resolve("weights.onnx"), OnnxExport.build(m, 13, 7).toByteArray());
        Files.writeString(pkg.resolve("rdf.yaml"), RDF.replace("HALO", Integer.toString(2 * radius)));

        ForeignModel f = ForeignModels.open(pkg.resolve("rdf.yaml").toString());
        assertEquals(2, f.scale());
        assertEquals(radius, f.network().receptiveRadius());
        assertEquals("package halo", f.network().radiusSource());
        ImagePlus in = new Opener().openImage(ForeignModelTest.fixture("rgb.png").toString());
        ImagePlus ours = ForeignModelTest.upscale(file.toString(), in, 2, NetworkUpscaler.AUTO);
        ImagePlus back = ForeignModelTest.upscale(pkg.resolve("rdf.yaml").toString(), in, 2, NetworkUpscaler.AUTO);
        int d = ForeignModelTest.maxDiff(ours, back);
        assertTrue(d <= 1, "deepImageJ-era package vs the model: " + d + " grey levels");
    }

    @Test
    void yamlsInfinityIsReadAsTextAndRefusedWhereANumberIsNeeded() {
        assertEquals("data_range: ['-.inf', '.inf']\nx: '.nan'\ny:\n- '-.Inf'\nd: 'a .inf, b'\n",
                RdfYaml.quoteNonFinite("data_range: [-.inf, .inf]\nx: .nan\ny:\n- -.Inf\nd: 'a .inf, b'\n"));
        java.util.Map<String, Object> d = RdfYaml.parse("a: [-.inf, .inf]\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), "t.yaml");
        assertEquals(java.util.List.of("-.inf", ".inf"), d.get("a"));
        String rdf = RDF.replace("HALO", ".inf");
        io.github.superresolve.nn.ModelException e = org.junit.jupiter.api.Assertions.assertThrows(io.github.superresolve.nn.ModelException.class,
                () -> Rdf.of(RdfYaml.parse(rdf.getBytes(java.nio.charset.StandardCharsets.UTF_8), "p/rdf.yaml"), "p/rdf.yaml"));
        assertTrue(e.getMessage().contains("outputs[0].halo[2] is not a whole number"), e.getMessage());
    }

    /** The graph with its input fixed at {@code size x size} (batch 1) and its output at {@code r} times that, as many older exports are. */
    static byte[] fixedSize(byte[] graph, int size, int r) throws Exception {
        onnx.Onnx.ModelProto p = onnx.Onnx.ModelProto.parseFrom(graph);
        onnx.Onnx.GraphProto.Builder g = p.getGraph().toBuilder();
        for (onnx.Onnx.ValueInfoProto.Builder v : java.util.List.of(g.getInputBuilder(0), g.getOutputBuilder(0))) {
            int s = v.getName().equals(g.getInput(0).getName()) ? size : size * r;
            onnx.Onnx.TensorShapeProto.Builder shape = v.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
            shape.getDimBuilder(0).clearDimParam().setDimValue(1);
            shape.getDimBuilder(2).clearDimParam().setDimValue(s);
            shape.getDimBuilder(3).clearDimParam().setDimValue(s);
        }
        return p.toBuilder().setGraph(g).build().toByteArray();
    }

    @Test
    void aPackageWhoseNetworkTakesOneFixedSizeRunsInWindowsOfThatSize() throws Exception {
        GeneratorConfig c = new GeneratorConfig(3, 2, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Path file = TestData.writeModel(dir, "tiny-rgb", c);
        Model m = io.github.superresolve.nn.ModelFile.read(file);
        int radius = m.generator().receptiveRadius();
        Path pkg = Files.createDirectories(dir.resolve("fixed"));
        Files.write(pkg.resolve("weights.onnx"), fixedSize(OnnxExport.build(m, 13, 7).toByteArray(), 40, 2));
        Files.writeString(pkg.resolve("rdf.yaml"), RDF.replace("HALO", Integer.toString(2 * radius))
                .replace("""
                          shape:
                            min: [1, 3, 16, 16]
                            step: [0, 0, 4, 4]
                        """, """
                          shape: [1, 3, 40, 40]
                        """));
        assertTrue(Files.readString(pkg.resolve("rdf.yaml")).contains("shape: [1, 3, 40, 40]"));
        ImagePlus in = new Opener().openImage(ForeignModelTest.fixture("rgb.png").toString());
        ImagePlus ours = ForeignModelTest.upscale(file.toString(), in, 2, NetworkUpscaler.AUTO);
        for (String model : new String[]{pkg.resolve("rdf.yaml").toString(), pkg.resolve("weights.onnx").toString()}) {
            ForeignModel f = ForeignModels.open(model);
            assertEquals(2, f.scale());
            assertTrue(f.network().receptiveRadius() >= radius, model + ": radius " + f.network().receptiveRadius());
            for (int tile : new int[]{NetworkUpscaler.AUTO, 16, 100}) {
                ImagePlus back = ForeignModelTest.upscale(model, in, 2, tile);
                int d = ForeignModelTest.maxDiff(ours, back);
                assertTrue(d <= 1, model + ", tile " + tile + ": fixed-size network vs the model: " + d + " grey levels");
            }
        }
        // a fixed size too small for the receptive radius is one sentence
        Files.write(pkg.resolve("weights.onnx"), fixedSize(OnnxExport.build(m, 13, 7).toByteArray(), 24, 2));
        io.github.superresolve.nn.ModelException e = org.junit.jupiter.api.Assertions.assertThrows(io.github.superresolve.nn.ModelException.class,
                () -> ForeignModels.open(pkg.resolve("weights.onnx").toString()));
        assertTrue(e.getMessage().contains("accepts only inputs of 24x24 pixels, too small for its receptive radius"), e.getMessage());
    }
}
