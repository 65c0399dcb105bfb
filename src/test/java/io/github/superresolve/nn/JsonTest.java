package io.github.superresolve.nn;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The model cards' JSON: what Python's {@code json} module writes is read, what is written reads back,
 * and damaged text is one sentence naming where.
 */
public class JsonTest {

    @Test
    void readsEveryKindOfValue() {
        Object v = Json.parse(" {\"name\": \"srresnet-x4\", \"scale\": 4, \"lr\": 2.5e-4, \"neg\": -0.5, \"ok\": true, "
                + "\"no\": false, \"none\": null, \"list\": [1, [2, 3], {}], \"empty\": [], \"nested\": {\"a\": {\"b\": \"c\"}}}\n");
        Map<?, ?> m = assertInstanceOf(Map.class, v);
        assertEquals(List.of("name", "scale", "lr", "neg", "ok", "no", "none", "list", "empty", "nested"), new ArrayList<>(m.keySet()),
                "keys in the file's order");
        assertEquals("srresnet-x4", m.get("name"));
        assertEquals(4, ((Number) m.get("scale")).intValue());
        assertEquals(4.0, ((Number) m.get("scale")).doubleValue());
        assertEquals(2.5e-4, ((Number) m.get("lr")).doubleValue());
        assertEquals(-0.5, ((Number) m.get("neg")).doubleValue());
        assertEquals(Boolean.TRUE, m.get("ok"));
        assertEquals(Boolean.FALSE, m.get("no"));
        assertTrue(m.containsKey("none"));
        assertNull(m.get("none"));
        assertEquals(Arrays.asList(1, Arrays.asList(2, 3), Map.of()), m.get("list"));
        assertEquals(List.of(), m.get("empty"));
        assertEquals(Map.of("a", Map.of("b", "c")), m.get("nested"));
    }

    @Test
    void stringsUnescapeAsPythonWritesThem() {
        // json.dumps("a\"b\\c\n\t\r\b\f/é€") in Python (ensure_ascii) and a solidus escape
        assertEquals("a\"b\\c\n\t\r\b\f/\u00e9\u20ac", Json.parse("\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\/\\u00e9\\u20ac\""));
        assertEquals("é€ µm", Json.parse("\"é€ µm\""));
    }

    @Test
    void writtenValuesReadBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "line1\nline2 \"quoted\" back\\slash \u0001 tab\t");
        m.put("int", 16);
        m.put("long", 123456789012L);
        m.put("real", 0.1);
        m.put("small", 1e-20);
        m.put("bool", true);
        m.put("null", null);
        m.put("list", List.of(1, "two", List.of(), Map.of()));
        m.put("map", Map.of("k", List.of(3.5)));
        String text = Json.write(m);
        Object back = Json.parse(text);
        assertEquals(m, back);
        assertTrue(text.contains("\"int\": 16,"), "whole numbers without a fraction: " + text);
        assertTrue(text.contains("\\u0001"), text);
        assertTrue(text.endsWith("}\n"));
        // NaN and infinity are not JSON: written as null
        assertEquals("null\n", Json.write(Double.NaN));
        assertEquals("null\n", Json.write(Double.POSITIVE_INFINITY));
        assertEquals("{}\n", Json.write(Map.of()));
        assertEquals("\"x\"\n", Json.write(new StringBuilder("x")));
        assertEquals("1.0E15\n", Json.write(1e15));
        assertEquals("16\n", Json.write(16.0), "whole doubles without a fraction, as cards were written before");
    }

    @Test
    void badTextIsRefusedNamingLineAndColumn() {
        for (String bad : new String[]{"{\"a\": 1", "{\"a\" 1}", "{a: 1}", "[1 2]", "[1,", "{\"a\": 1 \"b\": 2}", "\"abc",
                "\"ab\\", "\"\\u12\"", "tru", "nul", "fals", "1 2", "@", "1.2.3", "", "[1]]", "{\"a\": 1, \"a\": 2}",
                "NaN", "[" + "1".repeat(200) + "]"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            String m = e.getMessage();
            assertTrue(m.startsWith("Invalid JSON"), bad + " -> " + m);
            assertTrue(m.endsWith(".") && !m.contains("\n") && m.length() < 300, "one sentence: " + m);
        }
        String m = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\n  \"a\": [1,\n  2 3]\n}")).getMessage();
        assertTrue(m.contains("line 3, column"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1, \"a\": 2}")).getMessage();
        assertTrue(m.contains("Duplicate field 'a'"), m);
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        String m = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep)).getMessage();
        assertTrue(m.startsWith("Invalid JSON") && m.contains("nesting depth (65) exceeds the maximum allowed (64)"), m);
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertInstanceOf(List.class, Json.parse(ok));
    }
}
