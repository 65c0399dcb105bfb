package io.github.superresolve.ij;

import ij.IJ;
import ij.plugin.PlugIn;
import io.github.superresolve.nn.ModelCatalog;

/** Shows the version, the installed models, the files of the models folder left out (with why) and the folders the plugin was loaded from. */
public class About implements PlugIn {
    @Override
    public void run(String arg) {
        SuperResolveService s = SharedContext.get().getService(SuperResolveService.class);
        StringBuilder b = new StringBuilder("Super-Resolve " + Version.get() + "\n\nModels:\n");
        for (ModelCatalog.Entry e : s.catalog().entries().values()) b.append("  ").append(e.card().summary()).append('\n');
        b.append("  bicubic, lanczos (interpolation)\n");
        String from = System.getProperty(io.github.superresolve.boot.PluginHome.LOADED_FROM);
        if (from != null) b.append("\nLoaded from:\n  ").append(from.replace(java.io.File.pathSeparator, "\n  ")).append('\n');
        for (ModelCatalog.Skipped k : s.catalog().skipped()) b.append("\n").append(k.warning()).append('\n');
        IJ.showMessage("About Super-Resolve", b.toString());
    }
}
