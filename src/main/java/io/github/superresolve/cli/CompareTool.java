package io.github.superresolve.cli;

import ij.ImagePlus;
import io.github.superresolve.eval.Comparison;
import io.github.superresolve.eval.ComparisonJob;
import io.github.superresolve.eval.ComparisonTables;
import io.github.superresolve.image.ImageFiles;
import io.github.superresolve.infer.Progress;
import io.github.superresolve.io.AtomicFile;
import io.github.superresolve.metrics.ImageScorer;
import io.github.superresolve.metrics.Scores;
import io.github.superresolve.nn.ModelCatalog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code super-resolve compare}: scores bicubic, Lanczos and models on ground-truth images (the
 * project's quality protocol, see {@link Comparison}) at one or several scales, prints the study's
 * Table 1 (methods as columns) and writes the CSV and montages asked for. With {@code --reference}
 * it scores already super-resolved images against a reference instead.
 */
final class CompareTool {

    /** The command's name (its usage section in {@link Main#USAGE}). */
    static final String COMMAND = "compare";

    /** The command's options (also read by {@code super-resolve completion}). */
    @Command(name = "compare")
    static final class Options {
        @Parameters(paramLabel = "FILE", arity = "0..*", description = "More ground-truth images (with --hr), or more results to score (with --reference).")
        List<String> files = new ArrayList<>();

        @Option(names = {"--hr-dir", "--dir"}, paramLabel = "DIR", description = "Folder of ground-truth images (subfolders too).")
        String hrDir;

        @Option(names = "--hr", paramLabel = "FILE", description = "A ground-truth image (more follow as arguments).")
        String hr;

        @Option(names = "--input-dir", paramLabel = "DIR", description = {
                "Instead of ground truth: your own images (those directly in DIR), super-resolved by each method as they are;",
                "only the consistency of each result with its input is scored (RSE, RSP), which needs no ground truth."})
        String inputDir;

        @Option(names = "--input", paramLabel = "FILE", description = "One of your own images, as --input-dir (more follow as arguments).")
        String input;

        @Option(names = "--scale", paramLabel = "N[,M...]", defaultValue = "4", description = "Scale(s) to compare at. Default: ${DEFAULT-VALUE}.")
        String scale;

        @Option(names = "--methods", paramLabel = "LIST", description = {
                "Comma-separated methods: bicubic, lanczos, model names, model files (.zip, .onnx, rdf.yaml, package zip).",
                "Default: bicubic, Lanczos and every installed model of that scale and channel count."})
        String methods;

        @Option(names = "--channels", paramLabel = "1|3", defaultValue = "3", description = "3: colour; 1: grey models on the luminance. Default: ${DEFAULT-VALUE}.")
        int channels;

        @Option(names = "--max-side", paramLabel = "N", defaultValue = "512", description = "Side of the centre crop scored (0: whole images). Default: ${DEFAULT-VALUE}.")
        int maxSide;

        @Option(names = "--per-image", description = "Also print each image's scores.")
        boolean perImage;

        @Option(names = "--spectrum", description = "Add radial power spectra and each method's high-frequency power relative to the truth.")
        boolean spectrum;

        @Option(names = "--montage", paramLabel = "FILE.png", description = "Write the busiest crop of every method side by side (FILE_xN.png for several scales).")
        String montage;

        @Option(names = "--montage-side", paramLabel = "N", defaultValue = "160", description = "Side of each montage crop in pixels. Default: ${DEFAULT-VALUE}.")
        int montageSide;

        @Option(names = "--reference", paramLabel = "REF", description = "Score finished results against this reference instead (with --test).")
        String reference;

        @Option(names = "--test", paramLabel = "FILE", description = "A finished result to score against --reference (more follow as arguments).")
        String test;

        @Option(names = "--border", paramLabel = "N", defaultValue = "0", description = "With --reference: pixels left out at each edge. Default: ${DEFAULT-VALUE}.")
        int border;

        @Mixin
        ScoringOptions scoring = new ScoringOptions();
    }

    private final PrintStream out, err;

    CompareTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws IOException {
        Options a = Args.parse(COMMAND, argv, new Options());
        double dataRange = a.scoring.dataRange;
        if (a.reference != null) return reference(a, dataRange);
        boolean own = a.inputDir != null || a.input != null;
        if (own && (a.hrDir != null || a.hr != null))
            throw new Args.UsageException("Give either ground truth (--hr-dir, --hr) or your own images (--input-dir, --input), not both.");
        String dir = own ? a.inputDir : a.hrDir;
        List<String> files = new ArrayList<>();
        if (a.hr != null) files.add(a.hr);
        if (a.input != null) files.add(a.input);
        files.addAll(a.files);
        if (dir == null && files.isEmpty())
            throw new Args.UsageException("Name the ground truth: --hr-dir DIR or --hr FILE... (or your own images with --input-dir DIR, "
                    + "or --reference REF --test FILE to score finished results).");
        if (dir != null && !files.isEmpty()) throw new Args.UsageException("Give either a folder or files, not both.");
        int channels = a.channels, maxSide = a.maxSide;
        if (channels != 1 && channels != 3) throw new Args.UsageException("--channels must be 1 or 3.");
        List<Integer> scales;
        try {
            scales = ComparisonJob.parseScales(a.scale);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        if (dir != null && !Files.isDirectory(Path.of(dir)))
            throw new IllegalArgumentException("Folder " + dir + " does not exist: give a folder of " + (own ? "images." : "ground-truth images."));
        List<ImagePlus> images = null;
        if (!files.isEmpty()) {
            images = new ArrayList<>();
            for (String f : files) {
                ImagePlus imp = ImageFiles.open(Path.of(f));
                imp.setTitle(Path.of(f).getFileName().toString());
                images.add(imp);
            }
        }
        String montage = a.montage;
        ComparisonJob.Request req = new ComparisonJob.Request(dir == null ? null : Path.of(dir), images, scales,
                ComparisonJob.parseMethods(a.methods), channels, maxSide, a.scoring.luminance, dataRange,
                a.spectrum, montage != null, a.montageSide, own);
        ModelCatalog catalog = ModelFolders.catalog(err);
        ConsoleProgress progress = new ConsoleProgress(err, "comparing");
        ComparisonJob.Result res = ComparisonJob.run(req, catalog, w -> err.println("warning: " + w), progress);
        String what = dir != null ? Path.of(dir).getFileName().toString() : files.size() + " image(s)";
        if (own)
            out.printf(Locale.ROOT, "Your images: %s (%s images; centre crops <= %s px of output, no ground truth: each result's consistency with its "
                            + "input, degraded back by antialiased bicubic, gain and offset fitted; %s).%n%n",
                    what, res.images().values().iterator().next(), maxSide == 0 ? "whole" : String.valueOf(maxSide),
                    a.scoring.luminance ? "luminance Y" : channels == 1 ? "luminance Y input" : "all channels");
        else
            out.printf(Locale.ROOT, "Ground truth: %s (%s images; centre crops <= %s px, inputs by antialiased bicubic in the image's type, border = scale, %s).%n%n",
                    what, res.images().values().iterator().next(), maxSide == 0 ? "whole" : String.valueOf(maxSide),
                    a.scoring.luminance ? "luminance Y" : channels == 1 ? "luminance Y input" : "all channels");
        out.print(ComparisonTables.table1(res.rows(), mseUnit(res)));
        if (a.perImage)
            for (int s : scales) {
                out.println();
                out.print(ComparisonTables.perImage(res.perImage(), s));
            }
        if (a.spectrum)
            for (Map.Entry<Integer, Map<String, double[]>> e : res.spectra().entrySet()) {
                out.println();
                out.printf(Locale.ROOT, "Radial power spectra at x%d (mean over images, luminance, log10 power; bins of 1/32 of Nyquist):%n", e.getKey());
                List<String> head = new ArrayList<>(List.of("radius"));
                head.addAll(e.getValue().keySet());
                out.println("| " + String.join(" | ", head) + " |");
                for (int i = 0; i < 32; i++) {
                    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "| %.3f |", (i + 0.5) / 32));
                    for (double[] sp : e.getValue().values()) b.append(String.format(Locale.ROOT, " %.3f |", Math.log10(Math.max(sp[i], 1e-30))));
                    out.println(b);
                }
            }
        String csv = a.scoring.csv;
        if (csv != null) {
            String text = ComparisonTables.csv(res.perImage(), res.rows());
            AtomicFile.write(Path.of(csv), ".csv", tmp -> Files.writeString(tmp, text));
            err.println("wrote " + csv);
        }
        if (montage != null)
            for (Map.Entry<Integer, ImagePlus> e : res.montages().entrySet()) {
                Path p = montagePath(Path.of(montage), e.getKey(), res.montages().size() > 1);
                ImageFiles.save(e.getValue(), p);
                err.println("wrote " + p);
            }
        return 0;
    }

    private static String mseUnit(ComparisonJob.Result res) {
        // 0-255 when every score used that range (8-bit and RGB images)
        boolean all255 = res.perImage().stream().allMatch(s -> s.scores().dataRange() == 255);
        return all255 ? "0-255" : "";
    }

    /** FILE.png, or FILE_x2.png, FILE_x4.png for several scales. */
    static Path montagePath(Path p, int scale, boolean several) {
        if (!several) return p;
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String base = dot > 0 ? n.substring(0, dot) : n, ext = dot > 0 ? n.substring(dot) : ".png";
        return p.resolveSibling(base + "_x" + scale + ext);
    }

    /** --reference REF --test FILE...: scores finished results against a reference, per channel and overall. */
    private int reference(Options a, double dataRange) throws IOException {
        List<String> tests = new ArrayList<>();
        if (a.test != null) tests.add(a.test);
        tests.addAll(a.files);
        if (tests.isEmpty()) throw new Args.UsageException("Name the image(s) to score with --test FILE.");
        int border = a.border;
        Path refPath = Path.of(a.reference);
        ImagePlus ref = ImageFiles.open(refPath);
        ref.setTitle(refPath.getFileName().toString());
        StringBuilder csv = new StringBuilder(ComparisonTables.CSV_HEADER).append('\n');
        out.printf(Locale.ROOT, "Reference: %s (%dx%d), border %d px%n%n", refPath.getFileName(), ref.getWidth(), ref.getHeight(), border);
        out.println("| image | channel | MSE | PSNR (dB) | SSIM |");
        out.println("|---|---|---:|---:|---:|");
        for (String t : tests) {
            Path tp = Path.of(t);
            ImagePlus test = ImageFiles.open(tp);
            test.setTitle(tp.getFileName().toString());
            Scores s = ImageScorer.score(ref, test, border, a.scoring.luminance, dataRange);
            if (s.channels().size() > 1)
                for (Scores.Channel c : s.channels())
                    out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", test.getTitle(), c.name(), Scores.format(c.mse(), 2),
                            Scores.format(c.psnr(), 2), Scores.format(c.ssim(), 4));
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", test.getTitle(), s.channels().size() > 1 ? "mean" : s.channels().get(0).name(),
                    Scores.format(s.mse(), 2), Scores.format(s.psnr(), 2), Scores.format(s.ssim(), 4));
            csv.append(ComparisonTables.csvLine(test.getTitle(), "reference", "", s.mse(), s.psnr(), s.ssim()));
        }
        String file = a.scoring.csv;
        if (file != null) AtomicFile.write(Path.of(file), ".csv", tmp -> Files.writeString(tmp, csv.toString()));
        return 0;
    }
}
