package io.github.superresolve.cli;

import io.github.superresolve.exchange.BioImageIoExport;
import io.github.superresolve.nn.Model;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code super-resolve export MODEL [--format bioimageio|deepimagej] -o DIR [--replace]}: a model as a
 * BioImage Model Zoo package in DIR and DIR.zip (format 0.5 with ONNX and PyTorch weights; or, for
 * deepImageJ, format 0.4.10 with ONNX weights). DIR must be new, empty, or (with --replace) a package Super-Resolve
 * wrote; anything else is refused before the model is loaded, and nothing but the package's own files
 * is ever written or deleted ({@link BioImageIoExport#checkTarget}).
 */
final class ExportTool {

    /** The command's name (its usage section in {@link Main#USAGE}). */
    static final String COMMAND = "export";

    /** The command's options (also read by {@code super-resolve completion}). */
    @Command(name = "export")
    static final class Options {
        @Parameters(paramLabel = "MODEL", arity = "0..1", description = "A model name (see 'super-resolve models') or a model file.")
        String model;

        @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Folder the package is written to (and DIR.zip beside it).")
        String output;

        @Option(names = "--format", paramLabel = "bioimageio|deepimagej", defaultValue = "bioimageio", description = {
                "bioimageio: rdf.yaml format 0.5 with ONNX (opset 17) and PyTorch state-dict weights, for bioimageio.core and BiaPy;",
                "deepimagej: format 0.4.10 with ONNX weights at opset 13, as deepImageJ 3.0/3.1 and JDLL read it. Default: ${DEFAULT-VALUE}."})
        String format;

        @Option(names = "--input-data", paramLabel = "8-bit|16-bit",
                description = "The data the package's pre/postprocessing describe. Default: 8-bit for RGB models, 16-bit percentile scaling for grey ones.")
        String inputData;

        @Option(names = "--license", paramLabel = "SPDX", description = "The package's licence (an SPDX identifier). Default: the model card's.")
        String license;

        @Option(names = "--replace", description = "Replace a package Super-Resolve wrote earlier in DIR (nothing else is ever deleted).")
        boolean replace;
    }

    private final PrintStream out, err;

    ExportTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws Exception {
        Options a = Args.parse(COMMAND, argv, new Options());
        if (a.model == null)
            throw new Args.UsageException("export takes one model (a name from 'super-resolve models' or a model file), not 0.");
        BioImageIoExport.Format format;
        try {
            format = BioImageIoExport.Format.parse(a.format);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        String dir = a.output;
        if (dir == null) throw new Args.UsageException("No output folder: give -o DIR (the package is written there and to DIR.zip).");
        long t0 = System.nanoTime();
        Path folder = Paths.get(dir);
        BioImageIoExport.checkTarget(folder, a.replace); // refused before the model is loaded
        Model model = ModelFolders.catalog(err).load(a.model);
        String data = a.inputData;
        BioImageIoExport.InputData input = data == null ? BioImageIoExport.InputData.defaultFor(model.card()) : BioImageIoExport.InputData.parse(data);
        BioImageIoExport.Result r = BioImageIoExport.export(model, folder, input, a.license, a.replace, format);
        out.printf(Locale.ROOT, "Exported %s (%s input, test tensor %dx%d, weights.onnx %.1f MB) to %s and %s in %.1f s%n",
                model.card().name(), input == BioImageIoExport.InputData.UINT8 ? "8-bit" : "16-bit", r.testSize(), r.testSize(),
                r.onnxBytes() / 1048576.0, r.folder(), r.zip(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
