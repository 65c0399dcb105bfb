package io.github.superresolve.ij;

import ij.IJ;
import org.scijava.Context;

/**
 * The one SciJava context the ImageJ 1.x bridge runs commands in: Fiji's own context when running in
 * Fiji (imagej-legacy answers {@code IJ.runPlugIn("org.scijava.Context", "")} with it), otherwise one
 * created on first use and kept for the life of ImageJ, so models stay loaded between macro calls.
 * (In plain ImageJ 1.x that call would build a new context each time, so it is only made when
 * imagej-legacy is present.)
 */
public final class SharedContext {

    private static Context context;

    private SharedContext() {
    }

    public static synchronized Context get() {
        if (context != null) return context;
        if (legacyPresent()) {
            try {
                Object o = IJ.runPlugIn("org.scijava.Context", "");
                if (o instanceof Context c) return context = c;
            } catch (RuntimeException | LinkageError e) {
                // fall through to an own context
            }
        }
        return context = new Context();
    }

    private static boolean legacyPresent() {
        try {
            Class.forName("net.imagej.legacy.LegacyService", false, SharedContext.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
