package io.github.superresolve.nn;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * A generator ready for inference: its SameDiff graph built once, then run on batches of tiles.
 * Not thread-safe for concurrent runs: calls are serialised (ND4J already uses every core per op).
 */
public final class Generator {

    static {
        NativeBackend.init(); // choose the native build before ND4J loads
    }

    private final GeneratorConfig config;
    private final SameDiff graph;

    public Generator(GeneratorConfig config, Map<String, INDArray> params) {
        NativeBackend.init();
        this.config = config;
        this.graph = SrResNet.inferenceGraph(config, params);
    }

    public GeneratorConfig config() {
        return config;
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
        INDArray in = Nd4j.create(input, new long[]{n, c, h, w}, 'c');
        INDArray out = graph.outputSingle(Map.of(SrResNet.INPUT, in), SrResNet.OUTPUT);
        float[] result = (out.ordering() == 'c' && !out.isView() ? out : out.dup('c')).data().asFloat();
        in.close();
        out.close();
        return result;
    }
}
