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
import java.util.Set;

/**
 * {@code super-resolve compare}: scores bicubic, Lanczos and models on ground-truth images (the
 * project's quality protocol, see {@link Comparison}) at one or several scales, prints the study's
 * Table 1 (methods as columns) and writes the CSV and montages asked for. With {@code --reference}
 * it scores already super-resolved images against a reference instead.
 */
final class CompareTool {

    /** The command's name and options (also read by {@code super-resolve completion}). */
    static final String COMMAND = "compare";
    static final Set<String> VALUED = Set.of("dir", "hr-dir", "hr", "scale", "methods", "channels", "max-side", "csv", "montage",
                "montage-side", "data-range", "reference", "test", "border");
    static final Set<String> FLAGS = Set.of("per-image", "spectrum", "luminance");

    private final PrintStream out, err;

    CompareTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws IOException {
        Args a = new Args(COMMAND, argv, VALUED, FLAGS);
        double dataRange = number(a, "data-range", 0);
        if (a.get("reference", null) != null) return reference(a, dataRange);
        String dir = a.get("hr-dir", "dir", null);
        List<String> files = new ArrayList<>();
        if (a.get("hr", null) != null) files.add(a.get("hr", null));
        files.addAll(a.positional);
        if (dir == null && files.isEmpty())
            throw new Args.UsageException("Name the ground truth: --hr-dir DIR or --hr FILE... (or --reference REF --test FILE to score finished results).");
        if (dir != null && !files.isEmpty()) throw new Args.UsageException("Give either --hr-dir or --hr files, not both.");
        int channels = a.integer("channels", 3), maxSide = a.integer("max-side", 512);
        if (channels != 1 && channels != 3) throw new Args.UsageException("--channels must be 1 or 3.");
        List<Integer> scales;
        try {
            scales = ComparisonJob.parseScales(a.get("scale", "4"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        if (dir != null && !Files.isDirectory(Path.of(dir)))
            throw new IllegalArgumentException("Folder " + dir + " does not exist: give a folder of ground-truth images.");
        List<ImagePlus> images = null;
        if (!files.isEmpty()) {
            images = new ArrayList<>();
            for (String f : files) {
                ImagePlus imp = ImageFiles.open(Path.of(f));
                imp.setTitle(Path.of(f).getFileName().toString());
                images.add(imp);
            }
        }
        String montage = a.get("montage", null);
        ComparisonJob.Request req = new ComparisonJob.Request(dir == null ? null : Path.of(dir), images, scales,
                ComparisonJob.parseMethods(a.get("methods", null)), channels, maxSide, a.flag("luminance"), dataRange,
                a.flag("spectrum"), montage != null, a.integer("montage-side", 160));
        ModelCatalog catalog = ModelFolders.catalog(err);
        ConsoleProgress progress = new ConsoleProgress(err, "comparing");
        ComparisonJob.Result res = ComparisonJob.run(req, catalog, w -> err.println("warning: " + w), progress);
        String what = dir != null ? Path.of(dir).getFileName().toString() : files.size() + " image(s)";
        out.printf(Locale.ROOT, "Ground truth: %s (%s images; centre crops <= %s px, inputs by antialiased bicubic in the image's type, border = scale, %s).%n%n",
                what, res.images().values().iterator().next(), maxSide == 0 ? "whole" : String.valueOf(maxSide),
                a.flag("luminance") ? "luminance Y" : channels == 1 ? "luminance Y input" : "all channels");
        out.print(ComparisonTables.table1(res.rows(), mseUnit(res)));
        if (a.flag("per-image"))
            for (int s : scales) {
                out.println();
                out.print(ComparisonTables.perImage(res.perImage(), s));
            }
        if (a.flag("spectrum"))
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
        String csv = a.get("csv", null);
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
    private int reference(Args a, double dataRange) throws IOException {
        List<String> tests = new ArrayList<>();
        if (a.get("test", null) != null) tests.add(a.get("test", null));
        tests.addAll(a.positional);
        if (tests.isEmpty()) throw new Args.UsageException("Name the image(s) to score with --test FILE.");
        int border = a.integer("border", 0);
        Path refPath = Path.of(a.get("reference", null));
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
            Scores s = ImageScorer.score(ref, test, border, a.flag("luminance"), dataRange);
            if (s.channels().size() > 1)
                for (Scores.Channel c : s.channels())
                    out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", test.getTitle(), c.name(), Scores.format(c.mse(), 2),
                            Scores.format(c.psnr(), 2), Scores.format(c.ssim(), 4));
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", test.getTitle(), s.channels().size() > 1 ? "mean" : s.channels().get(0).name(),
                    Scores.format(s.mse(), 2), Scores.format(s.psnr(), 2), Scores.format(s.ssim(), 4));
            csv.append(ComparisonTables.csvLine(test.getTitle(), "reference", "", s.mse(), s.psnr(), s.ssim()));
        }
        String file = a.get("csv", null);
        if (file != null) AtomicFile.write(Path.of(file), ".csv", tmp -> Files.writeString(tmp, csv.toString()));
        return 0;
    }

    private static double number(Args a, String key, double def) {
        String v = a.get(key, null);
        if (v == null) return def;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--" + key + " must be a number, not '" + v + "'.");
        }
    }
}
