package io.github.superresolve.cli;

import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.NativeBackend;
import io.github.superresolve.train.EagerGeneratorTrainer;
import io.github.superresolve.train.GeneratorTrainer;
import io.github.superresolve.train.GeneratorTraining;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code super-resolve bench --train}: times MSE + Adam training steps of a generator on random
 * batches (default 16 targets of 96x96, inputs 96/scale), as the training command runs them, on either
 * engine ({@code --engine eager}, the default: {@link EagerGeneratorTrainer}; {@code --engine samediff}:
 * {@link GeneratorTrainer}'s graph). With {@code --profile} the eager engine also prints where a step's
 * time goes, per kind of op.
 */
final class TrainBench {

    /** The training engines. */
    static final String EAGER = "eager", SAMEDIFF = "samediff";

    private final PrintStream out;

    TrainBench(PrintStream out) {
        this.out = out;
    }

    /** The trainer of that engine: both step and close the same way ({@link GeneratorTraining}). */
    private static GeneratorTraining stepper(String engine, GeneratorConfig config, Map<String, INDArray> params) {
        GeneratorTrainer.AdamSettings adam = GeneratorTrainer.AdamSettings.of(1e-4);
        return engine.equals(SAMEDIFF) ? new GeneratorTrainer(config, params, adam) : new EagerGeneratorTrainer(config, params, adam);
    }

    int run(String name, GeneratorConfig config, Map<String, INDArray> params, int size, int batch, int repeats,
            int warmup, boolean json) {
        return run(name, config, params, size, batch, repeats, warmup, json, EAGER, false);
    }

    int run(String name, GeneratorConfig config, Map<String, INDArray> params, int size, int batch, int repeats,
            int warmup, boolean json, String engine, boolean profile) {
        if (!engine.equals(EAGER) && !engine.equals(SAMEDIFF))
            throw new Args.UsageException("--engine must be eager or samediff, not " + engine + ".");
        if (profile && !engine.equals(EAGER))
            throw new Args.UsageException("--profile times the eager engine's ops: use it with --engine eager.");
        int s = config.scale(), c = config.channels();
        if (size % s != 0)
            throw new Args.UsageException("--size " + size + " is the target patch side: it must be a multiple of the scale " + s + ".");
        int lrSize = size / s;
        Random r = new Random(1);
        float[] lr = new float[batch * c * lrSize * lrSize];
        float[] hr = new float[batch * c * size * size];
        for (int i = 0; i < lr.length; i++) lr[i] = r.nextFloat();
        for (int i = 0; i < hr.length; i++) hr[i] = r.nextFloat();
        double[] t = new double[repeats];
        java.util.List<String> breakdown = java.util.List.of();
        try (GeneratorTraining trainer = stepper(engine, config, params)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < warmup; i++) trainer.step(lr, hr, batch, lrSize, lrSize);
            double warmupSeconds = (System.nanoTime() - t0) / 1e9;
            for (int i = 0; i < repeats; i++) {
                long t1 = System.nanoTime();
                trainer.step(lr, hr, batch, lrSize, lrSize);
                t[i] = (System.nanoTime() - t1) / 1e9;
            }
            if (profile) breakdown = profile(config, params, lr, hr, batch, lrSize, repeats);
            double[] sorted = t.clone();
            Arrays.sort(sorted);
            double median = repeats % 2 == 1 ? sorted[repeats / 2] : (sorted[repeats / 2 - 1] + sorted[repeats / 2]) / 2;
            // forward + backward ~ 3x the forward pass
            double gflops = 3 * config.flops(lrSize, lrSize) * batch / 1e9;
            long peakRss = BenchTool.peakRssBytes();
            String threads = System.getenv("OMP_NUM_THREADS");
            if (json) {
                out.println(String.format(Locale.ROOT,
                        "{\"engine\":\"super-resolve-%s\",\"mode\":\"train\",\"model\":\"%s\",\"architecture\":\"%s\",\"native\":\"%s\","
                                + "\"threads\":%s,\"patch\":%d,\"batch\":%d,\"scale\":%d,\"repeats\":%d,\"median_seconds\":%.4f,"
                                + "\"min_seconds\":%.4f,\"patches_per_second\":%.3f,\"gflop_per_second\":%.2f,\"warmup_seconds\":%.3f,"
                                + "\"peak_rss_mb\":%.1f,\"seconds\":%s}",
                        engine, name, config.describe(), NativeBackend.nativeBuild(), threads == null ? "null" : threads, size, batch, s,
                        repeats, median, sorted[0], batch / median, gflops / median, warmupSeconds, peakRss / 1048576.0,
                        Arrays.toString(Arrays.stream(t).map(x -> Math.round(x * 1e4) / 1e4).toArray())));
            } else {
                out.println("model:        " + name + " (" + config.describe() + ")");
                out.println("backend:      " + NativeBackend.describe());
                out.println("engine:       " + engine + (engine.equals(EAGER) ? " (NHWC oneDNN kernels, native backprop ops)" : " (SameDiff graph)"));
                out.printf(Locale.ROOT, "training:     batch %d of %dx%d targets (inputs %dx%d), MSE + Adam%n", batch, size, size, lrSize, lrSize);
                out.printf(Locale.ROOT, "median step:  %.3f s (min %.3f s, %d steps after %d warm-up taking %.1f s)%n",
                        median, sorted[0], repeats, warmup, warmupSeconds);
                out.printf(Locale.ROOT, "throughput:   %.2f patches/s, ~%.1f GFLOP/s%n", batch / median, gflops / median);
                out.printf(Locale.ROOT, "peak memory:  %.0f MB resident%n", peakRss / 1048576.0);
            }
            if (!breakdown.isEmpty()) {
                PrintStream o = json ? System.err : out;
                o.println("per-op wall time, per step (separate profiled steps; op timing adds little):");
                for (String line : breakdown) o.println("  " + line);
            }
        }
        return 0;
    }

    /** Runs {@code repeats} more eager steps with per-op timing, in a trainer of its own; the report's lines. */
    private static java.util.List<String> profile(GeneratorConfig config, Map<String, INDArray> params, float[] lr, float[] hr,
                                                  int batch, int lrSize, int repeats) {
        try (EagerGeneratorTrainer t = new EagerGeneratorTrainer(config, params, GeneratorTrainer.AdamSettings.of(1e-4))) {
            t.step(lr, hr, batch, lrSize, lrSize); // buffers and oneDNN primitives made outside the timing
            t.opTimes().enable(true);
            long t0 = System.nanoTime();
            for (int i = 0; i < repeats; i++) t.step(lr, hr, batch, lrSize, lrSize);
            double wall = (System.nanoTime() - t0) / 1e9 / repeats;
            java.util.List<String> lines = new java.util.ArrayList<>();
            if (t.workers() > 1)
                lines.add("(ops of worker 1 of " + t.workers() + ", each a single-threaded pass over its share of the batch, in parallel)");
            lines.addAll(t.opTimes().report());
            lines.add(String.format(Locale.ROOT, "%8.1f ms         wall time per profiled step", wall * 1e3));
            return lines;
        }
    }
}
