package io.github.superresolve.resolve;

import io.github.superresolve.infer.IntensityRule;
import io.github.superresolve.infer.Upscaler;
import io.github.superresolve.nn.ModelException;

import java.util.function.BiFunction;
import java.util.function.IntPredicate;

/**
 * A model as every front end sees it, whatever named it ({@link ModelResolver}).
 *
 * @param name     what the user sees: the interpolation's or model's name, a package's name, an ONNX file's name
 * @param source   what named it: the argument as given, or the file it was read from
 * @param kind     interpolation, a Super-Resolve model, or a network from elsewhere
 * @param scale    its own factor: the one used when none is asked (interpolation: 4)
 * @param channels the channels it takes, 0 for any (interpolation)
 * @param rule     its intensity pre- and postprocessing, null for Super-Resolve's own (0-1 in and out)
 * @param radius   its receptive radius in input pixels at its own scale, 0 for interpolation
 * @param scales   the factors it supports
 * @param factors  those in words, for messages: "2", "powers of 2 (2, 4, 8, 16)"
 * @param factory  its upscaler for a supported factor and a tiling
 */
public record ResolvedModel(String name, String source, Kind kind, int scale, int channels, IntensityRule rule, int radius,
                            IntPredicate scales, String factors, BiFunction<Integer, Tiling, Upscaler> factory) {

    /** What kind of model. */
    public enum Kind {INTERPOLATION, SUPER_RESOLVE, FOREIGN}

    /** The smallest and largest factor any model is run at. */
    public static final int MIN_SCALE = 2, MAX_SCALE = 16;

    /** Whether it upscales by {@code s}. */
    public boolean supports(int s) {
        return s >= MIN_SCALE && s <= MAX_SCALE && scales.test(s);
    }

    /**
     * The factor to run at: its own when none is asked ({@code asked <= 0}), else {@code asked} if it
     * supports it; otherwise a sentence saying which to ask for.
     */
    public int scaleFor(int asked) {
        if (asked <= 0) return scale;
        if (asked < MIN_SCALE || asked > MAX_SCALE)
            throw new IllegalArgumentException("Scale " + asked + " is not supported: choose a scale from " + MIN_SCALE + " to " + MAX_SCALE + ".");
        if (supports(asked)) return asked;
        throw new ModelException("Model " + name + " upscales by " + factors + ", but scale " + asked
                + " was asked: set scale=" + scale + ", leave the scale out, or choose a model for x" + asked + ".");
    }

    /** Its upscaler at {@code scaleFor(asked)}. */
    public Upscaler upscaler(int asked, Tiling tiling) {
        return factory.apply(scaleFor(asked), tiling);
    }

    /** Its upscaler at its own scale or the one asked, tiled automatically. */
    public Upscaler upscaler(int asked) {
        return upscaler(asked, Tiling.auto());
    }

    /** Whether it takes images of {@code c} channels. */
    public boolean takes(int c) {
        return channels == 0 || channels == c;
    }
}
