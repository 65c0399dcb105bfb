package io.github.superresolve.cli;

import io.github.superresolve.nn.Generator;
import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.Json;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.nn.NativeBackend;
import io.github.superresolve.nn.SrResNet;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code super-resolve bench}: times the forward pass of a generator on a 1 x C x N x N input. The
 * model is a trained model, or an architecture preset with random weights (speed does not depend on
 * the weights): {@code srresnet-BLOCKSxWIDTH-xSCALE[-gray][-bn]}, e.g. {@code srresnet-16x64-x4}
 * (the study's size; -bn adds batch-norm, which is folded away at inference; -fast is the fast-learning
 * recipe: residual scaling 0.1 and a bicubic skip). With {@code --train} it times training steps instead
 * (batch 16 of 96x96 targets by default; {@code --engine eager|samediff}, {@code --profile}), see {@link TrainBench}. With {@code --soak N} it runs N
 * super-resolutions in one JVM as a Fiji user would and prints memory after each, see {@link SoakBench}.
 */
final class BenchTool {

    /** The command's name (its usage section in {@link Main#USAGE}). */
    static final String COMMAND = "bench";

    /** The command's options (also read by {@code super-resolve completion}). */
    @Command(name = "bench")
    static final class Options {
        @Option(names = "--model", paramLabel = "MODEL", defaultValue = "srresnet-16x64-x4", description = {
                "A model name or file, or an untrained architecture srresnet-BLOCKSxWIDTH-xSCALE[-gray][-bn][-deconv][-fast].",
                "Default: ${DEFAULT-VALUE}."})
        String model;

        @Option(names = "--size", paramLabel = "N", description = "Input side (4-4096). Default: 128, or 96 with --train.")
        Integer size;

        @Option(names = "--repeats", paramLabel = "N", description = "Timed runs; the median is reported. Default: 7, or 5 with --train.")
        Integer repeats;

        @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "Untimed runs first. Default: ${DEFAULT-VALUE}.")
        int warmup;

        @Option(names = "--batch", paramLabel = "N", description = "Images per run. Default: 1, or 16 with --train.")
        Integer batch;

        @Option(names = "--json", description = "Print the figures as one JSON object.")
        boolean json;

        @Option(names = "--train", description = "Time training steps (pixel MSE, Adam) instead of forward passes.")
        boolean train;

        @Option(names = "--engine", paramLabel = "eager|samediff", defaultValue = "eager", description = "With --train: the training engine. Default: ${DEFAULT-VALUE}.")
        String engine;

        @Option(names = "--profile", description = "With --train on the eager engine: also the step's time per op.")
        boolean profile;

