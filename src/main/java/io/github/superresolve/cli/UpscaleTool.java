package io.github.superresolve.cli;

import io.github.superresolve.io.Printable;
import io.github.superresolve.image.ImageFiles;
import io.github.superresolve.infer.FileUpscaler;
import io.github.superresolve.infer.ImageUpscaler;
import io.github.superresolve.infer.MemoryBudget;
import io.github.superresolve.infer.NetworkUpscaler;
import io.github.superresolve.infer.TilePlan;
import io.github.superresolve.infer.Upscaler;
import io.github.superresolve.resolve.ModelResolver;
import io.github.superresolve.resolve.ResolvedModel;
import io.github.superresolve.resolve.Tiling;
import io.github.superresolve.nn.ModelCatalog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ij.ImagePlus;
import io.github.superresolve.consistency.ConsistencyCsv;
import io.github.superresolve.consistency.ConsistencyReport;
import io.github.superresolve.consistency.ConsistencyRow;
import io.github.superresolve.consistency.Degradation;
import io.github.superresolve.consistency.ImageConsistency;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code super-resolve upscale}: one output per input, the model loaded once. */
final class UpscaleTool {

    /** The command's name (its usage section in {@link Main#USAGE}). */
    static final String COMMAND = "upscale";

    /** The command's options (also read by {@code super-resolve completion}). */
    @Command(name = "upscale")
    static final class Options {
        @Parameters(paramLabel = "IN", arity = "0..*", description = "Images, or folders standing for the image files directly in them.")
        List<String> inputs = new ArrayList<>();

        @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Folder the results are written to, each under its input's name.")
        String output;

        @Mixin
        ModelOptions model = new ModelOptions();

        @Mixin
        TilingOptions tiling = new TilingOptions();

        @Option(names = "--bit-depth", paramLabel = "same|32", defaultValue = "same",
                description = "same: the input's type (8- or 16-bit, RGB), values clipped to its range; 32: float. Default: ${DEFAULT-VALUE}.")
        String bitDepth;

        @Option(names = "--normalization", paramLabel = "auto|percentile|none", defaultValue = "auto", description = {
                "How intensities reach a network: auto (the model's rule; grey 16-bit and float by percentiles 0.1-99.9),",
                "percentile (always), none (the type's range). Default: ${DEFAULT-VALUE}."})
        String normalization;

        @Option(names = "--overwrite", description = "Replace outputs that exist (by default they are skipped).")
        boolean overwrite;

        @Option(names = "--quiet", description = "Print only errors.")
        boolean quiet;

        @Option(names = "--consistency", description = {
                "Also check each result against its input: the result degraded back (--degradation) and fitted in gain and offset;",
                "writes NAME-consistency.tif (the error map at the input's resolution, 32-bit, the input's calibration) beside",
                "each output and DIR/consistency.csv (RSE in the input's units and RSP per channel, slice and frame)."})
        boolean consistency;

        @Option(names = "--degradation", paramLabel = "bicubic|box|gaussian:SIGMA", defaultValue = "bicubic", description = {
                "How --consistency degrades a result back: bicubic (antialiased, what made the models' training inputs),",
                "box (area mean) or gaussian:SIGMA (blur of SIGMA output pixels, then area mean). Default: ${DEFAULT-VALUE}."})
        String degradation;
    }

    private final PrintStream out, err;

    UpscaleTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) {
        Options a = Args.parse(COMMAND, argv, new Options());
        if (a.inputs.isEmpty()) throw new Args.UsageException("Give at least one input image or folder: super-resolve upscale IN... -o DIR.");
        String dirArg = a.output;
        if (dirArg == null) throw new Args.UsageException("Give the output folder with -o DIR.");
        ImageUpscaler.Options options;
        try {
            options = new ImageUpscaler.Options(ImageUpscaler.BitDepth.parse(a.bitDepth),
                    ImageUpscaler.Normalization.parse(a.normalization), 0.1, 99.9);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        Tiling tiling = a.tiling.tiling();
        ImageConsistency.Options check;
        try {
            check = new ImageConsistency.Options(Degradation.parse(a.degradation), false);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        List<ConsistencyRow> consistencyRows = new ArrayList<>();
        ModelCatalog catalog = ModelFolders.catalog(err);
        String model = a.model.model != null ? a.model.model : defaultModel(catalog);
        ResolvedModel resolved = new ModelResolver(catalog).resolve(model);
        int scale = resolved.scaleFor(a.model.scaleOrOwn()); // none given: the model's own
        Upscaler up = resolved.upscaler(scale, tiling);
        Path dir = ImageFiles.outputFolder(dirArg);
        boolean overwrite = a.overwrite, quiet = a.quiet;
        int failed = 0, written = 0, skipped = 0;
        // a folder stands for the image files directly in it
        List<Path> inputs = new ArrayList<>();
        for (String in : a.inputs) {
            Path p = Paths.get(in);
            if (!Files.isDirectory(p)) {
                inputs.add(p);
                continue;
            }
            try {
                inputs.addAll(ImageFiles.imagesIn(p));
            } catch (IllegalArgumentException e) {
                err.println("super-resolve: " + Printable.escape(e.getMessage()));
                failed++;
            }
        }
        // outputs claimed in this run (two inputs such as a.jpg and a.gif would both become a.tif)
        Map<Path, Path> claimed = new HashMap<>();
        FileUpscaler files = new FileUpscaler(up, options);
        for (Path input : inputs) {
            try {
                FileUpscaler.Prepared job = files.prepare(input, dir);
                Path target = job.target();
                Path other = claimed.putIfAbsent(target.toAbsolutePath().normalize(), input);
                if (other != null)
                    throw new IllegalArgumentException("Input " + input + " would be written to " + target + ", the output of " + other
                            + ": rename one of them or use separate output folders.");
                if (Files.exists(target) && !overwrite) {
                    if (!quiet) out.println("skipped " + Printable.escape(input) + ": " + Printable.escape(target) + " exists (use --overwrite to replace it)");
                    skipped++;
                    continue;
                }
                FileUpscaler.Written result = files.write(job, new ConsoleProgress(err, Printable.escape(input.getFileName())));
                written++;
                if (!quiet) out.printf("%s -> %s (%dx%d%s, %.1f s)%n", Printable.escape(input), Printable.escape(target), result.width(), result.height(),
                        tiles(up), result.seconds());
                if (a.consistency) consistencyRows.addAll(checkConsistency(job, scale, check, dir, quiet, overwrite, inputs));
            } catch (IllegalArgumentException | IOException e) {
                err.println("super-resolve: " + Printable.escape(e.getMessage()));
                failed++;
            }
        }
        if (!quiet && inputs.size() > 1) out.printf("%d written, %d skipped, %d failed%n", written, skipped, failed);
        if (a.consistency && !consistencyRows.isEmpty()) {
            Path csv = dir.resolve(CONSISTENCY_CSV);
            try {
                ConsistencyCsv.write(csv, consistencyRows);
                if (!quiet) out.println("consistency of " + written + " result(s) -> " + Printable.escape(csv));
            } catch (IOException e) {
                err.println("super-resolve: could not write " + Printable.escape(csv) + " (" + Printable.escape(e.getMessage()) + "): check that the folder is writable.");
                failed++;
            }
        }
        return failed > 0 ? 1 : 0;
    }

    /** The table of RSE and RSP that {@code --consistency} writes into the output folder. */
    static final String CONSISTENCY_CSV = "consistency.csv";

    /**
     * Checks a result as written (reopened, so what is scored is what the user gets) against its input:
     * writes NAME-consistency.tif beside it and returns its rows for the CSV.
     */
    private List<ConsistencyRow> checkConsistency(FileUpscaler.Prepared job, int scale, ImageConsistency.Options check, Path dir,
                                                  boolean quiet, boolean overwrite, List<Path> inputs) throws IOException {
        ImagePlus result = ImageFiles.open(job.target());
        result.setTitle(job.target().getFileName().toString());
        ConsistencyReport report = ImageConsistency.analyse(job.image(), result, scale, check);
        Path map = dir.resolve(report.map().getTitle() + ".tif");
        for (Path in : inputs)
            if (Files.exists(in) && Files.exists(map) && Files.isSameFile(in, map))
                throw new IllegalArgumentException("The consistency map of " + job.input() + " would overwrite the input " + in
                        + ": choose another output folder.");
        if (Files.exists(map) && !overwrite)
            throw new IllegalArgumentException("The consistency map " + map + " exists: use --overwrite to replace it, or another output folder.");
        ImageFiles.save(report.map(), map);
        if (!quiet)
            out.printf(java.util.Locale.ROOT, "  consistency (%s): RSE %.4g, RSP %.4f -> %s%n", check.degradation(), report.overallRse(),
                    report.overallRsp(), Printable.escape(map));
        return report.rows();
    }

    /** ", 2 tiles of 512x256" for a network (as the last plane ran, after any retry), else "". */
    static String tiles(Upscaler up) {
        if (!(up instanceof NetworkUpscaler n) || n.lastPlan() == null) return "";
        TilePlan p = n.lastPlan();
        String where = n.stages() > 1 ? " in the last stage" : "";
        return (n.lastTileCount() == 1 ? ", one tile" : ", " + n.lastTileCount() + " tiles of " + p.tileW() + "x" + p.tileH()) + where
                + (n.retries() > 0 ? " after " + n.retries() + " retries with less memory" : "");
    }

    static String defaultModel(ModelCatalog catalog) {
        if (catalog.names().contains("srresnet-x4")) return "srresnet-x4";
        return catalog.names().isEmpty() ? ModelResolver.LANCZOS : catalog.names().get(0);
    }
}
