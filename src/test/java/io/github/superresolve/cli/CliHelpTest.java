package io.github.superresolve.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Per-command help, suggestions for mistyped options, the old spellings, and the completion script. */
public class CliHelpTest {

    @Test
    void everyCommandHasItsHelp() {
        String[][] commands = {{"upscale"}, {"train"}, {"compare"}, {"spectrum"}, {"models"}, {"models", "ship"}, {"bench"}, {"demo"}};
        String[] expected = {"--memory=SIZE|auto", "--adversarial-weight", "--reference", "--bins", "--json", "--mantissa-bits", "--soak", "--model"};
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
        picocli.CommandLine.Model.CommandSpec spec = Args.spec("train", new TrainTool.Options());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("--([a-z][a-z-]*)").matcher(Main.section("train"));
        int n = 0;
        while (m.find()) {
            String o = m.group(1);
            assertNotNull(spec.findOption("--" + o), "train's usage names --" + o + ", which it refuses");
            n++;
        }
        assertTrue(n >= 10, "found " + n + " options");
        assertNotNull(spec.findOption("--adversarial-loss"));
    }

    /** --skip-flat-patches alone turns the crop filter on, =false off, and absent leaves it to a resumed run's own (null). */
    @Test
    void skipFlatPatchesIsOnOffOrTheRunsOwn() {
        java.util.function.Function<String[], Boolean> parse = extra -> {
            TrainTool.Options o = new TrainTool.Options();
            String[] base = {"--hr-dir", "hr", "--out", "m.zip"};
            String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
            System.arraycopy(extra, 0, all, base.length, extra.length);
            new picocli.CommandLine(Args.spec("train", o)).parseArgs(all);
            return o.build().data().skipFlat();
        };
        assertEquals(Boolean.TRUE, parse.apply(new String[]{"--skip-flat-patches"}));
        assertEquals(Boolean.FALSE, parse.apply(new String[]{"--skip-flat-patches=false"}));
        assertNull(parse.apply(new String[]{}));
    }

    /** Every option of every command has a description, and one with a default says it (the finding: options without text). */
    @Test
    void everyOptionOfEveryCommandIsDescribed() {
        Object[][] commands = {{"upscale", new UpscaleTool.Options()}, {"train", new TrainTool.Options()}, {"compare", new CompareTool.Options()},
                {"spectrum", new SpectrumTool.Options()}, {"models", new ModelsTool.Options()}, {"models ship", new ShipTool.Options()},
                {"export", new ExportTool.Options()}, {"bench", new BenchTool.Options()}, {"demo", new DemoTool.Options()}};
        int options = 0;
        for (Object[] c : commands) {
            picocli.CommandLine.Model.CommandSpec spec = Args.spec((String) c[0], c[1]);
            for (picocli.CommandLine.Model.OptionSpec o : spec.options()) {
                String text = String.join(" ", o.description());
                assertTrue(text.length() > 15, c[0] + " " + o.longestName() + " has a description: '" + text + "'");
                if (o.defaultValue() != null)
                    assertTrue(text.contains("Default"), c[0] + " " + o.longestName() + " says its default " + o.defaultValue());
                options++;
            }
            String help = Args.usage(spec);
            assertFalse(help.contains("=VALUE"), c[0] + ": every value has a label: " + help);
            if (!c[0].equals("upscale") && !c[0].equals("compare") && !c[0].equals("spectrum"))
                assertFalse(help.contains("[IN..."), c[0] + " takes no list of inputs: " + help);
        }
        assertTrue(options > 80, options + " options");
        // -o and --out are one option of train, not two
        String train = MainCliTest.run("train", "--help").out();
        assertTrue(train.contains("-o, --out=FILE.zip"), train);
    }

    /** A value picocli cannot convert is named with the option, as before. */
    @Test
    void badValuesAreNamedWithTheirOption() {
        MainCliTest.Result r = MainCliTest.run("train", "--hr-dir", "x", "--out", "y.zip", "--lr", "fast");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--lr must be a number such as 1e-4, not 'fast'"), r.err());
        r = MainCliTest.run("train", "--hr-dir", "x", "--out", "y.zip", "--discriminator-filter", "highpass", "--conditional", "--method", "srgan");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("The highpass discriminator has no conditional form"), r.err());
        r = MainCliTest.run("models", "extra");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("takes no argument 'extra'"), r.err());
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
