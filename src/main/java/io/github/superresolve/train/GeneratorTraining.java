package io.github.superresolve.train;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * What a training run needs of a generator's trainer: {@link GeneratorTrainer} (the SameDiff graph,
 * with or without an adversarial term) or {@link EagerGeneratorTrainer} (pixel MSE on the inference
 * engine's kernels). Both keep the same parameters and optimiser state, so a checkpoint of one resumes
 * in the other.
 */
public interface GeneratorTraining extends AutoCloseable {

    /** One optimisation step on a batch (NCHW inputs and targets); the batch's loss before the update. */
    double step(float[] lr, float[] hr, int n, int h, int w);

    /** Steps taken so far. */
    long step();

    GeneratorTrainer.AdamSettings adam();

    /** Pixel MSE of the last step. */
    double lastMse();

    /** The last step's adversarial term (unweighted), NaN without an adversary. */
    default double lastAdversarial() {
        return Double.NaN;
    }

    /** The last step's adversarial weight, NaN without an adversary. */
    default double lastAdversarialWeight() {
        return Double.NaN;
    }

    /** The generator's outputs of the last step, null without an adversary. */
    default INDArray lastFake() {
        return null;
    }

    /** Current parameters (copies), with batch-norm running statistics. */
    Map<String, INDArray> params();

    /** Optimiser state (copies), keyed {@code adam/PARAM}. */
    Map<String, INDArray> optimizerState();

    /** Restores an optimiser state and step count saved by either trainer. */
    void restore(Map<String, INDArray> state, long step);

    @Override
    void close();
}
