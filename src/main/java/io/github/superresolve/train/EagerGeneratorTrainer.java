package io.github.superresolve.train;

import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.NativeBackend;
import io.github.superresolve.nn.OpTimes;
import io.github.superresolve.nn.SrResNet;
import io.github.superresolve.nn.TrainingPass;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pixel-MSE training of an SRResNet generator on the inference engine's kernels ({@link TrainingPass}:
 * NHWC, oneDNN convolutions and their native backprop ops, pooled buffers) instead of a SameDiff graph.
 * The same maths, parameters, optimiser and checkpoints as {@link GeneratorTrainer} without an
 * adversary: Adam by ND4J's fused updater, here once over all trained parameters stored back to back
 * ({@link FlatAdam}: the same elementwise update, saved in {@link AdamState}'s names and layout, so a
 * checkpoint of either trainer resumes in the other), slopes clamped to [0, 1] after each update,
 * batch-norm running averages with momentum 0.1 and unbiased variance.
 *
 * <p>Measured (SRResNet 16x64 x4, batch 16 of 96x96 targets, 2 cores, {@code benchmarks/compare-pytorch.sh
 * --train}): 0.77-0.81 s per step where the graph takes 1.74-2.01 s and PyTorch 1.13 1.11-1.14 s; one
 * thread 1.35 s (graph 2.9 s, PyTorch 2.1 s); 0.7 GB resident against the graph's 2.5 GB. Why: no graph
 * session, no per-step allocation after the first step (no {@code System.gc()} per step as the graph
 * trainer needs), convolutions channels-last where oneDNN is fastest, the output stage at half
 * resolution ({@link TrainingPass}), one Adam op, and without batch-norm one single-threaded pass per
 * core over a share of the batch ({@link #dataParallel}). With an adversary the discriminator's side of
 * the loss runs as a SameDiff graph differentiated by the generator's output ({@link AdversarialTerm}),
 * on one worker (the term judges the whole batch).
 */
public final class EagerGeneratorTrainer implements GeneratorTraining {

    static {
        NativeBackend.init();
    }

    private final GeneratorConfig config;
    private final GeneratorTrainer.AdamSettings adam;
    private final boolean freezeTrunk;
    /** the parameters (model-file names, in the graph trainer's order) and the trained ones' gradients */
    private final Map<String, INDArray> params = new LinkedHashMap<>(), grads = new LinkedHashMap<>();
    /** batch-norm running statistics (not trained by gradient) */
    private final Map<String, INDArray> running = new LinkedHashMap<>();
    private final List<String> trained = new ArrayList<>();
    private final List<String> bnLayers;
    /** the trained parameters and their gradients back to back (views of these are in params and grads), slopes last */
    private final INDArray flatParams, flatGrads, flatSlopes;
    private final FlatAdam optimizer;
    /** optimiser state of the parameters a frozen trunk keeps: never updated, kept for the checkpoint */
    private final Map<String, INDArray> frozenState = new LinkedHashMap<>();
    private final TrainingPass pass;
    /** data-parallel workers beyond the calling thread: their passes, flat gradients and threads */
    private final TrainingPass[] helpers;
    private final INDArray[] helperGrads;
    private final java.util.concurrent.ExecutorService threads;
    private INDArray lrBuffer, hrBuffer, scratch;
    private long step;
    private double lastMse = Double.NaN;
    /** the adversarial term, or null for pixel MSE alone */
    private final AdversarialTerm term;

    public EagerGeneratorTrainer(GeneratorConfig config, Map<String, INDArray> params, GeneratorTrainer.AdamSettings adam) {
        this(config, params, adam, false);
    }

    /**
     * @param params      initial parameters (copied): from {@link SrResNet#initParams} or a model to fine-tune
     * @param freezeTrunk train only the upsampling blocks and the output convolution ({@link GeneratorTrainer#isTail});
     *                    the backward then stops after them
     */
    public EagerGeneratorTrainer(GeneratorConfig config, Map<String, INDArray> params, GeneratorTrainer.AdamSettings adam,
                                 boolean freezeTrunk) {
        this(config, params, adam, null, freezeTrunk);
    }

    /**
     * A trainer whose loss is pixel MSE plus, when {@code adversary} is given, its adversarial term
     * ({@link AdversarialTerm}: the discriminator's graph, its parameter arrays shared with the
     * {@link DiscriminatorTrainer} that updates them), as {@link GeneratorTrainer}'s.
     */
    public EagerGeneratorTrainer(GeneratorConfig config, Map<String, INDArray> params, GeneratorTrainer.AdamSettings adam,
                                 GeneratorTrainer.Adversary adversary, boolean freezeTrunk) {
        this(config, params, adam, adversary, freezeTrunk, null);
    }

    /**
     * The same, the adversarial term running on the buffers of {@code critic}'s pass when it is an
     * {@link EagerDiscriminatorTrainer} of the same discriminator (one set of activations for both:
     * measured 0.56 GB less at batch 16 of 96x96); close this trainer before the critic.
     */
    public EagerGeneratorTrainer(GeneratorConfig config, Map<String, INDArray> params, GeneratorTrainer.AdamSettings adam,
                                 GeneratorTrainer.Adversary adversary, boolean freezeTrunk, DiscriminatorTraining critic) {
        this(config, params, adam, freezeTrunk, config.batchNorm() || adversary != null ? 1 : Math.max(1, ompThreads()), adversary,
                critic instanceof EagerDiscriminatorTrainer e ? e.pass() : null);
    }

    /**
     * @param workers data-parallel workers, each a single-threaded pass over its share of the batch, their
     *                gradients summed (1: one pass, its ops on all OpenMP threads). Batch-norm needs the whole
     *                batch's statistics, so a network with batch-norm takes 1.
     */
    EagerGeneratorTrainer(GeneratorConfig config, Map<String, INDArray> params, GeneratorTrainer.AdamSettings adam,
                          boolean freezeTrunk, int workers) {
        this(config, params, adam, freezeTrunk, workers, null, null);
    }

    private EagerGeneratorTrainer(GeneratorConfig config, Map<String, INDArray> params, GeneratorTrainer.AdamSettings adam,
                                  boolean freezeTrunk, int workers, GeneratorTrainer.Adversary adversary,
                                  io.github.superresolve.nn.DiscriminatorPass sharedPass) {
        if (workers < 1 || (workers > 1 && config.batchNorm()))
            throw new IllegalArgumentException("Batch-norm trains on one worker (whole-batch statistics), not " + workers + ".");
        if (workers > 1 && adversary != null)
            throw new IllegalArgumentException("The adversarial term judges the whole batch: one worker, not " + workers + ".");
        this.config = config;
        this.adam = adam;
        this.freezeTrunk = freezeTrunk;
        this.bnLayers = SrResNet.batchNormLayers(config);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : SrResNet.paramShapes(config).entrySet()) {
            String name = e.getKey();
            INDArray a = params.get(name);
            if (a == null) throw new IllegalArgumentException("The initial parameters lack " + name + ".");
            if (a.length() != java.util.Arrays.stream(e.getValue()).reduce(1, (x, y) -> x * y))
                throw new IllegalArgumentException("Parameter " + name + " has " + a.length() + " values, not the network's "
                        + java.util.Arrays.toString(e.getValue()) + ".");
            shapes.put(name, e.getValue());
            if (!name.endsWith("/mean") && !name.endsWith("/var") && (!freezeTrunk || GeneratorTrainer.isTail(name))) trained.add(name);
        }
        if (trained.isEmpty()) throw new IllegalArgumentException("With the trunk frozen nothing is left to train.");
        // flat layout: trained weights and biases, then the trained slopes (clamped to [0, 1] in one op)
        List<String> order = new ArrayList<>();
        for (String name : trained) if (!name.endsWith("/alpha")) order.add(name);
        long slopesAt = 0;
        for (String name : order) slopesAt += length(shapes.get(name));
        for (String name : trained) if (name.endsWith("/alpha")) order.add(name);
        long total = 0;
        Map<String, long[]> ranges = new LinkedHashMap<>();
        for (String name : order) {
            ranges.put(name, new long[]{total, length(shapes.get(name))});
            total += length(shapes.get(name));
        }
        flatParams = Nd4j.create(DataType.FLOAT, total);
        flatGrads = Nd4j.create(DataType.FLOAT, total);
        flatSlopes = slopesAt < total ? flatParams.get(NDArrayIndex.interval(slopesAt, total)) : null;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String name = e.getKey();
            INDArray a = params.get(name).castTo(DataType.FLOAT).reshape('c', e.getValue());
            long[] r = ranges.get(name);
            INDArray copy;
            if (r != null) {
                copy = flatParams.get(NDArrayIndex.interval(r[0], r[0] + r[1])).reshape('c', e.getValue());
                grads.put(name, flatGrads.get(NDArrayIndex.interval(r[0], r[0] + r[1])).reshape('c', e.getValue()));
            } else {
                copy = Nd4j.createUninitialized(DataType.FLOAT, e.getValue(), 'c');
                if (!name.endsWith("/mean") && !name.endsWith("/var")) frozenState.put(name, Nd4j.zeros(DataType.FLOAT, 1, 2 * length(e.getValue())));
            }
            copy.assign(a);
            if (name.endsWith("/mean") || name.endsWith("/var")) running.put(name, copy);
            else this.params.put(name, copy);
        }
        optimizer = new FlatAdam(ranges, total, adam);
        pass = new TrainingPass(config, this.params, grads, freezeTrunk);
        term = adversary == null ? null : new AdversarialTerm(config, adversary, sharedPass);
        pass.setOutputTerm(term);
        helpers = new TrainingPass[workers - 1];
        helperGrads = new INDArray[workers - 1];
        for (int k = 0; k < helpers.length; k++) {
            helperGrads[k] = Nd4j.create(DataType.FLOAT, total);
            Map<String, INDArray> g = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : ranges.entrySet())
                g.put(e.getKey(), helperGrads[k].get(NDArrayIndex.interval(e.getValue()[0], e.getValue()[0] + e.getValue()[1]))
                        .reshape('c', shapes.get(e.getKey())));
            helpers[k] = new TrainingPass(config, this.params, g, freezeTrunk);
        }
        threads = helpers.length == 0 ? null : java.util.concurrent.Executors.newFixedThreadPool(helpers.length, r -> {
            Thread t = new Thread(() -> {
                native_().setOmpNumThreads(1); // this thread's OpenMP regions (oneDNN's) on one thread
                r.run();
            }, "eager-training-worker");
            t.setDaemon(true);
            return t;
        });
    }

    private static org.nd4j.nativeblas.NativeOps native_() {
        return org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps();
    }

    /** OpenMP threads of the calling thread's parallel regions (OMP_NUM_THREADS). */
    private static int ompThreads() {
        return native_().ompGetMaxThreads();
    }

    /** Data-parallel workers of this trainer (1: one pass on all OpenMP threads). */
    public int workers() {
        return helpers.length + 1;
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    public GeneratorConfig config() {
        return config;
    }

    public GeneratorTrainer.AdamSettings adam() {
        return adam;
    }

    /** Whether only the tail is trained. */
    public boolean trunkFrozen() {
        return freezeTrunk;
    }

    /** Steps taken so far. */
    public long step() {
        return step;
    }

    /** Per-op wall times of the training pass, when enabled. */
    public OpTimes opTimes() {
        return pass.times();
    }

    /**
     * One optimisation step on a batch, as {@link GeneratorTrainer#step}.
     *
     * @param lr low-resolution inputs, NCHW, {@code n x C x h x w}
     * @param hr targets, NCHW, {@code n x C x (h*scale) x (w*scale)}
     * @return the batch's MSE before the update
     */
    public double step(float[] lr, float[] hr, int n, int h, int w) {
        double mse = gradients(lr, hr, n, h, w);
        double loss = term == null ? mse : mse + term.weight() * term.last();
        if (!Double.isFinite(loss))
            throw new IllegalStateException("The training loss became " + loss + " at step " + (step + 1)
                    + ": lower the learning rate or check the images for NaN values.");
        long t0 = System.nanoTime();
        optimizer.update(flatGrads, step);
        flatParams.subi(flatGrads);
        // the pass's PReLU is max(x, alpha*x): exact for slopes in [0, 1]
        if (flatSlopes != null) Transforms.min(Transforms.max(flatSlopes, 0.0, false), 1.0, false);
        if (!bnLayers.isEmpty()) updateRunningStatistics((long) n * h * w);
        addTime("adam update", t0);
        lastMse = mse;
        step++;
        return loss;
    }

    /**
     * Forward and backward without an update: the pixel MSE (the adversarial term's value is then in
     * {@link #lastAdversarial()}), with the gradients of the whole loss in {@link #gradientArrays()}.
     */
    double gradients(float[] lr, float[] hr, int n, int h, int w) {
        int c = config.channels(), s = config.scale();
        if (lr.length != (long) n * c * h * w || hr.length != (long) n * c * h * s * w * s)
            throw new IllegalArgumentException("Batch shapes do not match " + n + "x" + c + "x" + h + "x" + w + " -> x" + s + ".");
        long[] lrShape = {n, c, h, w}, hrShape = {n, c, (long) h * s, (long) w * s};
        if (lrBuffer == null || !java.util.Arrays.equals(lrBuffer.shape(), lrShape)) {
            if (lrBuffer != null) {
                lrBuffer.close();
                hrBuffer.close();
            }
            lrBuffer = Nd4j.create(DataType.FLOAT, lrShape, 'c');
            hrBuffer = Nd4j.create(DataType.FLOAT, hrShape, 'c');
        }
        long t0 = System.nanoTime();
        lrBuffer.data().setData(lr);
        hrBuffer.data().setData(hr);
        addTime("copy batch in", t0);
        int parts = Math.min(workers(), n);
        if (term != null) term.prepare(lrBuffer, hrBuffer, step);
        if (parts == 1) return pass.step(lrBuffer, hrBuffer);
        return dataParallel(parts, n);
    }

    /**
     * The batch split into {@code parts} shares, each run by one single-threaded pass (the calling
     * thread's and the helpers'), the gradients of (sum of squares of a share) / (values in the batch)
     * summed: the batch's MSE gradient. Measured why (SRResNet 16x64 x4, batch 16 of 96x96, 2 cores):
     * one pass on two OpenMP threads scaled 1.37 -> 0.87 s per step where PyTorch scales 2.09 -> 1.05;
     * every op's parallel region waits for its slower thread (and for a thread another process holds
     * on a busy machine), where two independent single-threaded passes meet once per step.
     */
    private double dataParallel(int parts, int n) {
        double count = hrBuffer.length();
        int omp = ompThreads(), envThreads = Nd4j.getEnvironment().maxThreads();
        Nd4j.getEnvironment().setMaxThreads(1); // libnd4j's own loops: one thread per pass
        native_().setOmpNumThreads(1);
        try {
            List<java.util.concurrent.Future<Double>> parts_ = new ArrayList<>();
            for (int k = 1; k < parts; k++) {
                INDArray lr = share(lrBuffer, k, parts, n), hr = share(hrBuffer, k, parts, n);
                TrainingPass helper = helpers[k - 1];
                parts_.add(threads.submit(() -> helper.sumOfSquares(lr, hr, count)));
            }
            double sum = pass.sumOfSquares(share(lrBuffer, 0, parts, n), share(hrBuffer, 0, parts, n), count);
            for (java.util.concurrent.Future<Double> f : parts_) sum += f.get();
            long t0 = System.nanoTime();
            for (int k = 1; k < parts; k++) flatGrads.addi(helperGrads[k - 1]);
            addTime("sum of the workers' gradients", t0);
            return sum / count;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Training was interrupted.", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw new IllegalStateException(e.getCause());
        } finally {
            native_().setOmpNumThreads(omp);
            Nd4j.getEnvironment().setMaxThreads(envThreads);
        }
    }

    /** Share {@code k} of {@code parts} of a batch (its first axis): a view. */
    private static INDArray share(INDArray batch, int k, int parts, int n) {
        long from = (long) n * k / parts, to = (long) n * (k + 1) / parts;
        return batch.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** The gradient arrays of the trained parameters (live, overwritten by each step). */
    Map<String, INDArray> gradientArrays() {
        return grads;
    }

    private void addTime(String label, long t0) {
        // OpTimes#add is package-private to nn; time the trainer's own parts through a public hook
        pass.times().record(label, System.nanoTime() - t0);
    }

    private void updateRunningStatistics(long count) {
        // every batch-norm layer sits in the trunk, at input resolution: n*h*w values per channel
        double unbias = count > 1 ? count / (count - 1.0) : 1.0;
        double m = GeneratorTrainer.BN_MOMENTUM;
        if (scratch == null) scratch = Nd4j.create(DataType.FLOAT, config.width());
        for (String bn : bnLayers) {
            // the graph trainer's operations in its order: running * (1 - m) + (batch [* unbias]) * m
            INDArray mean = running.get(bn + "/mean"), var = running.get(bn + "/var");
            scratch.assign(pass.batchMean(bn).reshape(-1)).muli(m);
            mean.muli(1 - m).addi(scratch);
            scratch.assign(pass.batchVar(bn).reshape(-1)).muli(unbias).muli(m);
            var.muli(1 - m).addi(scratch);
        }
    }

    /** Pixel MSE of the last step (its loss without an adversary). */
    public double lastMse() {
        return lastMse;
    }

    @Override
    public double lastAdversarial() {
        return term == null ? Double.NaN : term.last();
    }

    @Override
    public double lastAdversarialWeight() {
        return term == null || step == 0 ? Double.NaN : term.weight();
    }

    @Override
    public INDArray lastFake() {
        return term == null ? null : term.lastFake();
    }

    /** Current parameters (copies), with batch-norm running statistics: a model file's content. */
    public Map<String, INDArray> params() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : params.entrySet()) p.put(e.getKey(), e.getValue().dup());
        for (Map.Entry<String, INDArray> e : running.entrySet()) p.put(e.getKey(), e.getValue().dup());
        return p;
    }

    /** Optimiser state (copies), keyed {@code adam/PARAM} as {@link GeneratorTrainer#optimizerState()}, in the graph's parameter order. */
    public Map<String, INDArray> optimizerState() {
        Map<String, INDArray> flat = optimizer.snapshot(), state = new LinkedHashMap<>();
        for (String name : params.keySet()) {
            String key = "adam/" + name;
            state.put(key, flat.containsKey(key) ? flat.get(key) : frozenState.get(name).dup());
        }
        return state;
    }

    /** Restores the optimiser state and step count saved by either trainer's {@code optimizerState()}. */
    public void restore(Map<String, INDArray> state, long step) {
        optimizer.restore(state, "generator");
        for (Map.Entry<String, INDArray> e : frozenState.entrySet()) {
            INDArray s = state.get("adam/" + e.getKey());
            if (s == null || s.length() != e.getValue().length())
                throw new IllegalArgumentException("The checkpoint's generator optimiser state does not match parameter " + e.getKey() + ".");
            e.getValue().assign(s.reshape(e.getValue().shape()));
        }
        this.step = step;
    }

    /** Bytes of native buffers held for a step's activations. */
    public long activationBytes() {
        long b = pass.bufferBytes();
        for (TrainingPass h : helpers) b += h.bufferBytes();
        return b;
    }

    @Override
    public void close() {
        if (threads != null) threads.shutdownNow();
        if (term != null) term.close();
        pass.close();
        for (TrainingPass h : helpers) h.close();
        for (INDArray g : helperGrads) g.close();
        for (Map.Entry<String, INDArray> e : params.entrySet()) if (!grads.containsKey(e.getKey())) e.getValue().close();
        flatParams.close();
        flatGrads.close();
        for (INDArray a : running.values()) a.close();
        for (INDArray a : frozenState.values()) a.close();
        if (lrBuffer != null) {
            lrBuffer.close();
            hrBuffer.close();
        }
        if (scratch != null) scratch.close();
        optimizer.close();
    }
}
