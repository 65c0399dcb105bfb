package io.github.superresolve.train;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam for a set of named parameters, one ND4J updater (fused native op) per parameter, with its
 * state in arrays that checkpoints save and restore exactly. Shared by the generator's and the
 * discriminator's trainers.
 */
final class AdamState implements AutoCloseable {

    private final Map<String, AdamUpdater> updaters = new LinkedHashMap<>();
    private final Map<String, INDArray> state = new LinkedHashMap<>();

    /** @param shapes parameter name -> the parameter's array (for its shape) */
    AdamState(Map<String, INDArray> shapes, GeneratorTrainer.AdamSettings adam) {
        Adam conf = adam.updater();
        for (Map.Entry<String, INDArray> e : shapes.entrySet()) {
            INDArray s = Nd4j.zeros(DataType.FLOAT, 1, 2 * e.getValue().length());
            AdamUpdater u = new AdamUpdater(conf);
            u.setStateViewArray(s, e.getValue().shape(), 'c', true);
            updaters.put(e.getKey(), u);
            state.put(e.getKey(), s);
        }
    }

    /** Turns {@code gradient} into this step's update, in place ({@code step} is 0-based). */
    void update(String name, INDArray gradient, long step) {
        updaters.get(name).applyUpdater(gradient, (int) step, 0);
    }

    /** The state (copies), keyed {@code adam/NAME}. */
    Map<String, INDArray> snapshot() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : state.entrySet()) m.put("adam/" + e.getKey(), e.getValue().dup());
        return m;
    }

    /** Restores what {@link #snapshot()} saved; {@code what} names the network in the error. */
    void restore(Map<String, INDArray> saved, String what) {
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            INDArray s = saved.get("adam/" + e.getKey());
            if (s == null || s.length() != e.getValue().length())
                throw new IllegalArgumentException("The checkpoint's " + what + " optimiser state does not match parameter " + e.getKey() + ".");
            e.getValue().assign(s.reshape(e.getValue().shape()));
        }
    }

    @Override
    public void close() {
        for (INDArray a : state.values()) a.close();
    }

    /**
     * Builds a graph's backward pass now. M2.1 prints one "Added differentiated op" line per op to
     * System.out while doing so; that noise is swallowed (other threads' System.out output during
     * those 1-3 seconds is lost too).
     */
    static void buildGradientsQuietly(SameDiff sd) {
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            sd.createGradFunction();
        } finally {
            System.setOut(original);
        }
    }
}
