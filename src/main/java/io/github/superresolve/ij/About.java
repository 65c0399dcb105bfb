package io.github.superresolve.ij;

import ij.IJ;
import ij.plugin.PlugIn;
import io.github.superresolve.nn.ModelCatalog;

/** Shows the version, the native backend, the installed models and the files of the models folder left out (with why). */
public class About implements PlugIn {
    @Override
    public void run(String arg) {
        SuperResolveService s = SharedContext.get().getService(SuperResolveService.class);
        StringBuilder b = new StringBuilder("Super-Resolve " + Version.get() + "\n\nModels:\n");
        for (ModelCatalog.Entry e : s.catalog().entries().values()) b.append("  ").append(e.card().summary()).append('\n');
        b.append("  bicubic, lanczos (interpolation)\n");
        for (ModelCatalog.Skipped k : s.catalog().skipped()) b.append("\n").append(k.warning()).append('\n');
        IJ.showMessage("About Super-Resolve", b.toString());
    }
}
