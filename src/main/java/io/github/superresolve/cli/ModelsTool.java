package io.github.superresolve.cli;

import io.github.superresolve.io.Printable;
import io.github.superresolve.nn.ModelCatalog;

import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code super-resolve models}: lists models with their cards. A file of a models folder that is not a
 * readable model is named on standard error, once, with why ({@link ModelFolders}); the others are
 * listed and the command succeeds. Cards' text and file names are printed with control characters
 * escaped.
 */
final class ModelsTool {

    /** The command's name (its usage section in {@link Main#USAGE}). */
    static final String COMMAND = "models";

    /** The command's options (also read by {@code super-resolve completion}). */
    @Command(name = "models")
    static final class Options {
        @Option(names = "--json", description = "Print the models and their cards as JSON.")
        boolean json;
    }
    private final PrintStream out, err;

    ModelsTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) {
        Options a = Args.parse(COMMAND, argv, new Options());
        ModelCatalog catalog = ModelFolders.catalog(err);
        if (a.json) {
            StringBuilder b = new StringBuilder("[");
            boolean first = true;
            for (ModelCatalog.Entry e : catalog.entries().values()) {
                if (!first) b.append(",\n");
                first = false;
                b.append(e.card().toJson().trim());
            }
            out.println(b.append("]"));
            return 0;
        }
        if (catalog.entries().isEmpty()) out.println("No trained models installed.");
        for (ModelCatalog.Entry e : catalog.entries().values()) {
            // cards and file names come from other people: their control characters escaped
            out.println(Printable.escape(e.card().summary()));
            out.println("    from " + Printable.escape(e.location()));
            if (!e.card().description().isEmpty()) out.println("    " + Printable.escape(e.card().description()));
            out.println("    license: " + Printable.escape(e.card().license()));
        }
        out.println("bicubic: Keys cubic (a = -0.5), any scale");
        out.println("lanczos: Lanczos-3, any scale");
        return 0;
    }
}
