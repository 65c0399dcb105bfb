package io.github.superresolve.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A generator ready for inference: its weights prepared once ({@link ForwardPass}), then run on batches
 * of tiles. A <em>recursive</em> generator (rGAN) chains stages of the same architecture, each upscaling
 * by the stage's factor; reapplying the last stage goes beyond the trained total (x8 from a two-stage
 * x4). Its native buffers are kept between calls of equal tile size and freed by {@link #release()}.
 * Calls on one generator are serialised (ND4J already uses every core per op); a generator about to
 * run frees the buffers of the one that ran before it, so a session holds one model's buffers at a
 * time. Where several threads each run images at once with fewer threads per op (Spark executors:
 * one task per core), each takes its own {@link #worker()}: the same prepared weights, buffers of its
 * own, outside that one-at-a-time rule.
 */
public final class Generator implements Network {

    static {
        NativeBackend.init(); // choose the native build before ND4J loads
    }

    /** Side of the square input {@link #bytesPerPixel()} measures a pass on. */
    private static final int PROBE = 32;

    private final GeneratorConfig config;
    private final List<ForwardPass> passes;
    private final ArrayPool pool = new ArrayPool();
    private long lastN, lastH, lastW;
    private double bytesPerPixel = -1;
    private ScheduledFuture<?> idleRelease;
    private List<Network> stages;
    /** Whether this generator takes part in the one-set-of-buffers-at-a-time rule ({@link #run}); workers do not. */
    private final boolean rotating;

    /** The generator that ran last: a generator about to run frees its buffers first. */
    private static WeakReference<Generator> active = new WeakReference<>(null);
    private static final ScheduledExecutorService IDLE = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "super-resolve idle release");
        t.setDaemon(true);
        return t;
    });

    public Generator(GeneratorConfig config, Map<String, INDArray> params) {
        this(config, List.of(params));
    }

    private Generator(GeneratorConfig config, List<Map<String, INDArray>> chain) {
        NativeBackend.init();
        this.rotating = true;
        this.config = config;
        List<ForwardPass> f = new ArrayList<>();
        Map<Map<String, INDArray>, ForwardPass> built = new IdentityHashMap<>();
        for (Map<String, INDArray> p : chain) f.add(built.computeIfAbsent(p, q -> new ForwardPass(config, q)));
        this.passes = f;
    }

    private Generator(GeneratorConfig config, List<ForwardPass> passes, boolean rotating) {
        this.config = config;
        this.passes = List.copyOf(passes);
        this.rotating = rotating;
    }

    /**
     * A generator for one worker thread: this one's prepared weights (shared, not copied), native
     * buffers of its own, and exempt from freeing other generators' buffers when it runs, so that
     * workers run concurrently. Release it when the worker is done.
     */
    @Override
    public Generator worker() {
        return new Generator(config, passes, false);
    }

    /** One single-stage generator per application, sharing this one's weights. */
    @Override
    public synchronized List<Network> stages() {
        if (stages == null) {
            if (passes.size() == 1) stages = List.of(this);
            else {
                List<Network> l = new ArrayList<>();
                for (ForwardPass f : passes) l.add(new Generator(config, List.of(f), rotating));
                stages = List.copyOf(l);
            }
        }
        return stages;
    }

    /**
     * A chain of stages: {@code stageParams.get(i)} for application i, the last stage repeated up to
     * {@code applications} in total.
     */
    public static Generator recursive(GeneratorConfig stage, List<Map<String, INDArray>> stageParams, int applications) {
        if (stageParams.isEmpty() || applications < 1)
            throw new IllegalArgumentException("A recursive generator needs at least one stage and one application.");
        List<Map<String, INDArray>> chain = new ArrayList<>();
        for (int i = 0; i < applications; i++) chain.add(stageParams.get(Math.min(i, stageParams.size() - 1)));
        return new Generator(stage, chain);
    }

    /** The architecture of one stage (the whole network unless recursive). */
    public GeneratorConfig config() {
        return config;
    }

    /** Total upscaling factor. */
    @Override
    public int scale() {
        int s = 1;
        for (int i = 0; i < passes.size(); i++) s *= config.scale();
        return s;
    }

    @Override
    public int channels() {
        return config.channels();
    }

    /** Number of stages applied in turn (1 unless recursive). */
    public int applications() {
        return passes.size();
    }

    /** Context, in input pixels, a tile needs for an exact result: the stages' radii at their resolutions. */
    @Override
    public int receptiveRadius() {
        double r = 0, res = 1;
        for (int i = 0; i < passes.size(); i++) {
            r += config.receptiveRadius() / res;
            res *= config.scale();
        }
        return (int) Math.ceil(r);
    }

    /**
     * Native bytes a call needs per input pixel (every stage's buffers, the input and the result),
     * measured once by running the network on a small input with a pool of its own and PReLU bands of
     * one row, so that everything measured grows in proportion to the pixels; PReLU's band temporary
     * is {@link #fixedBytes()}. Used to choose tile sizes from the memory available.
     */
    @Override
    public synchronized double bytesPerPixel() {
        if (bytesPerPixel < 0) {
            ArrayPool probe = new ArrayPool();
            INDArray x = probe.take(1, config.channels(), PROBE, PROBE).assign(0.5);
            for (ForwardPass f : passes) x = f.run(x, probe, 1);
            probe.give(x);
            bytesPerPixel = (double) probe.allocatedBytes() / (PROBE * PROBE);
            probe.clear();
        }
        return bytesPerPixel;
    }

    /** PReLU's band temporary (16 MB), held by a call whatever the tile size. */
    @Override
    public long fixedBytes() {
        return ForwardPass.PRELU_BAND_BYTES;
    }

    /**
     * Runs the network on a batch.
     *
     * @param input {@code n * channels * h * w} values, NCHW order, normalised intensities
     * @return {@code n * channels * (h*scale) * (w*scale)} values, NCHW order
     */
    @Override
    public float[] run(float[] input, int n, int h, int w) {
        if (!rotating) return runHere(input, n, h, w);
        Generator previous;
        synchronized (Generator.class) {
            previous = active.get();
            active = new WeakReference<>(this);
        }
        if (previous != null && previous != this) previous.release(); // one model's buffers at a time
        return runHere(input, n, h, w);
    }

    private synchronized float[] runHere(float[] input, int n, int h, int w) {
        if (idleRelease != null) {
            idleRelease.cancel(false);
            idleRelease = null;
        }
        int c = config.channels();
        if (input.length != (long) n * c * h * w)
            throw new IllegalArgumentException("Batch has " + input.length + " values, expected " + n + "x" + c + "x" + h + "x" + w + ".");
        if (n != lastN || h != lastH || w != lastW) pool.clear(); // buffers of another tile size
        lastN = n;
        lastH = h;
        lastW = w;
        INDArray x = pool.take(n, c, h, w);
        x.data().setData(input);
        try {
            for (ForwardPass f : passes) x = f.run(x, pool);
            float[] result = x.data().asFloat();
            pool.give(x);
            return result;
        } catch (RuntimeException | OutOfMemoryError e) {
            pool.clear(); // an op failed midway: its buffers are in an unknown state
            lastN = 0;
            throw e;
        }
    }

    /** The passes applied in turn (tests). */
    List<ForwardPass> passes() {
        return passes;
    }

    /** Native bytes held in buffers now (in use or kept for the next call). */
    synchronized long heldBytes() {
        return pool.allocatedBytes();
    }

    /**
     * Frees the native buffers kept between calls; the generator stays usable and allocates them again
     * on the next call. Called after each image, so a run over several models (a comparison, a long
     * Fiji session) holds one model's buffers at a time, not one set per model.
     */
    @Override
    public synchronized void release() {
        if (idleRelease != null) {
            idleRelease.cancel(false);
            idleRelease = null;
        }
        boolean held = pool.allocatedBytes() > 0;
        pool.clear();
        lastN = 0;
        if (held) NativeHeap.trim();
    }

    /**
     * Frees the buffers once this generator has not run for {@code millis}: a macro or a command-line
     * run over many images keeps them from image to image, an idle Fiji gives them back.
     */
    @Override
    public synchronized void releaseWhenIdle(long millis) {
        if (idleRelease != null) idleRelease.cancel(false);
        idleRelease = IDLE.schedule(this::release, millis, TimeUnit.MILLISECONDS);
    }
}
