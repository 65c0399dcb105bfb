package io.github.superresolve.cli;

import io.github.superresolve.eval.Comparison;
import io.github.superresolve.nn.ModelCatalog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code super-resolve compare}: scores bicubic, Lanczos and models on a folder of ground-truth images
 * (the project's quality protocol, see {@link Comparison}) and prints a table: rows methods, columns
 * MSE (0-255), PSNR and SSIM.
 */
final class CompareTool {

    private final PrintStream out, err;

    CompareTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws IOException {
        Args a = new Args(argv, 0, Set.of("dir", "scale", "methods", "channels", "max-side", "csv"), Set.of("per-image", "spectrum"));
        String dir = a.get("dir", null);
        if (dir == null) throw new Args.UsageException("Name the folder of ground-truth images with --dir DIR.");
        int scale = a.integer("scale", 4), channels = a.integer("channels", 3), maxSide = a.integer("max-side", 512);
        if (channels != 1 && channels != 3) throw new Args.UsageException("--channels must be 1 or 3.");
        if (!Files.isDirectory(Path.of(dir))) throw new IllegalArgumentException("Folder " + dir + " does not exist.");
        ModelCatalog catalog = ModelCatalog.standard();
        List<String> names = new ArrayList<>();
        String methods = a.get("methods", null);
        if (methods == null) names.addAll(Comparison.defaultMethods(catalog, scale, channels));
        else for (String m : methods.split(",")) if (!m.isBlank()) names.add(m.trim());
        List<Comparison.Method> list = new ArrayList<>();
        for (String n : names) list.add(Comparison.method(n, catalog, scale, channels));
        Comparison c = Comparison.load(Path.of(dir), channels, scale, maxSide, w -> err.println("warning: " + w));
        if (a.flag("spectrum")) c.withSpectra();
        List<Comparison.Row> rows = new ArrayList<>();
        for (Comparison.Method m : list) {
            err.println("scoring " + m.name() + " on " + c.size() + " images...");
            rows.add(c.score(m));
        }
        String data = Path.of(dir).getFileName() + " (" + c.size() + " images, centre crops <= " + maxSide + ", "
                + (channels == 3 ? "RGB" : "luminance Y") + ", border " + scale + " px, inputs by antialiased bicubic)";
        out.print(Comparison.table(rows, scale, data));
        if (a.flag("per-image")) {
            out.println();
            out.printf(Locale.ROOT, "| %-28s |", "image (PSNR dB)");
            for (Comparison.Row r : rows) out.printf(Locale.ROOT, " %12s |", r.method());
            out.println();
            for (Comparison.ImageScores s : c.perImage()) {
                out.printf(Locale.ROOT, "| %-28s |", s.image());
                for (Comparison.Row r : rows) out.printf(Locale.ROOT, " %12.2f |", s.scores().get(r.method())[1]);
                out.println();
            }
        }
        if (a.flag("spectrum")) {
            out.println();
            out.println("Radial power spectra (mean over images, luminance, log10 power; bins of 1/32 of Nyquist):");
            out.printf(Locale.ROOT, "| %-8s |", "radius");
            for (String k : c.spectra().keySet()) out.printf(Locale.ROOT, " %12s |", k.length() > 12 ? k.substring(0, 12) : k);
            out.println();
            for (int i = 0; i < 32; i++) {
                out.printf(Locale.ROOT, "| %8.3f |", (i + 0.5) / 32);
                for (double[] sp : c.spectra().values()) out.printf(Locale.ROOT, " %12.3f |", Math.log10(Math.max(sp[i], 1e-30)));
                out.println();
            }
        }
        String csv = a.get("csv", null);
        if (csv != null) {
            StringBuilder b = new StringBuilder("method,scale,images,mse255,psnr,ssim,hf_power_vs_truth\n");
            for (Comparison.Row r : rows)
                b.append(String.format(Locale.ROOT, "%s,%d,%d,%.4f,%.4f,%.5f,%s%n", r.method(), scale, r.images(), r.mse255(), r.psnr(), r.ssim(),
                        Double.isNaN(r.highFrequency()) ? "" : String.format(Locale.ROOT, "%.4f", r.highFrequency())));
            Files.writeString(Path.of(csv), b.toString());
        }
        return 0;
    }
}
