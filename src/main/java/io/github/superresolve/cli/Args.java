package io.github.superresolve.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line arguments: positionals, {@code --key value} options and {@code --flag}s. */
final class Args {

    final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    /**
     * @param valued options that take a value (without the leading dashes; short aliases like "o" too)
     * @param flags  options without value
     */
    Args(String[] args, int from, Set<String> valued, Set<String> flags) {
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-") && a.length() > 1 && !isNumber(a)) {
                String key = a.replaceFirst("^--?", "");
                String value = null;
                int eq = key.indexOf('=');
                if (eq > 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                }
                if (valued.contains(key)) {
                    if (value == null) {
                        if (i + 1 >= args.length) throw new UsageException("Option " + a + " needs a value.");
                        value = args[++i];
                    }
                    options.put(key, value);
                } else if (flags.contains(key)) {
                    options.put(key, "true");
                } else {
                    throw new UsageException("Unknown option " + a + ": see 'super-resolve help'.");
                }
            } else {
                positional.add(a);
            }
        }
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    String get(String key, String def) {
        return options.getOrDefault(key, def);
    }

    String get(String key, String alias, String def) {
        return options.getOrDefault(key, options.getOrDefault(alias, def));
    }

    boolean flag(String key) {
        return options.containsKey(key);
    }

    int integer(String key, int def) {
        String v = options.get(key);
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
}