        @Option(names = "--soak", paramLabel = "N", description = "Instead: N super-resolutions in one JVM mixing models, scales and image types; resident memory after each.")
        Integer soak;
    }

    private static final Pattern PRESET = Pattern.compile("srresnet-(\\d+)x(\\d+)-x(\\d+)((?:-gray|-bn|-deconv|-fast)*)");

    private final PrintStream out, err;

    BenchTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) {
        Options a = Args.parse(COMMAND, argv, new Options());
        if (a.soak != null) {
            int runs = a.soak;
            if (runs < 1) throw new Args.UsageException("--soak must be at least 1 run.");
            try {
                return new SoakBench(out).run(runs);
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        boolean train = a.train;
        String name = a.model;
        int size = a.size != null ? a.size : train ? 96 : 128, repeats = a.repeats != null ? a.repeats : train ? 5 : 7,
                warmup = a.warmup, batch = a.batch != null ? a.batch : train ? 16 : 1;
        if (size < 4 || size > 4096) throw new Args.UsageException("--size must be 4..4096, not " + size + ".");
        if (repeats < 1) throw new Args.UsageException("--repeats must be at least 1.");
        NativeBackend.init();
        GeneratorConfig config;
        Generator generator;
        Matcher m = PRESET.matcher(name);
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> params;
        if (m.matches()) {
            String opts = m.group(4);
            boolean fast = opts.contains("-fast");
            config = new GeneratorConfig(opts.contains("-gray") ? 1 : 3, Integer.parseInt(m.group(3)), Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(2)), opts.contains("-bn"), fast ? 0.1 : 1.0, fast,
                    opts.contains("-deconv") ? GeneratorConfig.Upsampling.DECONV : GeneratorConfig.Upsampling.SUBPIXEL);
            params = SrResNet.initParams(config, 42);
        } else {
            Model model = ModelFolders.catalog(err).load(name);
            config = model.card().config();
            params = model.params();
        }
        if (train) return new TrainBench(out).run(name, config, params, size, batch, repeats, warmup, a.json,
                a.engine, a.profile);
        generator = new Generator(config, params);
        int c = config.channels();
        float[] input = new float[batch * c * size * size];
        Random r = new Random(1);
        for (int i = 0; i < input.length; i++) input[i] = r.nextFloat();
        for (int i = 0; i < warmup; i++) generator.run(input, batch, size, size);
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            generator.run(input, batch, size, size);
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        double[] sorted = t.clone();
        Arrays.sort(sorted);
        double median = repeats % 2 == 1 ? sorted[repeats / 2] : (sorted[repeats / 2 - 1] + sorted[repeats / 2]) / 2;
        double outMp = (double) batch * size * config.scale() * size * config.scale() / 1e6;
        double gflops = config.flops(size, size) * batch / 1e9;
        long peakRss = peakRssBytes();
        long peakHeap = peakHeapBytes();
        String threads = System.getenv("OMP_NUM_THREADS");
        if (a.json) {
            out.println(String.format(Locale.ROOT,
                    "{\"engine\":\"super-resolve-samediff\",\"model\":%s,\"architecture\":%s,\"native\":%s,\"threads\":%s,"
                            + "\"size\":%d,\"batch\":%d,\"scale\":%d,\"repeats\":%d,\"median_seconds\":%.4f,\"min_seconds\":%.4f,"
                            + "\"output_megapixels_per_second\":%.3f,\"gflops\":%.2f,\"gflop_per_second\":%.2f,"
                            + "\"peak_rss_mb\":%.1f,\"peak_heap_mb\":%.1f,\"seconds\":%s}",
                    jsonString(name), jsonString(config.describe()), jsonString(NativeBackend.nativeBuild()),
                    threads == null ? "null" : threads.trim().matches("\\d+") ? threads.trim() : jsonString(threads), size, batch, config.scale(), repeats,
                    median, sorted[0], outMp / median, gflops, gflops / median, peakRss / 1048576.0, peakHeap / 1048576.0,
                    Arrays.toString(Arrays.stream(t).map(x -> Math.round(x * 1e4) / 1e4).toArray())));
        } else {
            out.println("model:        " + name + " (" + config.describe() + ")");
            out.println("backend:      " + NativeBackend.describe());
            out.printf(Locale.ROOT, "input:        %d x %d x %d x %d -> x%d%n", batch, c, size, size, config.scale());
            out.printf(Locale.ROOT, "median:       %.3f s (min %.3f s, %d runs after %d warm-up)%n", median, sorted[0], repeats, warmup);
            out.printf(Locale.ROOT, "throughput:   %.2f output megapixels/s%n", outMp / median);
            out.printf(Locale.ROOT, "compute:      %.1f GFLOP per pass, %.1f GFLOP/s%n", gflops, gflops / median);
            out.printf(Locale.ROOT, "peak memory:  %.0f MB resident (heap peak %.0f MB)%n", peakRss / 1048576.0, peakHeap / 1048576.0);
        }
        return 0;
    }

    /** A JSON string literal (model paths may hold backslashes or quotes). */
    private static String jsonString(String s) {
        return Json.write(s).strip();
    }

    /** Peak resident set size of this process (VmHWM), or -1 where /proc is absent. */
    static long peakRssBytes() {
        return procStatusBytes("VmHWM:");
    }

    /** A size field of /proc/self/status ("VmRSS:", "VmHWM:") in bytes, or -1 where /proc is absent. */
    static long procStatusBytes(String field) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status")))
                if (line.startsWith(field)) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) sum += p.getPeakUsage().getUsed();
        return sum;
    }
}
