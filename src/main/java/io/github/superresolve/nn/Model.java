package io.github.superresolve.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained generator: its card and parameters, and where it was read from. The inference graph is
 * built on first use and kept, so a batch of images builds it once.
 */
public final class Model {

    private final ModelCard card;
    private final Map<String, INDArray> params;
    private final String source;
    private Generator generator;

    public Model(ModelCard card, Map<String, INDArray> params, String source) {
        this.card = card;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.source = source;
    }

    public ModelCard card() {
        return card;
    }

    public Map<String, INDArray> params() {
        return params;
    }

    /** File, folder or jar entry the model came from. */
    public String source() {
        return source;
    }

    public synchronized Generator generator() {
        if (generator == null) generator = new Generator(card.config(), params);
        return generator;
    }

    /** Total number of trainable values. */
    public long parameterCount() {
        return params.values().stream().mapToLong(INDArray::length).sum();
    }
}
