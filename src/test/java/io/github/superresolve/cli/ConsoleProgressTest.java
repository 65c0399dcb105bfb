package io.github.superresolve.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.*;

/** The console bar: percent and time left on a terminal, nothing at all in a log. */
public class ConsoleProgressTest {

    @Test
    void aTerminalGetsTheBarWithTheTimeLeft() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        long[] now = {0};
        ConsoleProgress p = new ConsoleProgress(new PrintStream(b, true), "a.png", true, () -> now[0]);
        p.report(0, 4);
        now[0] = 2_000_000_000L; // 2 s for the first quarter: 6 s left
        p.report(1, 4);
        p.report(1, 4); // same percent: nothing new
        now[0] = 8_000_000_000L;
        p.report(4, 4);
        String s = b.toString();
        assertTrue(s.contains("\ra.png [                         ] 0%"), s);
        assertTrue(s.contains("\ra.png [######                   ] 25%  6 s left"), s);
        assertEquals(3, s.split("\r", -1).length - 1, "one line per new percent: " + s);
        assertTrue(s.contains("[#########################] 100%") && s.endsWith("\n"), s);
        assertEquals("  3 min left   ", ConsoleProgress.left(1, 5, 45_000_000_000L) + " ");
    }

    @Test
    void aLogGetsNothing() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(b, true), "a.png", false, System::nanoTime);
        p.report(1, 2);
        p.report(2, 2);
        assertEquals("", b.toString());
    }
}
