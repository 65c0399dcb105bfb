package io.github.superresolve.eval;

import io.github.superresolve.metrics.Scores;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Text forms of a comparison's results: the study's Table 1 (methods as columns; MSE, PSNR and SSIM
 * as rows, per scale) as Markdown, and the CSV every front end writes ({@code image,method,scale,mse,
 * psnr,ssim}: one row per image and method, then rows with image {@code mean}). An infinite PSNR
 * (identical images) is written {@code inf}.
 */
public final class ComparisonTables {

    public static final String CSV_HEADER = "image,method,scale,mse,psnr,ssim,rse,rsp,hf";

    private ComparisonTables() {
    }

    /** Table 1: one column per method, rows MSE / PSNR / SSIM (and high-frequency power if measured) per scale. */
    public static String table1(List<Comparison.Row> rows, String mseUnit) {
        Set<String> methods = new LinkedHashSet<>();
        Set<Integer> scales = new TreeSet<>();
        for (Comparison.Row r : rows) {
            methods.add(r.method());
            scales.add(r.scale());
        }
        boolean hf = rows.stream().anyMatch(r -> !Double.isNaN(r.highFrequency()));
        boolean truth = rows.stream().anyMatch(r -> !Double.isNaN(r.mse()));
        boolean consistency = rows.stream().anyMatch(r -> !Double.isNaN(r.rsp()));
        List<String> head = new ArrayList<>(List.of("scale", "metric"));
        head.addAll(methods);
        List<List<String>> body = new ArrayList<>();
        for (int s : scales) {
            if (truth) {
                body.add(line(s, "MSE" + (mseUnit.isEmpty() ? "" : " (" + mseUnit + ")"), methods, rows, r -> Scores.format(r.mse(), 2)));
                body.add(line(s, "PSNR (dB)", methods, rows, r -> Scores.format(r.psnr(), 2)));
                body.add(line(s, "SSIM", methods, rows, r -> Scores.format(r.ssim(), 4)));
            }
            if (hf) body.add(line(s, "HF power vs truth", methods, rows, r -> Scores.format(r.highFrequency(), 3)));
            if (consistency) {
                body.add(line(s, "RSE vs input", methods, rows, r -> Scores.format(r.rse(), 2)));
                body.add(line(s, "RSP vs input", methods, rows, r -> Scores.format(r.rsp(), 4)));
            }
        }
        return markdown(head, body, 2);
    }

    private static List<String> line(int scale, String metric, Set<String> methods, List<Comparison.Row> rows,
                                     java.util.function.Function<Comparison.Row, String> value) {
        List<String> l = new ArrayList<>(List.of("x" + scale, metric));
        for (String m : methods)
            l.add(rows.stream().filter(r -> r.scale() == scale && r.method().equals(m)).findFirst().map(value).orElse("-"));
        return l;
    }

    /** Per-image PSNR table (RSE / RSP for images without ground truth): rows images, columns methods, for one scale. */
    public static String perImage(List<Comparison.ImageScore> scores, int scale) {
        Set<String> methods = new LinkedHashSet<>(), images = new LinkedHashSet<>();
        for (Comparison.ImageScore s : scores) {
            if (s.scale() != scale) continue;
            methods.add(s.method());
            images.add(s.image());
        }
        boolean truth = scores.stream().anyMatch(s -> s.scale() == scale && !Double.isNaN(s.scores().psnr()));
        List<String> head = new ArrayList<>(List.of("image (x" + scale + (truth ? ", PSNR dB / SSIM)" : ", RSE / RSP vs input)")));
        head.addAll(methods);
        List<List<String>> body = new ArrayList<>();
        for (String img : images) {
            List<String> l = new ArrayList<>(List.of(img));
            for (String m : methods)
                l.add(scores.stream().filter(s -> s.scale() == scale && s.image().equals(img) && s.method().equals(m)).findFirst()
                        .map(s -> truth ? Scores.format(s.scores().psnr(), 2) + " / " + Scores.format(s.scores().ssim(), 4)
                                : Scores.format(s.rse(), 2) + " / " + Scores.format(s.rsp(), 4)).orElse("-"));
            body.add(l);
        }
        return markdown(head, body, 1);
    }

    /** The CSV: per-image rows, then mean rows; {@code hf} (the fine-detail measure of {@code --spectrum}) is a
     *  property of the set's mean spectrum, so only mean rows carry it. */
    public static String csv(List<Comparison.ImageScore> scores, List<Comparison.Row> rows) {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (Comparison.ImageScore s : scores)
            b.append(csvLine(s.image(), s.method(), String.valueOf(s.scale()), s.scores().mse(), s.scores().psnr(), s.scores().ssim(),
                    s.rse(), s.rsp()));
        for (Comparison.Row r : rows)
            b.append(csvLine("mean", r.method(), String.valueOf(r.scale()), r.mse(), r.psnr(), r.ssim(), r.rse(), r.rsp(), r.highFrequency()));
        return b.toString();
    }

    /** One CSV row without consistency figures ({@code scale} may be empty, e.g. for finished results scored against a reference). */
    public static String csvLine(String image, String method, String scale, double mse, double psnr, double ssim) {
        return csvLine(image, method, scale, mse, psnr, ssim, Double.NaN, Double.NaN);
    }

    /** One CSV row without the fine-detail measure. */
    public static String csvLine(String image, String method, String scale, double mse, double psnr, double ssim, double rse, double rsp) {
        return csvLine(image, method, scale, mse, psnr, ssim, rse, rsp, Double.NaN);
    }

    /** One CSV row; NaN values (no ground truth, no input to check against, no spectrum) are empty fields. */
    public static String csvLine(String image, String method, String scale, double mse, double psnr, double ssim, double rse, double rsp,
                                 double hf) {
        return quote(image) + "," + quote(method) + "," + scale + "," + Scores.format(mse, 4) + "," + Scores.format(psnr, 4) + ","
                + Scores.format(ssim, 6) + "," + Scores.format(rse, 4) + "," + Scores.format(rsp, 6) + "," + Scores.format(hf, 4) + "\n";
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** A Markdown table: the first {@code labels} columns left-aligned, the values right-aligned. */
    static String markdown(List<String> head, List<List<String>> body, int labels) {
        int[] width = new int[head.size()];
        for (int i = 0; i < head.size(); i++) width[i] = head.get(i).length();
        for (List<String> l : body) for (int i = 0; i < l.size(); i++) width[i] = Math.max(width[i], l.get(i).length());
        StringBuilder b = new StringBuilder();
        row(b, head, width, labels);
        b.append('|');
        for (int w : width) b.append("-".repeat(w + 2)).append('|');
        b.append('\n');
        for (List<String> l : body) row(b, l, width, labels);
        return b.toString();
    }

    private static void row(StringBuilder b, List<String> cells, int[] width, int labels) {
        b.append('|');
        for (int i = 0; i < cells.size(); i++)
            b.append(' ').append(String.format(Locale.ROOT, i < labels ? "%-" + width[i] + "s" : "%" + width[i] + "s", cells.get(i))).append(" |");
        b.append('\n');
    }
}
