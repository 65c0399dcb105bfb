package io.github.superresolve.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The terminal streams escape every control character but line feed, carriage return and tab; letters pass as they are. */
public class SafeTerminalTest {

    private static String through(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(new SafeTerminal(b), true, StandardCharsets.UTF_8)) {
            p.print(s);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void controlsAreEscapedTextIsNot() {
        assertEquals("a\\u001b[2Jb\\u0007c\\u007f", through("a\u001b[2Jb\u0007c\u007f"));
        assertEquals("line\nnext\r[####]\ttab", through("line\nnext\r[####]\ttab"));
        assertEquals("Zürich 東京 ±½ é", through("Zürich 東京 ±½ é"));
        assertEquals("c1 \\u009b31m", through("c1 \u009b31m"));
        assertEquals("\u00a0nbsp \u00c2", through("\u00a0nbsp \u00c2"));
    }
}
