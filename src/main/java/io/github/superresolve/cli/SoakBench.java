package io.github.superresolve.cli;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import io.github.superresolve.infer.ImageUpscaler;
import io.github.superresolve.infer.NetworkUpscaler;
import io.github.superresolve.infer.Progress;
import io.github.superresolve.infer.Upscaler;
import io.github.superresolve.nn.ModelCatalog;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code super-resolve bench --soak N}: N super-resolutions in one JVM as a Fiji user makes them, one
 * after another with different models, scales and image types (the bundled photo as RGB and as a
 * 16-bit greyscale image), each through the same path as the Super-Resolve Image command; prints the
 * resident memory after each (also without the Java heap the JVM has committed, which grows until the
 * collector runs and is bounded by -Xmx) and, at the end, each step of the last cycle of models against
 * the same step of the first. Memory that grows from cycle to cycle is a leak; a constant level is the
 * buffers of one model plus the JVM's heap.
 *
 * <p>After each run it also asks for a full collection ({@code System.gc()}) and prints the resident
 * memory then: the collector gives back heap it does not need (G1 shrinks the heap after a full
 * collection), so that figure is what the run left behind, without the garbage and heap pages the
 * collector has not yet returned; a user sees the same when Fiji's memory monitor is clicked.
 */
final class SoakBench {

    /** Model, scale, whether the input is the 16-bit greyscale version, crop side (0 = whole). */
    private record Step(String model, int scale, boolean grey, int crop) {
    }

    private static final List<Step> CYCLE = List.of(
            new Step("srresnet-x4", 4, false, 0),
            new Step("srresnet-x2", 2, false, 0),
            new Step("srresnet-x4-gray", 4, true, 0),
            new Step("lanczos", 4, false, 0),
            new Step("rgan-x4", 4, false, 0),
            new Step("srgan-x4", 4, false, 0),
            new Step("srresnet-x2-gray", 2, true, 0),
            new Step("rgan-x4", 8, false, 128),
            new Step("fftgan-x4", 4, false, 0),
            new Step("bicubic", 2, true, 0));

    private final PrintStream out;

    SoakBench(PrintStream out) {
        this.out = out;
    }

