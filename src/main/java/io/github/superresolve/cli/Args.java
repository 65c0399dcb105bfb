package io.github.superresolve.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * Parses a command's arguments into its annotated options object (a class with picocli {@code @Option}
 * and {@code @Parameters} fields, descriptions and defaults, and {@code @Mixin}s for options that several
 * commands share). Picocli gives each command {@code --help} (its part of the usage text and every option
 * with its description and default), a suggestion for a mistyped option, and the specs
 * {@code super-resolve completion} turns into a shell completion script. The spellings the old parser also
 * took are still accepted: a long option with one dash ({@code -model x}), a one-letter option with two
 * ({@code --o DIR}), {@code --key=value}, and a repeated option (the last wins).
 */
final class Args {

    private Args() {
    }

    /**
     * Fills {@code options} from {@code args}.
     *
     * @param command the command's name (its usage section in {@link Main#USAGE})
     * @return {@code options}
     * @throws UsageException a sentence for a malformed command line (exit code 2)
     * @throws HelpRequested  for {@code --help}: the text to print (exit code 0)
     */
    static <T> T parse(String command, String[] args, T options) {
        CommandSpec spec = spec(command, options);
        CommandLine cl = new CommandLine(spec);
        cl.setOverwrittenOptionsAllowed(true); // the last of a repeated option wins
        ParseResult result;
        try {
            result = cl.parseArgs(canonical(args, spec));
        } catch (CommandLine.UnmatchedArgumentException e) {
            String first = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
            List<String> close = e.getSuggestions();
            if (!first.startsWith("-"))
                throw new UsageException("super-resolve " + command + " takes no argument '" + first + "': see 'super-resolve " + command + " --help'.");
            throw new UsageException("Unknown option " + first + (close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close) + "?)")
                    + ": see 'super-resolve " + command + " --help'.");
        } catch (CommandLine.MissingParameterException e) {
            String name = e.getMissing().isEmpty() || !(e.getMissing().get(0) instanceof OptionSpec o) ? "" : o.names()[0] + " ";
            throw new UsageException("Option " + name + "needs a value.");
        } catch (CommandLine.ParameterException e) {
            ArgSpec arg = e.getArgSpec();
            if (arg instanceof OptionSpec o && e.getValue() != null) {
                Class<?> t = o.type();
                if (t == int.class || t == Integer.class || t == long.class || t == Long.class)
                    throw new UsageException(o.longestName() + " must be a whole number, not '" + e.getValue() + "'.");
                if (t == double.class || t == Double.class)
                    throw new UsageException(o.longestName() + " must be a number such as 1e-4, not '" + e.getValue() + "'.");
            }
            throw new UsageException(e.getMessage() + ": see 'super-resolve " + command + " --help'.");
        }
        if (result.isUsageHelpRequested()) throw new HelpRequested(usage(spec));
        return options;
    }

    /**
     * The same arguments with the spellings the old parser also took made canonical: a long option with
     * one dash ({@code -model x}) and a one-letter option with two ({@code --o DIR}).
     */
    private static String[] canonical(String[] args, CommandSpec spec) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            String a = out[i];
            if (a.equals("--")) break;
            if (a.length() < 2 || a.charAt(0) != '-') continue;
            String bare = a.replaceFirst("^--?", ""), value = "";
            int eq = bare.indexOf('=');
            if (eq > 0) {
                value = bare.substring(eq);
                bare = bare.substring(0, eq);
            }
            if (bare.isEmpty()) continue;
            String name = (bare.length() == 1 ? "-" : "--") + bare;
            OptionSpec o = spec.findOption(name);
            if (o == null) continue;
            if (!name.equals(a.substring(0, a.length() - value.length()))) out[i] = name + value;
            if (o.arity().max() > 0 && value.isEmpty()) i++; // its value
        }
        return out;
    }

    /** The picocli spec of a command's annotated options, with its part of the usage text as description. */
    static CommandSpec spec(String command, Object options) {
        CommandSpec spec = CommandSpec.forAnnotatedObject(options);
        spec.name("super-resolve " + command);
        spec.usageMessage().description(Main.section(command).split("\n")).sortOptions(true).width(120).longOptionsMaxWidth(30)
                .descriptionHeading("%n").optionListHeading("%nOptions:%n").parameterListHeading("%nArguments:%n");
        if (spec.findOption("--help") == null)
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this command's help and exit.").build());
        spec.parser().unmatchedOptionsArePositionalParams(false).allowOptionsAsOptionParameters(false)
                .caseInsensitiveEnumValuesAllowed(true);
        return spec;
    }

    static String usage(CommandSpec spec) {
        StringWriter w = new StringWriter();
        new CommandLine(spec).usage(new PrintWriter(w), CommandLine.Help.Ansi.OFF);
        return w.toString();
    }

    /** {@code null} for a blank text, else the text. */
    static String given(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Thrown for a malformed command line; exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** Thrown for {@code COMMAND --help}: the text to print; exit code 0. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested(String usage) {
            super(usage);
        }
    }
}
