package io.github.superresolve.exchange;

import io.github.superresolve.infer.IntensityRule;

/**
 * A network from elsewhere, ready to run under Super-Resolve's tiling: an ONNX file, or a bioimage.io
 * package (its {@code rdf.yaml}, or the package's zip) with ONNX weights.
 *
 * @param name    what the user sees: the package's name, or the file's name
 * @param source  the file it was read from
 * @param network the network (ONNX Runtime)
 * @param rule    the package's normalisation, or null for Super-Resolve's own (0-1 inputs and outputs)
 */
public record ForeignModel(String name, String source, OnnxNetwork network, IntensityRule rule) {

    public int scale() {
        return network.scale();
    }
}
