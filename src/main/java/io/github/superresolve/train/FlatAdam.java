package io.github.superresolve.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam over many parameters stored back to back in one flat array: one ND4J fused updater op, one
 * subtraction, per step, where {@link AdamState} runs an updater per parameter. Every value goes
 * through the same elementwise formula with the same settings and step, so the updates are
 * {@link AdamState}'s; the state is saved and restored in {@link AdamState}'s layout ({@code adam/NAME},
 * (1, 2 n): first moments then second moments), so checkpoints stay interchangeable. Measured why:
 * with ~70 parameter tensors the per-parameter updates were ~180 small ops per step, each a parallel
 * region that waits for its slowest thread (20 ms per step on one idle core, up to 0.7 s with two
 * threads on a machine busy with other work).
 */
final class FlatAdam implements AutoCloseable {

    private final AdamUpdater updater;
    /** (1, 2 N): the first moments of all parameters, then the second moments */
    private final INDArray state;
    private final long total;
    /** parameter name -> {offset, length} in the flat arrays */
    private final Map<String, long[]> ranges;

    /** @param ranges parameter name -> {offset, length} in the flat parameter and gradient arrays of {@code total} values */
    FlatAdam(Map<String, long[]> ranges, long total, GeneratorTrainer.AdamSettings adam) {
        this.ranges = new LinkedHashMap<>(ranges);
        this.total = total;
        state = Nd4j.zeros(DataType.FLOAT, 1, 2 * total);
        updater = new AdamUpdater(adam.updater());
        updater.setStateViewArray(state, new long[]{total}, 'c', true);
    }

    /** Turns the flat {@code gradient} (N values) into this step's update, in place ({@code step} is 0-based). */
    void update(INDArray gradient, long step) {
        updater.applyUpdater(gradient, (int) step, 0);
    }

    /** The state (copies) in {@link AdamState}'s layout, keyed {@code adam/NAME}. */
    Map<String, INDArray> snapshot() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : ranges.entrySet()) {
            long off = e.getValue()[0], n = e.getValue()[1];
            INDArray s = Nd4j.create(DataType.FLOAT, 1, 2 * n);
            s.get(NDArrayIndex.all(), NDArrayIndex.interval(0, n)).assign(moments(0, off, n));
            s.get(NDArrayIndex.all(), NDArrayIndex.interval(n, 2 * n)).assign(moments(total, off, n));
            m.put("adam/" + e.getKey(), s);
        }
        return m;
    }

    /** Restores what {@link #snapshot()} or {@link AdamState#snapshot()} saved; {@code what} names the network in the error. */
    void restore(Map<String, INDArray> saved, String what) {
        for (Map.Entry<String, long[]> e : ranges.entrySet()) {
            long off = e.getValue()[0], n = e.getValue()[1];
            INDArray s = saved.get("adam/" + e.getKey());
            if (s == null || s.length() != 2 * n)
                throw new IllegalArgumentException("The checkpoint's " + what + " optimiser state does not match parameter " + e.getKey() + ".");
            INDArray flat = s.reshape(1, 2 * n).castTo(DataType.FLOAT);
            moments(0, off, n).assign(flat.get(NDArrayIndex.all(), NDArrayIndex.interval(0, n)));
            moments(total, off, n).assign(flat.get(NDArrayIndex.all(), NDArrayIndex.interval(n, 2 * n)));
        }
    }

    /** The (1, n) view of one parameter's moments: first ({@code base} 0) or second ({@code base} N). */
    private INDArray moments(long base, long off, long n) {
        return state.get(NDArrayIndex.all(), NDArrayIndex.interval(base + off, base + off + n));
    }

    @Override
    public void close() {
        state.close();
    }
}
