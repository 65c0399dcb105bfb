package io.github.superresolve.consistency;

import io.github.superresolve.io.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Consistency rows as CSV: the header {@value #HEADER}, then one line per row. Numbers with 7 significant
 * digits in the root locale (a point as decimal separator); an undefined value (NaN) is an empty field,
 * as in the other CSVs of Super-Resolve; names with commas, quotes or line breaks are quoted (RFC 4180).
 * Files are written atomically ({@link AtomicFile}): a reader sees the old file or the whole new one.
 */
public final class ConsistencyCsv {

    /** The CSV header. */
    public static final String HEADER = "image,channel,slice,frame,rse,rsp,gain,offset";

    private ConsistencyCsv() {
    }

    /** The header line and one line per row, each ending with a newline. */
    public static String format(List<ConsistencyRow> rows) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (ConsistencyRow r : rows) b.append(line(r));
        return b.toString();
    }

    /** One row as a CSV line ending with a newline. */
    public static String line(ConsistencyRow r) {
        return quote(r.image()) + "," + quote(r.channel()) + "," + r.slice() + "," + r.frame() + "," + number(r.rse()) + ","
                + number(r.rsp()) + "," + number(r.gain()) + "," + number(r.offset()) + "\n";
    }

    /** Writes the rows to {@code file} atomically (its folder is created if missing). */
    public static void write(Path file, List<ConsistencyRow> rows) throws IOException {
        String text = format(rows);
        AtomicFile.write(file, ".csv", tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    static String number(double v) {
        if (Double.isNaN(v)) return "";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return "0";
        return String.format(Locale.ROOT, "%.7g", v);
    }

    static String quote(String s) {
        if (s == null) return "";
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
