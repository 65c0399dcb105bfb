package io.github.superresolve.ij;

import org.scijava.Context;

/**
 * The one SciJava context the ImageJ 1.x bridge runs commands in, created on first use and kept for
 * the life of ImageJ, so models stay loaded between macro calls.
 *
 * <p>It is the plugin's own context, in Fiji too: the plugin runs in its own class loader
 * ({@link io.github.superresolve.boot.PluginHome}), so its context is built from that loader's plugins
 * only (SciJava Common's and ours). Fiji's context, with its input harvesters (dialogs) and macro
 * recorder processors, never runs our commands: no dialog opens in a macro, no recorded line is
 * doubled, and what the ImageJ 1.x tests run is what runs in Fiji.
 */
public final class SharedContext {

    private static Context context;

    private SharedContext() {
    }

    public static synchronized Context get() {
        if (context != null) return context;
        // SciJava discovers plugins through the thread's context class loader: make it ours
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(SharedContext.class.getClassLoader());
        try {
            context = new Context();
        } finally {
            t.setContextClassLoader(before);
        }
        return context;
    }
}
