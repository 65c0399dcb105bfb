package io.github.superresolve.nn;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A generator ready for inference: its SameDiff graph built once, then run on batches of tiles.
 * A <em>recursive</em> generator (rGAN) chains stages of the same architecture, each upscaling by the
 * stage's factor; reapplying the last stage goes beyond the trained total (x8 from a two-stage x4).
 * Not thread-safe for concurrent runs: calls are serialised (ND4J already uses every core per op).
 */
public final class Generator {

    static {
        NativeBackend.init(); // choose the native build before ND4J loads
    }

    private final GeneratorConfig config;
    private final List<SameDiff> graphs;

    public Generator(GeneratorConfig config, Map<String, INDArray> params) {
        this(config, List.of(SrResNet.inferenceGraph(config, params)));
    }

    private Generator(GeneratorConfig config, List<SameDiff> graphs) {
        NativeBackend.init();
        this.config = config;
        this.graphs = graphs;
    }

    /**
     * A chain of stages: {@code stageParams.get(i)} for application i, the last stage repeated up to
     * {@code applications} in total.
     */
    public static Generator recursive(GeneratorConfig stage, List<Map<String, INDArray>> stageParams, int applications) {
        if (stageParams.isEmpty() || applications < 1)
            throw new IllegalArgumentException("A recursive generator needs at least one stage and one application.");
        List<SameDiff> built = new ArrayList<>();
        for (Map<String, INDArray> p : stageParams) built.add(SrResNet.inferenceGraph(stage, p));
        List<SameDiff> chain = new ArrayList<>();
        for (int i = 0; i < applications; i++) chain.add(built.get(Math.min(i, built.size() - 1)));
        return new Generator(stage, chain);
    }

    /** The architecture of one stage (the whole network unless recursive). */
    public GeneratorConfig config() {
        return config;
    }

    /** Total upscaling factor. */
    public int scale() {
        int s = 1;
        for (int i = 0; i < graphs.size(); i++) s *= config.scale();
        return s;
    }

    public int channels() {
        return config.channels();
    }

    /** Number of stages applied in turn (1 unless recursive). */
    public int applications() {
        return graphs.size();
    }

    /** Context, in input pixels, a tile needs for an exact result: the stages' radii at their resolutions. */
    public int receptiveRadius() {
        double r = 0, res = 1;
        for (int i = 0; i < graphs.size(); i++) {
            r += config.receptiveRadius() / res;
            res *= config.scale();
        }
        return (int) Math.ceil(r);
    }

    /**
     * Runs the network on a batch.
     *
     * @param input {@code n * channels * h * w} values, NCHW order, normalised intensities
     * @return {@code n * channels * (h*scale) * (w*scale)} values, NCHW order
     */
    public synchronized float[] run(float[] input, int n, int h, int w) {
        int c = config.channels();
        if (input.length != (long) n * c * h * w)
            throw new IllegalArgumentException("Batch has " + input.length + " values, expected " + n + "x" + c + "x" + h + "x" + w + ".");
        INDArray x = Nd4j.create(input, new long[]{n, c, h, w}, 'c');
        for (SameDiff g : graphs) {
            INDArray y = g.outputSingle(Map.of(SrResNet.INPUT, x), SrResNet.OUTPUT);
            x.close();
            x = y;
        }
        float[] result = (x.ordering() == 'c' && !x.isView() ? x : x.dup('c')).data().asFloat();
        x.close();
        NativeMemory.collect();
        return result;
    }

    /**
     * Frees the activations SameDiff keeps cached between calls (each graph's session caches up to a
     * quarter of the memory JavaCPP may use, per model and thread); the generator stays usable and
     * rebuilds its cache on the next call. Called after each image, so a run over several models (a
     * comparison, a long Fiji session) holds one model's working set at a time, not one per model.
     */
    public synchronized void release() {
        for (SameDiff g : graphs) {
            for (org.nd4j.autodiff.samediff.internal.InferenceSession s : g.getSessions().values())
                if (s.getMmgr() != null) s.getMmgr().close();
            g.getSessions().clear();
        }
        NativeMemory.collect();
    }
}
