package io.github.superresolve.ij;

import io.github.superresolve.nn.ModelCatalog;
import org.scijava.log.LogService;
import org.scijava.plugin.Plugin;
import org.scijava.service.AbstractService;
import org.scijava.service.SciJavaService;
import org.scijava.service.Service;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps Super-Resolve's state in the SciJava context: the model catalog with its loaded models, so that
 * a macro over many images reads and builds a model once. A file of the models folder that is not a
 * readable model ({@link ModelCatalog#skipped()}: damaged, hostile, not a model) is left out of the
 * dialogs' model lists and named once per catalog, with why, as a warning in the log (SciJava's
 * {@link LogService}, or ImageJ's Log window without a context); the other models stay in the lists.
 */
@Plugin(type = Service.class)
public class SuperResolveService extends AbstractService implements SciJavaService {

    private volatile ModelCatalog catalog;

    public ModelCatalog catalog() {
        ModelCatalog c = catalog;
        if (c == null) {
            synchronized (this) {
                if (catalog == null) {
                    catalog = ModelCatalog.standard();
                    report(catalog);
                }
                c = catalog;
            }
        }
        return c;
    }

    /** Replaces the catalog (tests, or a user-chosen models folder). */
    public synchronized void setCatalog(ModelCatalog catalog) {
        this.catalog = catalog;
        report(catalog);
    }

    /** Names each file the catalog leaves out, once, as a warning in SciJava's log and in ImageJ's Log window. */
    private void report(ModelCatalog c) {
        List<ModelCatalog.Skipped> skipped = c.skipped();
        if (skipped.isEmpty()) return;
        LogService log = getContext() == null ? null : getContext().getService(LogService.class);
        for (ModelCatalog.Skipped s : skipped) {
            String line = "Super-Resolve: " + s.warning();
            if (log != null) log.warn(line);
            ij.IJ.log(line); // ImageJ's Log window, where an ImageJ or Fiji user looks (standard output in batch mode)
        }
    }

    /** The resolver of model arguments over this service's catalog. */
    public io.github.superresolve.resolve.ModelResolver resolver() {
        return new io.github.superresolve.resolve.ModelResolver(catalog());
    }

    /** Choices for a model parameter: found models first (best first), then bicubic and lanczos. */
    public List<String> modelChoices() {
        List<String> l = new ArrayList<>(catalog().names());
        l.add(io.github.superresolve.resolve.ModelResolver.LANCZOS);
        l.add(io.github.superresolve.resolve.ModelResolver.BICUBIC);
        return l;
    }

    /** The model used when none is named: srresnet-x4 if installed, else the first model, else lanczos. */
    public String defaultModel() {
        List<String> names = catalog().names();
        if (names.contains("srresnet-x4")) return "srresnet-x4";
        return names.isEmpty() ? io.github.superresolve.resolve.ModelResolver.LANCZOS : names.get(0);
    }
}
