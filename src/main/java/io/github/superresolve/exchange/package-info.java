/**
 * Models across tools: {@link io.github.superresolve.exchange.OnnxExport} writes a model as an ONNX
 * graph, {@link io.github.superresolve.exchange.BioImageIoExport} as a BioImage Model Zoo package
 * (rdf.yaml 0.5, test tensors, cover, README); {@link io.github.superresolve.exchange.ForeignModels}
 * opens ONNX files and packages from elsewhere as {@link io.github.superresolve.exchange.OnnxNetwork}s
 * (ONNX Runtime) with the package's normalisation ({@code RdfNormalisation}), which
 * {@code resolve.ModelResolver} runs under the same tiling as our own networks.
 * Packages come from strangers: {@code PackageFiles} reads one as a closed world (names inside it only,
 * sha256 checked, every read bounded), {@code RdfYaml} parses its description within limits and
 * {@code Rdf} type-checks and bounds what it says; {@code ExportTarget} makes an export write and
 * delete only its own files. Depends on nn/ and infer/'s interfaces; nothing here knows ImageJ's UI.
 * docs/model-exchange.md has the design and the measurements.
 */
package io.github.superresolve.exchange;
