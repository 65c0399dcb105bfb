package io.github.superresolve.cli;

import io.github.superresolve.infer.Progress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar with the time left on a terminal; silent when output goes to a file or pipe (CI
 * logs, nohup), where a bar's carriage returns would only garble the log. Kept by hand rather than
 * taken from a library (the console-bar libraries, e.g. me.tongfei:progressbar, bring jline, ~1 MB,
 * into every install zip for these few lines).
 */
final class ConsoleProgress implements Progress {

    private final PrintStream err;
    private final String label;
    private final boolean terminal;
    private final java.util.function.LongSupplier clock;
    private long start = -1;
    private int last = -1;

    ConsoleProgress(PrintStream err, String label) {
        this(err, label, System.console() != null, System::nanoTime);
    }

    ConsoleProgress(PrintStream err, String label, boolean terminal, java.util.function.LongSupplier nanoClock) {
        this.err = err;
        this.label = label;
        this.terminal = terminal;
        this.clock = nanoClock;
    }

    @Override
    public void report(long done, long total) {
        if (!terminal || total <= 0) return;
        long now = clock.getAsLong();
        if (start < 0) start = now;
        int pct = (int) (100 * Math.min(done, total) / total);
        if (pct == last) return;
        last = pct;
        int bar = pct / 4;
        err.print("\r" + label + " [" + "#".repeat(bar) + " ".repeat(25 - bar) + "] " + pct + "%" + left(done, total, now - start));
        if (done >= total) err.println();
        err.flush();
    }

    /** "  12 s left" once some work is done, padded so that a shorter text overwrites a longer one. */
    static String left(long done, long total, long elapsedNanos) {
        if (done <= 0 || done >= total) return " ".repeat(14);
        double s = elapsedNanos / 1e9 * (total - done) / done;
        String t = s < 100 ? String.format(Locale.ROOT, "%.0f s left", s) : String.format(Locale.ROOT, "%d min left", Math.round(s / 60));
        return String.format(Locale.ROOT, "  %-12s", t);
    }
}
