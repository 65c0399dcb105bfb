package io.github.superresolve.boot;

import ij.IJ;
import ij.Macro;
import ij.plugin.PlugIn;

/**
 * What ImageJ's menu entries ({@code plugins.config}) call: checks Java, then runs a plugin class of
 * Super-Resolve inside its own class loader ({@link PluginHome}). The argument is that class's name,
 * optionally followed by a space and the argument it gets, e.g.
 * {@code io.github.superresolve.ij.CommandBridge io.github.superresolve.ij.SuperResolveImage}.
 * Java 8 source level.
 */
public class Launcher implements PlugIn {

    private static final String TITLE = "Super-Resolve";

    @Override
    public void run(String arg) {
        String problem = JavaVersion.problem();
        if (problem != null) {
            fail(TITLE, problem);
            return;
        }
        String spec = arg == null ? "" : arg.trim();
        int space = spec.indexOf(' ');
        String className = space < 0 ? spec : spec.substring(0, space);
        String argument = space < 0 ? "" : spec.substring(space + 1).trim();
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try {
            ClassLoader loader = PluginHome.loader();
            thread.setContextClassLoader(loader);
            Object plugin = Class.forName(className, true, loader).getDeclaredConstructor().newInstance();
            ((PlugIn) plugin).run(argument);
        } catch (IllegalStateException e) {
            fail(TITLE, e.getMessage());
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            fail(TITLE, "Super-Resolve is not installed correctly (" + e + "): update it from the Super-Resolve update site (Help > Update...), or unzip the Super-Resolve zip for your platform into the ImageJ or Fiji folder again, then restart ImageJ.");
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /**
     * Reports a failure as one sentence, the plugin's one convention for it: in a macro the sentence goes
     * to the Log and the macro stops (ImageJ's convention), with a dialog only when ImageJ has a window
     * (under {@code ImageJ -batch} nobody could close it); otherwise a dialog.
     */
    public static void fail(String title, String message) {
        if (Macro.getOptions() != null || IJ.isMacro()) {
            IJ.log(title + ": " + message);
            if (IJ.getInstance() != null) IJ.error(title, message);
            // Macro.abort() stops macros on ImageJ's own macro threads; Interpreter.abort() also the one
            // "ImageJ -batch" runs on the main thread (it ends after the current statement)
            ij.macro.Interpreter.abort();
            Macro.abort();
        } else {
            IJ.error(title, message);
        }
    }
}
