package io.github.superresolve.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A command's arguments, parsed by picocli from the command's option names: positionals,
 * {@code --key value} (or {@code --key=value}, or a single dash) options and {@code --flag}s. Picocli
 * gives each command {@code --help} (its part of the usage text and its options), a suggestion for a
 * mistyped option, and the specs {@code super-resolve completion} turns into a shell completion script.
 * The tools keep reading their options by name, so every command line that worked before still does.
 */
final class Args {

    final List<String> positional = new ArrayList<>();
    private final ParseResult result;
    private final CommandSpec spec;

    /**
     * @param command the command's name (its usage section in {@link Main#USAGE})
     * @param valued  options that take a value (without the leading dashes; short aliases like "o" too)
     * @param flags   options without value
     */
    Args(String command, String[] args, Set<String> valued, Set<String> flags) {
        spec = spec(command, valued, flags);
        CommandLine cl = new CommandLine(spec);
        cl.setOverwrittenOptionsAllowed(true); // the last of a repeated option wins
        try {
            result = cl.parseArgs(canonical(args, spec));
        } catch (CommandLine.UnmatchedArgumentException e) {
            String first = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
            List<String> close = e.getSuggestions();
            throw new UsageException("Unknown option " + first + (close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close) + "?)")
                    + ": see 'super-resolve " + command + " --help'.");
        } catch (CommandLine.MissingParameterException e) {
            String name = e.getMissing().isEmpty() || !(e.getMissing().get(0) instanceof OptionSpec o) ? "" : o.names()[0] + " ";
            throw new UsageException("Option " + name + "needs a value.");
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(e.getMessage() + ": see 'super-resolve " + command + " --help'.");
        }
        if (result.isUsageHelpRequested()) throw new HelpRequested(usage(spec));
        positional.addAll(java.util.Arrays.asList(result.matchedPositionalValue(0, new String[0])));
    }

    /**
     * The same arguments with the spellings the old parser also took made canonical: a long option with
     * one dash ({@code -model x}) and a one-letter option with two ({@code --o DIR}).
     */
    private static String[] canonical(String[] args, CommandSpec spec) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            String a = out[i];
            if (a.length() < 2 || a.charAt(0) != '-') continue;
            String bare = a.replaceFirst("^--?", ""), value = "";
            int eq = bare.indexOf('=');
            if (eq > 0) {
                value = bare.substring(eq);
                bare = bare.substring(0, eq);
            }
            if (bare.isEmpty()) continue;
            String name = (bare.length() == 1 ? "-" : "--") + bare;
            if (!name.equals(a.substring(0, a.length() - value.length())) && spec.findOption(name) != null) out[i] = name + value;
            if (spec.findOption(name) != null && spec.findOption(name).arity().max() > 0 && value.isEmpty()) i++; // its value
        }
        return out;
    }

    /** The picocli spec of a command: each option by its long name (a one-letter alias by its short one). */
    static CommandSpec spec(String command, Set<String> valued, Set<String> flags) {
        CommandSpec spec = CommandSpec.create().name("super-resolve " + command);
        spec.usageMessage().description(Main.section(command).split("\n")).sortOptions(true).width(120).longOptionsMaxWidth(34)
                .descriptionHeading("%n").optionListHeading("%nOptions:%n");
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this command's help and exit.").build());
        for (String k : new TreeSet<>(valued))
            spec.addOption(OptionSpec.builder(names(k)).arity("1").paramLabel(label(k)).type(String.class).build());
        for (String k : new TreeSet<>(flags))
            spec.addOption(OptionSpec.builder(names(k)).arity("0").type(boolean.class).build());
        spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("0..*").paramLabel(command.equals("models ship") ? "RUN" : "IN")
                .type(String[].class)
                .auxiliaryTypes(String.class).build());
        spec.parser().unmatchedOptionsArePositionalParams(false).allowOptionsAsOptionParameters(false)
                .caseInsensitiveEnumValuesAllowed(true);
        return spec;
    }

    private static String[] names(String k) {
        return new String[]{(k.length() == 1 ? "-" : "--") + k};
    }

    private static String label(String k) {
        return k.length() == 1 ? "VALUE" : k.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    static String usage(CommandSpec spec) {
        StringWriter w = new StringWriter();
        new CommandLine(spec).usage(new PrintWriter(w), CommandLine.Help.Ansi.OFF);
        return w.toString();
    }

    private OptionSpec option(String key) {
        return spec.findOption(key.length() == 1 ? "-" + key : "--" + key);
    }

    String get(String key, String def) {
        OptionSpec o = option(key);
        if (o == null || !result.hasMatchedOption(o)) return def;
        return result.matchedOptionValue(o.longestName(), def);
    }

    String get(String key, String alias, String def) {
        String v = get(key, null);
        return v != null ? v : get(alias, def);
    }

    boolean flag(String key) {
        OptionSpec o = option(key);
        return o != null && result.hasMatchedOption(o);
    }

    int integer(String key, int def) {
        String v = get(key, null);
        if (v == null) return def;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " must be a whole number, not '" + v + "'.");
        }
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
