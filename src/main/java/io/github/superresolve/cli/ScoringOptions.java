package io.github.superresolve.cli;

import picocli.CommandLine.Option;

/** How images are scored against ground truth: {@code --luminance}, {@code --data-range}, {@code --csv}. */
final class ScoringOptions {

    @Option(names = "--luminance", description = "Score the luminance Y (ITU-R BT.601) of colour images, as super-resolution papers do.")
    boolean luminance;

    @Option(names = "--data-range", paramLabel = "R", defaultValue = "0",
            description = "Data range of PSNR and SSIM; 0: the type's (255 for 8-bit and RGB, 65535 for 16-bit, the truth's for float). Default: ${DEFAULT-VALUE}.")
    double dataRange;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the scores as CSV (image,method,scale,mse,psnr,ssim,rse,rsp,hf; 'mean' rows; hf with --spectrum).")
    String csv;
}
