package io.github.superresolve.hostile;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One file from a stranger and the command line that meets it: {@code args} are
 * {@code super-resolve}'s arguments, run in this JVM by {@link HostileRun}. A case either ends in a
 * refusal (exit code {@code exit}, one sentence on standard error matching {@code sentence}) or in a
 * correct result (exit 0; {@code sentence} then matches standard output, or is null).
 *
 * @param family   what kind of file: "zip", "model", "npy", "yaml", "package", "onnx", "tiff", "png", "export"...
 * @param name     what is wrong with it, in a few words
 * @param args     the command line
 * @param exit     the exit code expected
 * @param sentence what the user must be told (a regular expression, searched in the output), or null
 * @param output   the only folder (or file) the command may create or change, or null for none
 * @param properties system properties the command runs with (e.g. {@code superresolve.models}, the
 *                 models folders), set for the run in this JVM and given as {@code -D} to a separate one
 */
public record HostileCase(String family, String name, List<String> args, int exit, Pattern sentence, Path output,
                          java.util.Map<String, String> properties) {

    public HostileCase(String family, String name, List<String> args, int exit, Pattern sentence, Path output) {
        this(family, name, args, exit, sentence, output, java.util.Map.of());
    }

    /** The same case, run with that system property. */
    public HostileCase with(String property, String value) {
        java.util.Map<String, String> p = new java.util.LinkedHashMap<>(properties);
        p.put(property, value);
        return new HostileCase(family, name, args, exit, sentence, output, java.util.Map.copyOf(p));
    }

    /** A case refused with exit code 1 and a sentence matching {@code regex}. */
    public static HostileCase refused(String family, String name, String regex, String... args) {
        return new HostileCase(family, name, List.of(args), 1, Pattern.compile(regex), null);
    }

    /** The same case, allowed to write into {@code output}. */
    public HostileCase writing(Path output) {
        return new HostileCase(family, name, args, exit, sentence, output, properties);
    }

    /** The same case, expected to end with that exit code. */
    public HostileCase exit(int code) {
        return new HostileCase(family, name, args, code, sentence, output, properties);
    }

    @Override
    public String toString() {
        return family + ": " + name;
    }
}
