package io.github.superresolve.infer;

import io.github.superresolve.exchange.ForeignModel;
import io.github.superresolve.exchange.ForeignModels;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.nn.ModelException;

/** Makes the {@link Upscaler} a user names: {@code bicubic}, {@code lanczos}, or a model. */
public final class Upscalers {

    public static final String BICUBIC = "bicubic";
    public static final String LANCZOS = "lanczos";

    private Upscalers() {
    }

    /**
     * @param model   {@code bicubic}, {@code lanczos}, a model name or a model file path, or a network from
     *                elsewhere: a {@code .onnx} file or a bioimage.io package ({@code rdf.yaml} or its zip)
     * @param scale   the factor asked for; a network must have exactly this scale
     * @param tile    tile core size (networks), {@link NetworkUpscaler#AUTO} to choose it from memory
     * @param overlap tile context in input pixels, negative for the network's receptive radius
     * @param batch   tiles per network call
     */
    public static Upscaler create(String model, int scale, int tile, int overlap, int batch, ModelCatalog catalog) {
        return create(model, scale, tile, overlap, batch, 0, catalog);
    }

    /**
     * As {@link #create(String, int, int, int, int, ModelCatalog)}, with tile size {@link NetworkUpscaler#AUTO}
     * chosen within {@code memoryLimit} bytes ({@code <= 0}: the default budget, {@link MemoryBudget}).
     */
    public static Upscaler create(String model, int scale, int tile, int overlap, int batch, long memoryLimit, ModelCatalog catalog) {
        return create(model, scale, tile, overlap, batch, memoryLimit, catalog, false);
    }

    /**
     * As {@link #create(String, int, int, int, int, long, ModelCatalog)}; with {@code worker} the network is a
     * {@link io.github.superresolve.nn.Network#worker() worker}: its own native buffers (the loaded weights
     * shared), so that several threads each upscale their own images at once, each within
     * {@code memoryLimit} (Spark executors running one task per core).
     */
    public static Upscaler create(String model, int scale, int tile, int overlap, int batch, long memoryLimit, ModelCatalog catalog,
                                  boolean worker) {
        if (model == null || model.isBlank()) throw new IllegalArgumentException("No model given: choose bicubic, lanczos or a model name.");
        String m = model.trim();
        if (scale < 2 || scale > 16) throw new IllegalArgumentException("Scale " + scale + " is not supported: choose a scale from 2 to 16.");
        if (m.equalsIgnoreCase(BICUBIC)) return new InterpolationUpscaler(Kernel.BICUBIC, scale);
        if (m.equalsIgnoreCase(LANCZOS) || m.equalsIgnoreCase("lanczos3")) return new InterpolationUpscaler(Kernel.LANCZOS3, scale);
        if (ForeignModels.isForeign(m)) {
            ForeignModel f = ForeignModels.open(m);
            if (f.scale() != scale)
                throw new ModelException("Model " + f.name() + " (" + f.source() + ") upscales by " + f.scale() + ", but scale " + scale
                        + " was asked: set scale=" + f.scale() + ".");
            return new NetworkUpscaler(f.name(), worker ? f.network().worker() : f.network(), tile, overlap, batch, memoryLimit)
                    .withIntensityRule(f.rule());
        }
        Model net = catalog.load(m);
        int ms = net.card().scale();
        if (net.card().stages() > 1 && ms != scale)
            return new NetworkUpscaler(net.card().name() + "-x" + scale, worker ? generatorFor(net, scale).worker() : generatorFor(net, scale),
                    tile, overlap, batch, memoryLimit);
        if (ms != scale)
            throw new ModelException("Model " + net.card().name() + " upscales by " + ms + ", but scale " + scale
                    + " was asked: set scale=" + ms + " or choose a model for x" + scale + ".");
        return new NetworkUpscaler(net.card().name(), worker ? net.generator().worker() : net.generator(), tile, overlap, batch, memoryLimit);
    }

    /**
     * The generator of a model for a scale: the model itself at its own scale; a recursive model
     * reaches any power of its stage factor by applying its stages in turn and reapplying the last.
     */
    public static io.github.superresolve.nn.Generator generatorFor(Model net, int scale) {
        int ms = net.card().scale();
        if (ms == scale) return net.generator();
        if (net.card().stages() > 1) {
            int stage = net.card().config().scale(), k = 0, s = 1;
            while (s < scale) {
                s *= stage;
                k++;
            }
            if (s == scale) return net.generator(k);
            throw new ModelException("Model " + net.card().name() + " upscales by powers of " + stage + ", not by " + scale
                    + ": set scale=" + ms + " or " + ms * stage + ".");
        }
        throw new ModelException("Model " + net.card().name() + " upscales by " + ms + ", but scale " + scale
                + " was asked: set scale=" + ms + " or choose a model for x" + scale + ".");
    }
}
