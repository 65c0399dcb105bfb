package io.github.superresolve.cli;

import io.github.superresolve.nn.ModelCatalog;

import java.io.PrintStream;

/**
 * The commands' model catalog: {@link ModelCatalog#standard()}, with the files of the models folders
 * that are left out of it ({@link ModelCatalog#skipped()}: damaged, hostile, or not models) reported
 * once on standard error, one line each, before the command goes on with the other models.
 */
final class ModelFolders {

    private ModelFolders() {
    }

    /** The standard catalog, its skipped files reported on {@code err}. */
    static ModelCatalog catalog(PrintStream err) {
        ModelCatalog catalog = ModelCatalog.standard();
        for (ModelCatalog.Skipped s : catalog.skipped()) err.println("super-resolve: warning: " + s.warning());
        return catalog;
    }
}
