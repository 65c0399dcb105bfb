package io.github.superresolve.nn;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON of model cards, checkpoints' trainer state and the bench's output, read and written by Jackson
 * (jackson-databind, private to the plugin like every library: Fiji's own Jackson is never seen).
 * Objects become {@link LinkedHashMap}s (keys in the file's order), arrays {@link ArrayList}s, numbers
 * {@link Number}s (Integer, Long, BigInteger or Double).
 *
 * <p>Model cards come from files other people made, so reading is bounded: at most {@link #MAX_DEPTH}
 * nested arrays/objects, numbers of at most 100 digits, strings of at most 1 MB, and no duplicate keys;
 * anything else is one sentence naming the line and column, never a stack trace.
 */
public final class Json {

    /** Deepest nesting of arrays and objects accepted (a model card nests 3 levels). */
    public static final int MAX_DEPTH = 64;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxNumberLength(100)
                    .maxStringLength(1 << 20).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("").withArrayEmptySeparator(""))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
            .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));

    private Json() {
    }

    /** Parses a JSON text; throws {@link IllegalArgumentException} naming the line and column on bad input. */
    public static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IllegalArgumentException("Invalid JSON" + where + ": " + firstSentence(e.getOriginalMessage()) + ".", e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new IllegalArgumentException("Invalid JSON: " + e.getClass().getSimpleName() + ".", e);
        }
    }

    /** Jackson's reason up to its first line break or source excerpt, without a trailing period. */
    private static String firstSentence(String message) {
        if (message == null) return "unreadable";
        String m = message.split("\n", 2)[0].strip();
        int paren = m.indexOf(" (for input String");
        if (paren > 0) m = m.substring(0, paren);
        m = m.replaceAll(", from `[^`]*`", ""); // Jackson's pointers to its own settings
        m = m.replaceAll(" \\(bound as `[^`]*`\\): not allowed as per `[^`]*`", "");
        m = m.replaceAll("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }

    /**
     * Writes a value as indented JSON ending in a line break. Non-finite numbers (not JSON) become
     * {@code null}; values that are not maps, lists, strings, numbers or booleans are written as text.
     */
    public static String write(Object v) {
        try {
            return WRITER.writeValueAsString(plain(v)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean) return v;
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) return null;
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : v;
        }
        if (v instanceof Number) return v;
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), plain(e.getValue()));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(plain(o));
            return out;
        }
        return v.toString();
    }
}
