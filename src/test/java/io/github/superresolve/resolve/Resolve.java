package io.github.superresolve.resolve;

import io.github.superresolve.infer.Upscaler;
import io.github.superresolve.nn.ModelCatalog;

/** Tests' shorthand: the upscaler a model argument names, at a scale, tiled as given. */
public final class Resolve {

    private Resolve() {
    }

    public static Upscaler upscaler(String model, int scale, int tile, int overlap, int batch, ModelCatalog catalog) {
        return new ModelResolver(catalog).resolve(model).upscaler(scale, new Tiling(tile, overlap, batch, 0, false));
    }
}
