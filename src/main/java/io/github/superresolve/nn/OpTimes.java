package io.github.superresolve.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Wall time per kind of operation, summed over calls while {@link #enabled}: where a training step's
 * time goes ({@code bench --train --profile}). ND4J's CPU ops run synchronously, so the time between
 * an op's call and its return is the op's.
 */
public final class OpTimes {

    private final Map<String, long[]> times = new LinkedHashMap<>();
    private boolean enabled;
    private int steps;

    /** Starts or stops recording. */
    public void enable(boolean on) {
        enabled = on;
    }

    /** Forgets what was recorded. */
    public void reset() {
        times.clear();
        steps = 0;
    }

    /** A start time for {@link #add}, or 0 when not recording. */
    long start() {
        return enabled ? System.nanoTime() : 0;
    }

    /** Adds the time since {@code t0} (from {@link #start}) to {@code label}. */
    void add(String label, long t0) {
        if (!enabled) return;
        long[] t = times.computeIfAbsent(label, k -> new long[2]);
        t[0] += System.nanoTime() - t0;
        t[1]++;
    }

    /** Adds {@code nanos} to {@code label} (for parts timed outside this package). */
    public void record(String label, long nanos) {
        if (!enabled) return;
        long[] t = times.computeIfAbsent(label, k -> new long[2]);
        t[0] += nanos;
        t[1]++;
    }

    /** Counts a step, so that {@link #report} gives times per step. */
    public void countStep() {
        if (enabled) steps++;
    }

    /** Lines "label: ms per step (calls per step)", longest first, with the total. */
    public List<String> report() {
        List<Map.Entry<String, long[]>> e = new ArrayList<>(times.entrySet());
        e.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        int s = Math.max(1, steps);
        long total = 0;
        for (Map.Entry<String, long[]> x : e) total += x.getValue()[0];
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, long[]> x : e)
            lines.add(String.format(Locale.ROOT, "%8.1f ms %5.1f%%  %-44s x%d", x.getValue()[0] / 1e6 / s, 100.0 * x.getValue()[0] / Math.max(1, total),
                    x.getKey(), x.getValue()[1] / s));
        lines.add(String.format(Locale.ROOT, "%8.1f ms         in the ops above, per step (%d steps)", total / 1e6 / s, steps));
        return lines;
    }
}
