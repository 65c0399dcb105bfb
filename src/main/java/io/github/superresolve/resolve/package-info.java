/**
 * One way to name a model. {@link io.github.superresolve.resolve.ModelResolver} turns what a user typed
 * (bicubic, lanczos, an installed model's name, a Super-Resolve model zip, an {@code .onnx} file, a
 * bioimage.io {@code rdf.yaml} or package zip) into one {@link io.github.superresolve.resolve.ResolvedModel}:
 * the scales it supports (a missing scale means its own), its channels, intensity rule and receptive
 * radius, and a factory for its upscaler. Every front end asks it: the command line's {@code upscale},
 * {@code compare} and {@code demo}, the Fiji commands and their dialogs, and the Spark job. It depends on
 * {@code infer}, {@code nn} and {@code exchange}; none of them depends on it.
 */
package io.github.superresolve.resolve;
