package io.github.superresolve.exchange;

import io.github.superresolve.io.Printable;
import io.github.superresolve.nn.ModelException;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A value of a model description and where it is ({@code inputs[0].axes[1]}), read with its type
 * checked: a value of the wrong type, or missing where one is needed, is one sentence naming the
 * description, the place and what was found, never a cast or null-pointer error.
 *
 * @param value what the YAML holds there (null when absent)
 * @param path  where, in the description's own keys
 * @param label how messages name the description, already escaped
 */
record RdfNode(Object value, String path, String label) {

    static RdfNode root(Map<String, Object> description, String label) {
        return new RdfNode(description, "", label);
    }

    boolean absent() {
        return value == null;
    }

    /** The value under {@code key} of this mapping (absent when this is absent). */
    RdfNode get(String key) {
        Object v = absent() ? null : map().get(key);
        return new RdfNode(v, path.isEmpty() ? key : path + "." + key, label);
    }

    /** Item {@code i} of this list; refused when the list is shorter. */
    RdfNode at(int i) {
        List<Object> l = list();
        if (i >= l.size()) throw new ModelException(label + ": " + path + " has " + l.size() + (l.size() == 1 ? " item" : " items")
                + " where at least " + (i + 1) + " are needed: " + FIX);
        return new RdfNode(l.get(i), path + "[" + i + "]", label);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
        if (value instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw wrong("a mapping");
    }

    @SuppressWarnings("unchecked")
    List<Object> list() {
        if (value instanceof List<?> l) return (List<Object>) l;
        throw wrong("a list");
    }

    String string() {
        if (value instanceof String s) return s;
        throw wrong("a text");
    }

    /** A finite number. */
    double number() {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) return n.doubleValue();
        throw wrong("a number");
    }

    /** A whole number from {@code min} to {@code max}. */
    long whole(long min, long max) {
        if (value instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() == Math.rint(n.doubleValue())
                && n.doubleValue() >= min && n.doubleValue() <= max)
            return (long) n.doubleValue();
        throw wrong(max >= Integer.MAX_VALUE ? "a whole number of " + min + " or more" : "a whole number from " + min + " to " + max);
    }

    /** The sentence for a value that is not what the format puts there. */
    ModelException wrong(String expected) {
        return new ModelException(label + ": " + (path.isEmpty() ? "the description" : path) + " is not " + expected + " (it is " + shown(value) + "): " + FIX);
    }

    /** What to do about a description that breaks the format. */
    static final String FIX = "the package's description does not follow the bioimage.io format; ask its authors for a corrected one.";

    /** A value as a message shows it: short, quoted when text, control characters escaped. */
    static String shown(Object v) {
        if (v == null) return "empty";
        if (v instanceof Map) return "a mapping";
        if (v instanceof List) return "a list";
        if (v instanceof Boolean b) return b ? "true" : "false";
        if (v instanceof Number n) return number(n.doubleValue());
        if (v instanceof String s) return "'" + Printable.escape(s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        return "binary data";
    }

    /** A number as a sentence shows it: whole numbers without a fraction, others to six digits. */
    static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return String.format(Locale.ROOT, "%.6g", d).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e").replaceAll("\\.$", "");
    }
}
