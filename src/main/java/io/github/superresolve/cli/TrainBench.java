package io.github.superresolve.cli;

import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.NativeBackend;
import io.github.superresolve.train.GeneratorTrainer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code super-resolve bench --train}: times MSE + Adam training steps of a generator on random
 * batches (default 16 targets of 96x96, inputs 96/scale), as the training command runs them.
 */
final class TrainBench {

    private final PrintStream out;

    TrainBench(PrintStream out) {
        this.out = out;
    }

    int run(String name, GeneratorConfig config, Map<String, INDArray> params, int size, int batch, int repeats,
            int warmup, boolean json) {
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
        try (GeneratorTrainer trainer = new GeneratorTrainer(config, params, GeneratorTrainer.AdamSettings.of(1e-4))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < warmup; i++) trainer.step(lr, hr, batch, lrSize, lrSize);
            double warmupSeconds = (System.nanoTime() - t0) / 1e9;
            for (int i = 0; i < repeats; i++) {
                long t1 = System.nanoTime();
                trainer.step(lr, hr, batch, lrSize, lrSize);
                t[i] = (System.nanoTime() - t1) / 1e9;
            }
            double[] sorted = t.clone();
            Arrays.sort(sorted);
            double median = repeats % 2 == 1 ? sorted[repeats / 2] : (sorted[repeats / 2 - 1] + sorted[repeats / 2]) / 2;
            // forward + backward ~ 3x the forward pass
            double gflops = 3 * config.flops(lrSize, lrSize) * batch / 1e9;
            long peakRss = BenchTool.peakRssBytes();
            String threads = System.getenv("OMP_NUM_THREADS");
            if (json) {
                out.println(String.format(Locale.ROOT,
                        "{\"engine\":\"super-resolve-samediff\",\"mode\":\"train\",\"model\":\"%s\",\"architecture\":\"%s\",\"native\":\"%s\","
                                + "\"threads\":%s,\"patch\":%d,\"batch\":%d,\"scale\":%d,\"repeats\":%d,\"median_seconds\":%.4f,"
                                + "\"min_seconds\":%.4f,\"patches_per_second\":%.3f,\"gflop_per_second\":%.2f,\"warmup_seconds\":%.3f,"
                                + "\"peak_rss_mb\":%.1f,\"seconds\":%s}",
                        name, config.describe(), NativeBackend.nativeBuild(), threads == null ? "null" : threads, size, batch, s,
                        repeats, median, sorted[0], batch / median, gflops / median, warmupSeconds, peakRss / 1048576.0,
                        Arrays.toString(Arrays.stream(t).map(x -> Math.round(x * 1e4) / 1e4).toArray())));
            } else {
                out.println("model:        " + name + " (" + config.describe() + ")");
                out.println("backend:      " + NativeBackend.describe());
                out.printf(Locale.ROOT, "training:     batch %d of %dx%d targets (inputs %dx%d), MSE + Adam%n", batch, size, size, lrSize, lrSize);
                out.printf(Locale.ROOT, "median step:  %.3f s (min %.3f s, %d steps after %d warm-up taking %.1f s)%n",
                        median, sorted[0], repeats, warmup, warmupSeconds);
                out.printf(Locale.ROOT, "throughput:   %.2f patches/s, ~%.1f GFLOP/s%n", batch / median, gflops / median);
                out.printf(Locale.ROOT, "peak memory:  %.0f MB resident%n", peakRss / 1048576.0);
            }
        }
        return 0;
    }
}
