package io.github.superresolve.cli;

import io.github.superresolve.exchange.BioImageIoExport;
import io.github.superresolve.nn.Model;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Set;

/**
 * {@code super-resolve export MODEL [--format bioimageio|deepimagej] -o DIR [--replace]}: a model as a
 * BioImage Model Zoo package in DIR and DIR.zip (format 0.5 with ONNX and PyTorch weights; or, for
 * deepImageJ, format 0.4.10 with ONNX weights). DIR must be new, empty, or (with --replace) a package Super-Resolve
 * wrote; anything else is refused before the model is loaded, and nothing but the package's own files
 * is ever written or deleted ({@link BioImageIoExport#checkTarget}).
 */
final class ExportTool {

    static final String COMMAND = "export";
    static final Set<String> VALUED = Set.of("o", "output", "format", "input-data", "license");
    static final Set<String> FLAGS = Set.of("replace");
    private final PrintStream out, err;

    ExportTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws Exception {
        Args a = new Args(COMMAND, argv, VALUED, FLAGS);
        if (a.positional.size() != 1)
            throw new Args.UsageException("export takes one model (a name from 'super-resolve models' or a model file), not " + a.positional.size() + ".");
        BioImageIoExport.Format format;
        try {
            format = BioImageIoExport.Format.parse(a.get("format", "bioimageio"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        String dir = a.get("o", "output", null);
        if (dir == null) throw new Args.UsageException("No output folder: give -o DIR (the package is written there and to DIR.zip).");
        long t0 = System.nanoTime();
        Path folder = Paths.get(dir);
        BioImageIoExport.checkTarget(folder, a.flag("replace")); // refused before the model is loaded
        Model model = ModelFolders.catalog(err).load(a.positional.get(0));
        String data = a.get("input-data", null);
        BioImageIoExport.InputData input = data == null ? BioImageIoExport.InputData.defaultFor(model.card()) : BioImageIoExport.InputData.parse(data);
        BioImageIoExport.Result r = BioImageIoExport.export(model, folder, input, a.get("license", null), a.flag("replace"), format);
        out.printf(Locale.ROOT, "Exported %s (%s input, test tensor %dx%d, weights.onnx %.1f MB) to %s and %s in %.1f s%n",
                model.card().name(), input == BioImageIoExport.InputData.UINT8 ? "8-bit" : "16-bit", r.testSize(), r.testSize(),
                r.onnxBytes() / 1048576.0, r.folder(), r.zip(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
