package io.github.superresolve.nn;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The model cards' JSON: what Python's {@code json} module writes is read, what is written reads back. */
public class JsonTest {

    @Test
    void readsEveryKindOfValue() {
        Object v = Json.parse(" {\"name\": \"srresnet-x4\", \"scale\": 4, \"lr\": 2.5e-4, \"neg\": -0.5, \"ok\": true, "
                + "\"no\": false, \"none\": null, \"list\": [1, [2, 3], {}], \"empty\": [], \"nested\": {\"a\": {\"b\": \"c\"}}}\n");
        Map<?, ?> m = assertInstanceOf(Map.class, v);
        assertEquals(List.of("name", "scale", "lr", "neg", "ok", "no", "none", "list", "empty", "nested"), new ArrayList<>(m.keySet()),
                "keys in the file's order");
        assertEquals("srresnet-x4", m.get("name"));
        assertEquals(4.0, m.get("scale"));
        assertEquals(2.5e-4, m.get("lr"));
        assertEquals(-0.5, m.get("neg"));
        assertEquals(Boolean.TRUE, m.get("ok"));
        assertEquals(Boolean.FALSE, m.get("no"));
        assertTrue(m.containsKey("none"));
        assertNull(m.get("none"));
        assertEquals(Arrays.asList(1.0, Arrays.asList(2.0, 3.0), Map.of()), m.get("list"));
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
        Map<String, Object> expected = new LinkedHashMap<>(m);
        expected.put("int", 16.0);
        expected.put("long", 123456789012.0);
        expected.put("list", Arrays.asList(1.0, "two", List.of(), Map.of()));
        assertEquals(expected, back);
        assertTrue(text.contains("\"int\": 16,"), "whole numbers without a fraction: " + text);
        assertTrue(text.contains("\\u0001"), text);
        assertTrue(text.endsWith("}\n"));
        // NaN and infinity are not JSON: written as null
        assertEquals("null\n", Json.write(Double.NaN));
        assertEquals("null\n", Json.write(Double.POSITIVE_INFINITY));
        assertEquals("{}\n", Json.write(Map.of()));
        assertEquals("\"x\"\n", Json.write(new StringBuilder("x")));
        assertEquals("1.0E15\n", Json.write(1e15));
    }

    @Test
    void badTextIsRefusedNamingThePosition() {
        assertError("{\"a\": 1", "character 7", "unexpected end in object");
        assertError("{\"a\" 1}", "character 5", "expected ':'");
        assertError("{a: 1}", "character 1", "expected a key");
        assertError("[1 2]", "character 4", "expected ',' or ']'");
        assertError("[1,", "character 3", "unexpected end");
        assertError("{\"a\": 1 \"b\": 2}", "character 9", "expected ',' or '}'");
        assertError("\"abc", "character 4", "unterminated string");
        assertError("\"ab\\", "character 4", "unterminated escape");
        assertError("\"\\u12\"", "bad unicode escape", "");
        assertError("tru", "character 0", "expected true");
        assertError("nul", "", "expected null");
        assertError("fals", "", "expected false");
        assertError("1 2", "character 2", "unexpected text after the value");
        assertError("@", "character 0", "unexpected character '@'");
        assertError("1.2.3", "", "bad number");
        assertError("", "", "unexpected end");
        assertError("[1]]", "character 3", "after the value");
    }

    private static void assertError(String text, String where, String what) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text), text);
        assertTrue(e.getMessage().startsWith("Invalid JSON at ") && e.getMessage().contains(where) && e.getMessage().contains(what),
                text + " -> " + e.getMessage());
    }
}
