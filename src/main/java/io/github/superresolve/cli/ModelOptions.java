package io.github.superresolve.cli;

import picocli.CommandLine.Option;

/** {@code --model} and {@code --scale}: the options of every command that super-resolves with one model. */
final class ModelOptions {

    @Option(names = "--model", paramLabel = "MODEL", description = {
            "A model name (see 'super-resolve models'), a model file (.zip), an ONNX file, a BioImage Model Zoo package "
                    + "(rdf.yaml or its zip), bicubic or lanczos.",
            "Default: srresnet-x4 when installed."})
    String model;

    @Option(names = "--scale", paramLabel = "N", description = "Upscaling factor. Default: the model's own (4 for bicubic and lanczos).")
    Integer scale;

    /** The scale asked, or -1: the model's own. */
    int scaleOrOwn() {
        return scale == null ? -1 : scale;
    }
}
