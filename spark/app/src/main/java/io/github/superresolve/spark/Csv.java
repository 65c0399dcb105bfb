package io.github.superresolve.spark;

import java.util.ArrayList;
import java.util.List;

/** The CSV fields of the report and the failure log: quoted when they hold a comma, quote or line break. */
final class Csv {

    private Csv() {
    }

    static String quote(String s) {
        if (s == null) return "";
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** The fields of one line, quotes undone. */
    static List<String> fields(String line) {
        List<String> f = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    b.append('"');
                    i++;
                } else if (c == '"') quoted = false;
                else b.append(c);
            } else if (c == '"') quoted = true;
            else if (c == ',') {
                f.add(b.toString());
                b.setLength(0);
            } else b.append(c);
        }
        f.add(b.toString());
        return f;
    }
}
