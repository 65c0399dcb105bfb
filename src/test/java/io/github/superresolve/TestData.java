package io.github.superresolve;

import ij.ImagePlus;
import ij.io.Opener;
import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.ModelCard;
import io.github.superresolve.nn.ModelFile;
import io.github.superresolve.nn.SrResNet;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/** Shared test inputs: committed reference images and small random-weight models. */
public final class TestData {

    private TestData() {
    }

    public static Path resource(String name) {
        try {
            return Paths.get(TestData.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("Missing test resource " + name, e);
        }
    }

    public static ImagePlus open(String resource) {
        ImagePlus imp = new Opener().openImage(resource(resource).toString());
        if (imp == null) throw new IllegalStateException("Cannot open " + resource);
        return imp;
    }

    /** A small generator (2 blocks, 8 wide) with random weights, fast-recipe layout. */
    public static GeneratorConfig tiny(int channels, int scale) {
        return new GeneratorConfig(channels, scale, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
    }

    /** Writes a random-weight model file NAME.zip into dir. */
    public static Path writeModel(Path dir, String name, GeneratorConfig config) throws IOException {
        ModelCard card = new ModelCard(name, "SRResNet", "random weights for tests", config, "CC0-1.0",
                Map.of("steps", 0), Map.of());
        Path f = dir.resolve(name + ".zip");
        ModelFile.write(card, tinyParams(config), f, true);
        return f;
    }

    /**
     * Random weights whose output stays close to bicubic (output conv scaled down), so tests can check
     * that each output plane is its own input plane upscaled.
     */
    public static Map<String, org.nd4j.linalg.api.ndarray.INDArray> tinyParams(GeneratorConfig config) {
        // small random output weights (initParams starts them at zero with a bicubic skip), so that
        // the network's output is near bicubic but not equal to it
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> p = SrResNet.initParams(config, 7, 0.1);
        p.get("conv_out/W").muli(0.05);
        return p;
    }
}
