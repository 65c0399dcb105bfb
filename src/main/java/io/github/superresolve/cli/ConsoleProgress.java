package io.github.superresolve.cli;

import io.github.superresolve.infer.Progress;

import java.io.PrintStream;

/** A progress bar on a terminal; silent when output goes to a file or pipe. */
final class ConsoleProgress implements Progress {

    private final PrintStream err;
    private final String label;
    private final boolean terminal = System.console() != null;
    private int last = -1;

    ConsoleProgress(PrintStream err, String label) {
        this.err = err;
        this.label = label;
    }

    @Override
    public void report(long done, long total) {
        if (!terminal || total <= 0) return;
        int pct = (int) (100 * done / total);
        if (pct == last) return;
        last = pct;
        int bar = pct / 4;
        err.print("\r" + label + " [" + "#".repeat(bar) + " ".repeat(25 - bar) + "] " + pct + "%");
        if (done >= total) err.println();
        err.flush();
    }
}
