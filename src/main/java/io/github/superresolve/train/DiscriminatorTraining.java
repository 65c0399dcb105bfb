package io.github.superresolve.train;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * What a training run needs of a discriminator's trainer: {@link DiscriminatorTrainer} (the SameDiff
 * graph) or {@link EagerDiscriminatorTrainer} (the eager layers). Both update the same shared parameter
 * arrays with the same loss and keep the same optimiser state, so a checkpoint of one resumes in the other.
 */
public interface DiscriminatorTraining extends AutoCloseable {

    /**
     * One step on ground-truth images, the images generated from {@code inputs}, and those inputs (n, C,
     * P/scale, P/scale; a conditional discriminator's, ignored otherwise): real image i and generated
     * image i share input i.
     *
     * @return the cross-entropy before the update
     */
    double step(INDArray real, INDArray fake, INDArray inputs);

    /** Fraction of the last step's images (relativistic: pairs) classified right. */
    double lastAccuracy();

    /** Steps taken so far. */
    long step();

    /** Optimiser state (copies), keyed {@code adam/PARAM}. */
    Map<String, INDArray> optimizerState();

    /** Restores what {@link #optimizerState()} saved. */
    void restore(Map<String, INDArray> state, long step);

    @Override
    void close();
}
