package io.github.superresolve.hostile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * File names from strangers, with control characters that a terminal obeys (escape sequences that
 * clear the screen or retitle the window, a bell, line breaks that forge a line of output, a
 * right-to-left override that disguises an extension): what the tool prints about them is one line
 * with each control character escaped.
 */
public class NamesFuzzTest {

    @TempDir
    static Path dir;

    static List<HostileCase> cases;

    @BeforeAll
    static void write() throws IOException {
        cases = cases(dir);
    }

    static List<HostileCase> cases() {
        return cases;
    }

    public static List<HostileCase> cases(Path dir) throws IOException {
        String[] names = {"clear\u001b[2J\u001b[H.png", "title\u001b]0;owned\u0007.png", "forged\nsuper-resolve: all good\n.png",
                "carriage\rreturn.tif", "bidi\u202egnp.exe.png", "c1\u009b31m.png"};
        List<HostileCase> l = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            Path folder = Files.createDirectories(dir.resolve("in" + i));
            Path bad = Files.write(folder.resolve(names[i]), "not an image".getBytes());
            Path out = dir.resolve("out" + i);
            String escaped = java.util.regex.Pattern.quote(io.github.superresolve.io.Printable.escape(bad.getFileName()));
            l.add(HostileCase.refused("names", "a damaged image named " + io.github.superresolve.io.Printable.escape(names[i]), escaped,
                    "upscale", folder.toString(), "-o", out.toString(), "--model", "lanczos", "--scale", "2").writing(out));
            l.add(HostileCase.refused("names", "a model file named " + io.github.superresolve.io.Printable.escape(names[i]) + ".zip",
                    java.util.regex.Pattern.quote(io.github.superresolve.io.Printable.escape(names[i])),
                    "upscale", bad.toString(), "-o", out.toString(), "--model", folder.resolve(names[i] + ".zip").toString()).writing(out));
        }
        return l;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void printedEscapedOnOneLine(HostileCase c) throws IOException {
        HostileRun.Measured m = HostileRun.check(c, dir);
        System.out.printf(java.util.Locale.ROOT, "hostile %s | %s | %.2f s | %d MB | %s%n", c.family(), c.name(), m.seconds(),
                m.allocatedBytes() >> 20, m.err().strip());
    }
}
