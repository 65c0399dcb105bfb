package io.github.superresolve.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Per-command help, suggestions for mistyped options, the old spellings, and the completion script. */
public class CliHelpTest {

    @Test
    void everyCommandHasItsHelp() {
        String[][] commands = {{"upscale"}, {"train"}, {"compare"}, {"spectrum"}, {"models"}, {"models", "ship"}, {"bench"}, {"demo"}};
        String[] expected = {"--memory=MEMORY", "--adversarial-weight", "--reference", "--bins", "--json", "--mantissa-bits", "--soak", "--model"};
        for (int i = 0; i < commands.length; i++) {
            String[] args = new String[commands[i].length + 1];
            System.arraycopy(commands[i], 0, args, 0, commands[i].length);
            args[args.length - 1] = "--help";
            MainCliTest.Result r = MainCliTest.run(args);
            String name = String.join(" ", commands[i]);
            assertEquals(0, r.code(), name + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: super-resolve " + name + " "), r.out());
            assertTrue(r.out().contains(expected[i]), name + " lists its options: " + r.out());
            assertTrue(r.out().contains(Main.section(name).split("\n")[0]), name + " shows its part of the usage text");
            assertTrue(Main.section(name).startsWith(name + " ") || Main.section(name).startsWith(name), Main.section(name));
        }
        assertFalse(Main.section("models").contains("ship RUN.zip"), "models' section stops before models ship");
        assertEquals(0, MainCliTest.run("upscale", "-h").code());
        for (String c : new String[]{"imagej", "completion"}) {
            MainCliTest.Result r = MainCliTest.run(c, "--help");
            assertEquals(0, r.code());
            assertTrue(r.out().startsWith("Usage: super-resolve " + c), r.out());
        }
    }

    /** Every option train's usage text names is one the command accepts (a new option once was documented but refused). */
    @Test
    void everyOptionInTrainsUsageIsAccepted() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("--([a-z][a-z-]*)").matcher(Main.section("train"));
        int n = 0;
        while (m.find()) {
            String o = m.group(1);
            assertTrue(TrainTool.VALUED.contains(o) || TrainTool.FLAGS.contains(o) || o.equals("help"), "train's usage names --" + o + ", which it refuses");
            n++;
        }
        assertTrue(n > 20, "found " + n + " options");
        assertTrue(TrainTool.VALUED.contains("adversarial-loss"));
    }

    @Test
    void aMistypedOptionGetsASuggestionAndExitCode2() {
        MainCliTest.Result r = MainCliTest.run("upscale", "in.png", "-o", "out", "--modle", "lanczos");
        assertEquals(2, r.code());
        assertEquals("super-resolve: Unknown option --modle (did you mean --model?): see 'super-resolve upscale --help'.", r.err().strip());
        r = MainCliTest.run("upscale", "in.png", "-o");
        assertEquals(2, r.code());
        assertEquals("super-resolve: Option -o needs a value.", r.err().strip());
        r = MainCliTest.run("bench", "--size", "abc");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--size must be a whole number, not 'abc'"), r.err());
    }

    @Test
    void theOldSpellingsStillWork() {
        // one dash for a long option, two for a one-letter one, --key=value, a repeated option (the last wins)
        for (String[] args : new String[][]{
                {"spectrum", "in-missing.png", "-output", "x"},
                {"spectrum", "in-missing.png", "--o", "x"},
                {"spectrum", "in-missing.png", "--output=x"},
                {"spectrum", "in-missing.png", "-o", "y", "-o", "x"}}) {
            MainCliTest.Result r = MainCliTest.run(args);
            assertNotEquals(2, r.code(), String.join(" ", args) + " parses: " + r.err());
            assertTrue(r.err().contains("in-missing.png"), "reaches the work, which names the missing input: " + r.err());
        }
    }

    @Test
    void completionIsABashScriptForEveryCommandAndOption() {
        MainCliTest.Result r = MainCliTest.run("completion");
        assertEquals(0, r.code(), r.err());
        String s = r.out();
        assertTrue(s.startsWith("#!/usr/bin/env bash"), s.substring(0, Math.min(200, s.length())));
        for (String word : new String[]{"upscale", "train", "compare", "spectrum", "models", "ship", "bench", "demo", "--memory",
                "--adversarial-weight", "--montage-side", "complete -F"})
            assertTrue(s.contains(word), "completion knows " + word);
    }
}