    int run(int runs) throws IOException {
        ColorProcessor rgb = DemoTool.loadSample();
        ImagePlus colour = new ImagePlus("coffee.png", rgb);
        ImagePlus grey = new ImagePlus("coffee-16bit", greyscale16(rgb));
        ModelCatalog catalog = ModelFolders.catalog(System.err);
        out.printf(Locale.ROOT, "%-4s %-18s %5s %-12s %8s %8s %12s %14s %14s %10s%n", "run", "model", "scale", "input", "seconds", "RSS MB",
                "heap MB", "RSS-heap MB", "RSS after GC", "models MB");
        long first = -1, last = -1, peak = 0;
        long[] rssOf = new long[runs], nativeOf = new long[runs], gcOf = new long[runs], modelsOf = new long[runs];
        for (int i = 0; i < runs; i++) {
            Step s = CYCLE.get(i % CYCLE.size());
            ImagePlus in = s.grey() ? grey : colour;
            if (s.crop() > 0) {
                in = in.duplicate();
                in.setRoi(0, 0, s.crop(), s.crop());
                in = in.crop();
            }
            Upscaler up = new io.github.superresolve.resolve.ModelResolver(catalog).resolve(s.model()).upscaler(s.scale());
            long t0 = System.nanoTime();
            ImagePlus result = ImageUpscaler.upscale(in, up, ImageUpscaler.Options.defaults(), Progress.NONE);
            double sec = (System.nanoTime() - t0) / 1e9;
            result.flush();
            long rss = residentBytes();
            Runtime rt = Runtime.getRuntime();
            if (first < 0) first = rss;
            last = rss;
            peak = Math.max(peak, rss);
            rssOf[i] = rss;
            nativeOf[i] = rss - rt.totalMemory();
            String heap = String.format(Locale.ROOT, "%5.0f of %4.0f", (rt.totalMemory() - rt.freeMemory()) / 1048576.0, rt.totalMemory() / 1048576.0);
            System.gc();
            gcOf[i] = residentBytes();
            modelsOf[i] = catalog.cachedWeightBytes();
            out.printf(Locale.ROOT, "%-4d %-18s %5s %-12s %8.1f %8.0f %12s %14.0f %14.0f %10.0f%n", i + 1, s.model(), "x" + s.scale(),
                    in.getWidth() + "x" + in.getHeight() + (s.grey() ? " 16b" : " RGB"), sec, rss / 1048576.0,
                    heap, nativeOf[i] / 1048576.0, gcOf[i] / 1048576.0, modelsOf[i] / 1048576.0);
        }
        // the same step of the cycle, first time against last time: growth there is a leak
        int n = CYCLE.size();
        if (runs > n) {
            double worstRss = 0, worstNative = 0;
            for (int i = runs - n; i < runs; i++) {
                int j = i % n;
                worstRss = Math.max(worstRss, 100.0 * (rssOf[i] - rssOf[j]) / rssOf[j]);
                worstNative = Math.max(worstNative, 100.0 * (nativeOf[i] - nativeOf[j]) / nativeOf[j]);
            }
            out.printf(Locale.ROOT, "Same step, last cycle against first: RSS grew at most %+.1f %%, RSS outside the Java heap at most %+.1f %%%n",
                    worstRss, worstNative);
        }
        if (runs >= 3 * n) {
            double worstRss = 0, worstNative = 0;
            for (int i = runs - n; i < runs; i++) {
                worstRss = Math.max(worstRss, 100.0 * (rssOf[i] - rssOf[i - n]) / rssOf[i - n]);
                worstNative = Math.max(worstNative, 100.0 * (nativeOf[i] - nativeOf[i - n]) / nativeOf[i - n]);
            }
            out.printf(Locale.ROOT, "Same step, last cycle against the one before: RSS grew at most %+.1f %%, outside the heap at most %+.1f %%%n",
                    worstRss, worstNative);
        }
        out.printf(Locale.ROOT, "RSS after run 1: %.0f MB, after run %d: %.0f MB (%+.1f %%), highest after a run: %.0f MB, peak (VmHWM): %.0f MB%n",
                first / 1048576.0, runs, last / 1048576.0, 100.0 * (last - first) / first, peak / 1048576.0, BenchTool.peakRssBytes() / 1048576.0);
        long gcMax = java.util.Arrays.stream(gcOf).max().orElse(0);
        out.printf(Locale.ROOT, "RSS after a full collection: run 1 %.0f MB, run %d %.0f MB (%+.1f %%), highest %.0f MB (%+.1f %% over run 1)%n",
                gcOf[0] / 1048576.0, runs, gcOf[runs - 1] / 1048576.0, 100.0 * (gcOf[runs - 1] - gcOf[0]) / gcOf[0],
                gcMax / 1048576.0, 100.0 * (gcMax - gcOf[0]) / gcOf[0]);
        // the model cache fills during the first cycle (bounded, see ModelCatalog): without it
        long a = gcOf[0] - modelsOf[0], b = gcOf[runs - 1] - modelsOf[runs - 1];
        out.printf(Locale.ROOT, "Without the loaded models' weights (%.0f MB after run %d, a cache bounded at %.0f MB): run 1 %.0f MB, run %d %.0f MB (%+.1f %%)%n",
                modelsOf[runs - 1] / 1048576.0, runs, ModelCatalog.DEFAULT_CACHE_BYTES / 1048576.0, a / 1048576.0, runs, b / 1048576.0, 100.0 * (b - a) / a);
        return 0;
    }

    private static ShortProcessor greyscale16(ColorProcessor rgb) {
        int n = rgb.getWidth() * rgb.getHeight();
        short[] px = new short[n];
        int[] c = (int[]) rgb.getPixels();
        for (int i = 0; i < n; i++) {
            int r = (c[i] >> 16) & 0xff, g = (c[i] >> 8) & 0xff, b = c[i] & 0xff;
            px[i] = (short) Math.round((0.299 * r + 0.587 * g + 0.114 * b) * 257);
        }
        return new ShortProcessor(rgb.getWidth(), rgb.getHeight(), px, null);
    }

    /** Resident memory now (VmRSS), or -1 where /proc is absent. */
    static long residentBytes() {
        return BenchTool.procStatusBytes("VmRSS:");
    }
}
