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
    /** Recursive generators by number of applications, built once each (a batch at x8 reuses one). */
    private final Map<Integer, Generator> applied = new java.util.HashMap<>();

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
        if (generator == null) generator = card.stages() == 1 ? new Generator(card.config(), params) : generator(card.stages());
        return generator;
    }

    /** The parameters of stage {@code k} (1-based) of a recursive model, without the prefix. */
    public Map<String, INDArray> stageParams(int k) {
        if (card.stages() == 1) return params;
        String prefix = ModelCard.stagePrefix(k);
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : params.entrySet())
            if (e.getKey().startsWith(prefix)) p.put(e.getKey().substring(prefix.length()), e.getValue());
        return p;
    }

    /**
     * A recursive model applied {@code applications} times: its first stages in turn, the last one
     * repeated beyond them (x8 from a two-stage x4 model).
     */
    public synchronized Generator generator(int applications) {
        if (card.stages() == 1 && applications == 1) return generator();
        return applied.computeIfAbsent(applications, n -> {
            java.util.List<Map<String, INDArray>> stages = new java.util.ArrayList<>();
            for (int k = 1; k <= Math.min(card.stages(), n); k++) stages.add(stageParams(k));
            return Generator.recursive(card.config(), stages, n);
        });
    }

    /** Frees the native buffers of its generators, if built (the model stays usable). */
    public synchronized void release() {
        if (generator != null) generator.release();
        for (Generator g : applied.values()) g.release();
    }

    /** Total number of trainable values. */
    public long parameterCount() {
        return params.values().stream().mapToLong(INDArray::length).sum();
    }
}
