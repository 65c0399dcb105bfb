package io.github.superresolve.resolve;

import io.github.superresolve.exchange.ForeignModel;
import io.github.superresolve.exchange.ForeignModels;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.infer.InterpolationUpscaler;
import io.github.superresolve.infer.NetworkUpscaler;
import io.github.superresolve.nn.Generator;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCard;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.nn.ModelException;

import java.nio.file.Paths;
import java.util.Locale;

/**
 * Turns a model argument into a {@link ResolvedModel}: {@code bicubic}, {@code lanczos} (or
 * {@code lanczos3}), an installed model's name or a Super-Resolve model zip ({@link ModelCatalog}), an
 * {@code .onnx} file, a bioimage.io {@code rdf.yaml} or package zip ({@link ForeignModels}). The one
 * place that reads a model argument: {@code upscale}, {@code compare}, {@code demo}, the Fiji commands
 * and dialogs and the Spark job all ask here, so a model that works in one works in all, and a missing
 * scale means the model's own everywhere.
 */
public final class ModelResolver {

    public static final String BICUBIC = "bicubic";
    public static final String LANCZOS = "lanczos";
    /** The scale of interpolation when none is asked. */
    public static final int INTERPOLATION_SCALE = 4;

    private final ModelCatalog catalog;

    public ModelResolver(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /** The resolver over the standard catalog (bundled models, the user's folder). */
    public static ModelResolver standard() {
        return new ModelResolver(ModelCatalog.standard());
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    /** The interpolation kernel a name gives, or null. */
    static Kernel interpolation(String model) {
        String m = model.trim().toLowerCase(Locale.ROOT);
        if (m.equals(BICUBIC)) return Kernel.BICUBIC;
        if (m.equals(LANCZOS) || m.equals("lanczos3")) return Kernel.LANCZOS3;
        return null;
    }

    /** Whether a name is an interpolation rather than a network. */
    public static boolean isInterpolation(String model) {
        return model != null && interpolation(model) != null;
    }

    /**
     * The model {@code model} names. Networks from elsewhere are opened (an ONNX file's scale and radius
     * are measured by running it; opened networks are kept, {@link ForeignModels}); Super-Resolve models
     * are loaded ({@link ModelCatalog}). Errors are one sentence naming the argument.
     */
    public ResolvedModel resolve(String model) {
        if (model == null || model.isBlank()) throw new IllegalArgumentException("No model given: choose bicubic, lanczos or a model name.");
        String m = model.trim();
        Kernel k = interpolation(m);
        if (k != null) {
            String name = k == Kernel.BICUBIC ? BICUBIC : LANCZOS;
            return new ResolvedModel(name, m, ResolvedModel.Kind.INTERPOLATION, INTERPOLATION_SCALE, 0, null, 0, s -> true,
                    "any factor from " + ResolvedModel.MIN_SCALE + " to " + ResolvedModel.MAX_SCALE, (s, t) -> new InterpolationUpscaler(k, s));
        }
        if (ForeignModels.isForeign(m)) {
            ForeignModel f = ForeignModels.open(m);
            int own = f.scale();
            return new ResolvedModel(f.name(), f.source(), ResolvedModel.Kind.FOREIGN, own, f.network().channels(), f.rule(),
                    f.network().receptiveRadius(), s -> s == own, String.valueOf(own),
                    (s, t) -> new NetworkUpscaler(f.name(), t.worker() ? f.network().worker() : f.network(), t.tile(), t.overlap(), t.batch(),
                            t.memoryLimit()).withIntensityRule(f.rule()));
        }
        Model net = catalog.load(m);
        ModelCard card = net.card();
        int own = card.scale();
        return new ResolvedModel(card.name(), net.source(), ResolvedModel.Kind.SUPER_RESOLVE, own, card.channels(), null,
                net.generator().receptiveRadius(), s -> applications(card, s) > 0, factors(card),
                (s, t) -> {
                    Generator g = generatorFor(net, s);
                    return new NetworkUpscaler(s == own ? card.name() : card.name() + "-x" + s, t.worker() ? g.worker() : g,
                            t.tile(), t.overlap(), t.batch(), t.memoryLimit());
                });
    }

    /**
     * The scale a model argument declares without opening a network or loading weights: a model's card,
     * a package's description; null for interpolation (any scale), a bare ONNX file (known once it runs)
     * and anything unreadable (reported when the model is used). For dialogs that show a model's scale.
     */
    public Integer declaredScale(String model) {
        if (model == null || model.isBlank() || isInterpolation(model)) return null;
        String m = model.trim();
        ModelCatalog.Entry e = catalog.entries().get(m);
        if (e != null) return e.card().scale();
        if (m.toLowerCase(Locale.ROOT).endsWith(".zip")) {
            try {
                ModelCard c = ModelCatalog.cardOf(Paths.get(m));
                if (c != null) return c.scale();
            } catch (RuntimeException ignored) {
                // not a path, or not a Super-Resolve zip: a package, perhaps
            }
        }
        return ForeignModels.isForeign(m) ? ForeignModels.scaleOf(m) : null;
    }

    /**
     * How many times a model's network is applied for {@code scale}: 1 at its own scale; a recursive
     * model (rGAN) reaches every power of its stage factor by applying its stages in turn and reapplying
     * the last. 0 when it cannot.
     */
    static int applications(ModelCard card, int scale) {
        if (scale == card.scale()) return card.stages() > 1 ? card.stages() : 1;
        if (card.stages() <= 1) return 0;
        int stage = card.config().scale(), k = 0;
        long s = 1;
        while (s < scale) {
            s *= stage;
            k++;
        }
        return s == scale ? k : 0;
    }

    /** The factors a model supports, in words: "2", or for a recursive model "powers of 2 (2, 4, 8, 16)". */
    static String factors(ModelCard card) {
        if (card.stages() <= 1) return String.valueOf(card.scale());
        int stage = card.config().scale();
        StringBuilder b = new StringBuilder("powers of " + stage + " (");
        for (long s = stage; s <= ResolvedModel.MAX_SCALE; s *= stage) b.append(s == stage ? "" : ", ").append(s);
        return b.append(")").toString();
    }

    /** The generator of a model for a scale it supports ({@link #applications}). */
    public static Generator generatorFor(Model net, int scale) {
        ModelCard card = net.card();
        int k = applications(card, scale);
        if (k == 0) {
            if (card.stages() > 1)
                throw new ModelException("Model " + card.name() + " upscales by powers of " + card.config().scale() + ", not by " + scale
                        + ": set scale=" + card.scale() + " or " + card.scale() * card.config().scale() + ".");
            throw new ModelException("Model " + card.name() + " upscales by " + card.scale() + ", but scale " + scale
                    + " was asked: set scale=" + card.scale() + " or choose a model for x" + scale + ".");
        }
        return scale == card.scale() ? net.generator() : net.generator(k);
    }
}
