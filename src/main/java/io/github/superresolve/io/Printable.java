package io.github.superresolve.io;

/**
 * Text from other people's files and names made safe for a terminal or a log: control characters
 * (which could move the cursor, clear the screen or forge a line of output) are written as escapes
 * such as {@code \n}, {@code \t} or {@code \u001b}. Printable text, including non-ASCII letters, is
 * left as it is.
 */
public final class Printable {

    private Printable() {
    }

    /** {@code s} with every control character (C0, DEL, C1, line and paragraph separators) escaped; null gives "null". */
    public static String escape(Object o) {
        String s = String.valueOf(o);
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isControl(c)) {
                if (b == null) b = new StringBuilder(s.length() + 8).append(s, 0, i);
                switch (c) {
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> b.append(String.format("\\u%04x", (int) c));
                }
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069'); // bidirectional overrides
    }
}
