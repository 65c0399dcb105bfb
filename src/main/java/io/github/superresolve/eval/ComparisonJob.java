package io.github.superresolve.eval;

import ij.ImagePlus;
import io.github.superresolve.infer.Progress;
import io.github.superresolve.nn.ModelCatalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A whole comparison as the front ends ask for it (CLI {@code compare}, Fiji's Compare Methods, the
 * macro): ground-truth images from a folder or given one by one, one or several scales, methods by
 * name (or the default set per scale), optional spectra and montages. Front ends only format the
 * result, so the three give the same numbers.
 */
public final class ComparisonJob {

    /**
     * What to compare. {@code methods} empty = bicubic, Lanczos and every matching model per scale.
     * {@code inputsOnly}: the folder or images are the user's own images to super-resolve, not ground
     * truth: only each output's consistency with its input (RSE, RSP) is scored.
     */
    public record Request(Path folder, List<ImagePlus> images, List<Integer> scales, List<String> methods, int channels,
                          int maxSide, boolean luminance, double dataRange, boolean spectra, boolean montage, int montageSide,
                          boolean inputsOnly) {
        public Request {
            if ((folder == null) == (images == null || images.isEmpty()))
                throw new IllegalArgumentException("Give either a folder of ground-truth images or ground-truth images, not " + (folder == null ? "neither" : "both") + ".");
            if (scales.isEmpty()) throw new IllegalArgumentException("No scale was given: give one or more, e.g. 2,4.");
            if (inputsOnly && (spectra || montage))
                throw new IllegalArgumentException("Spectra and montages compare methods with the ground truth: leave them out for your own images.");
        }

        /** A comparison against ground truth. */
        public Request(Path folder, List<ImagePlus> images, List<Integer> scales, List<String> methods, int channels,
                       int maxSide, boolean luminance, double dataRange, boolean spectra, boolean montage, int montageSide) {
            this(folder, images, scales, methods, channels, maxSide, luminance, dataRange, spectra, montage, montageSide, false);
        }
    }

    /** The results: mean rows and per-image scores of every scale, and montages / spectra by scale. */
    public record Result(List<Comparison.Row> rows, List<Comparison.ImageScore> perImage, Map<Integer, ImagePlus> montages,
                         Map<Integer, Map<String, double[]>> spectra, Map<Integer, Integer> images) {
    }

    private ComparisonJob() {
    }

    /** Parses "2", "2,4" or "2 4" into scales from 2 to 16. */
    public static List<Integer> parseScales(String text) {
        List<Integer> out = new ArrayList<>();
        for (String t : (text == null ? "" : text).split("[,\\s]+")) {
            if (t.isBlank()) continue;
            int s;
            try {
                s = Integer.parseInt(t.trim().replaceFirst("^[xX]", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Scale '" + t + "' is not a whole number: give scales like 2 or 2,4.");
            }
            if (s < 2 || s > 16) throw new IllegalArgumentException("Scale " + s + " is not supported: choose scales from 2 to 16.");
            if (!out.contains(s)) out.add(s);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("No scale was given: give one or more, e.g. 2,4.");
        return out;
    }

    /** Splits a comma-separated method list. */
    public static List<String> parseMethods(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) for (String m : text.split(",")) if (!m.isBlank()) out.add(m.trim());
        return out;
    }

    /**
     * Methods whose names (a model's card name) repeat, as for the kept checkpoints of one run
     * ({@code NAME-stepN.zip} all carry the name NAME), are named by what the user gave instead: the file
     * name without its folder and {@code .zip}, or, if that repeats too, the whole text. Without this
     * the later would silently replace the earlier in the table.
     */
    static List<Comparison.Method> distinctNames(List<Comparison.Method> methods, List<String> given) {
        Map<String, Integer> count = new java.util.HashMap<>();
        for (Comparison.Method m : methods) count.merge(m.name(), 1, Integer::sum);
        if (count.values().stream().allMatch(c -> c == 1)) return methods;
        List<String> stems = new ArrayList<>();
        for (String g : given) {
            String f = java.nio.file.Path.of(g).getFileName().toString();
            stems.add(f.toLowerCase(java.util.Locale.ROOT).endsWith(".zip") ? f.substring(0, f.length() - 4) : f);
        }
        List<Comparison.Method> out = new ArrayList<>();
        for (int i = 0; i < methods.size(); i++) {
            Comparison.Method m = methods.get(i);
            if (count.get(m.name()) == 1) {
                out.add(m);
                continue;
            }
            String stem = stems.get(i);
            boolean unique = stems.stream().filter(stem::equals).count() == 1 && !count.containsKey(stem);
            out.add(Comparison.renamed(m, unique ? stem : given.get(i)));
        }
        return out;
    }

    public static Result run(Request r, ModelCatalog catalog, Consumer<String> warn, Progress progress) {
        // resolve named methods once (errors for unknown models or wrong channel counts come first)
        List<Comparison.Method> named = new ArrayList<>();
        for (String n : r.methods()) named.add(Comparison.method(n, catalog, r.channels()));
        named = distinctNames(named, r.methods());
        for (Comparison.Method m : named)
            if (r.scales().stream().noneMatch(m::supports))
                throw new IllegalArgumentException("Method " + m.name() + " cannot upscale by " + join(r.scales())
                        + ": choose scales it supports or leave it out.");
        List<Comparison.Row> rows = new ArrayList<>();
        List<Comparison.ImageScore> perImage = new ArrayList<>();
        Map<Integer, ImagePlus> montages = new LinkedHashMap<>();
        Map<Integer, Map<String, double[]>> spectra = new LinkedHashMap<>();
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        int step = 0, steps = 0;
        List<List<Comparison.Method>> perScale = new ArrayList<>();
        for (int s : r.scales()) {
            List<Comparison.Method> ms = new ArrayList<>();
            if (named.isEmpty()) for (String n : Comparison.defaultMethods(catalog, s, r.channels())) ms.add(Comparison.method(n, catalog, r.channels()));
            else for (Comparison.Method m : named) {
                if (m.supports(s)) ms.add(m);
                else warn.accept("Method " + m.name() + " cannot upscale by " + s + ": left out of the x" + s + " comparison.");
            }
            perScale.add(ms);
            steps += ms.size();
        }
        for (int k = 0; k < r.scales().size(); k++) {
            int s = r.scales().get(k);
            Comparison.Options o = new Comparison.Options(s, r.channels(), r.maxSide(), r.luminance(), r.dataRange());
            Comparison c = r.inputsOnly()
                    ? (r.folder() != null ? Comparison.loadInputs(r.folder(), o, warn) : Comparison.ofInputs(r.images(), o))
                    : (r.folder() != null ? Comparison.load(r.folder(), o, warn) : Comparison.of(r.images(), o));
            if (r.spectra()) c.withSpectra();
            if (r.montage()) c.keepOutputsOf(null);
            counts.put(s, c.size());
            for (Comparison.Method m : perScale.get(k)) {
                rows.add(c.score(m, progress.slice(step++, 1, steps)));
            }
            perImage.addAll(c.perImage());
            if (r.spectra()) spectra.put(s, c.spectra());
            if (r.montage()) montages.put(s, Montage.of(c.entries().get(0).truth(), c.keptOutputs(), r.montageSide()));
        }
        return new Result(rows, perImage, montages, spectra, counts);
    }

    private static String join(List<Integer> scales) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < scales.size(); i++) b.append(i == 0 ? "" : i == scales.size() - 1 ? " or " : ", ").append(scales.get(i));
        return b.toString();
    }
}
