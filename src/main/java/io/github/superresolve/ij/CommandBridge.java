package io.github.superresolve.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import org.scijava.Context;
import org.scijava.ItemIO;
import org.scijava.app.event.StatusEvent;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.service.Service;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a SciJava command from an ImageJ 1.x menu entry (plugins.config). The argument is the command's
 * class name. With macro options ({@code run("Super-Resolve Image...", "model=... scale=...")}) the values
 * are read from the options and no dialog is built, so it works in {@code ImageJ -batch} and headless
 * Fiji; otherwise a {@link GenericDialog} is built from the command's parameters (labels give the
 * snake_case macro keys, so the Recorder writes the same keys a macro uses). The command runs in the
 * {@link SharedContext}; an {@link ImagePlus} input is the current image, or in a macro the open image
 * whose title the options give under the input's name ({@code image=[blobs.gif]}); {@link ImagePlus} outputs are
 * shown; progress goes to ImageJ's progress bar and Esc cancels.
 */
public class CommandBridge implements PlugIn {

    @Override
    public void run(String arg) {
        String title = "Super-Resolve";
        try {
            Class<?> cls = Class.forName(arg.trim(), true, getClass().getClassLoader());
            Context context = SharedContext.get();
            CommandService commands = context.getService(CommandService.class);
            CommandInfo info = commands.getCommand(cls.getName());
            if (info == null) throw new IllegalStateException("Command " + arg + " is not registered: reinstall Super-Resolve.");
            title = info.getLabel() == null ? title : info.getLabel();
            ModuleService modules = context.getService(ModuleService.class);
            Module module = modules.createModule(info);
            try {
                module.initialize();
            } catch (org.scijava.module.MethodCallException e) {
                fail(title, "Super-Resolve could not start " + title + ": " + message(e));
                return;
            }
            Map<String, Object> inputs = new LinkedHashMap<>();
            List<ModuleItem<?>> images = imageItems(info);
            if (!images.isEmpty() && WindowManager.getCurrentImage() == null) {
                fail(title, "There is no image open: open an image, then run " + title + " again.");
                return;
            }
            String options = Macro.getOptions();
            // the module's own items: a DynamicCommand's initializers fill their choices (installed models)
            List<ModuleItem<?>> fields = dialogItems(module.getInfo());
            for (ModuleItem<?> item : images) {
                // a macro names images by title (image=[a.tif]; reference=[a.tif] test=[b.tif]); one image
                // left unnamed is the current one, several must each be named (dialogs offer choices)
                String wanted = options == null ? null : Macro.getValue(options, item.getName(), null);
                if (wanted == null) {
                    if (images.size() == 1) inputs.put(item.getName(), WindowManager.getCurrentImage());
                    else if (options != null) {
                        fail(title, "Name the " + item.getName() + " image in the macro options (" + item.getName() + "=[window title]).");
                        return;
                    }
                    continue;
                }
                ImagePlus imp = WindowManager.getImage(wanted);
                if (imp == null) {
                    fail(title, "No open image is titled '" + wanted + "': give the title of an open image as " + item.getName()
                            + "=[...]" + (images.size() == 1 ? ", or leave it out to use the current image." : "."));
                    return;
                }
                inputs.put(item.getName(), imp);
            }
            if (options != null) {
                for (ModuleItem<?> item : fields) {
                    if (box(item.getType()) == Boolean.class) {
                        // ImageJ records a ticked checkbox as the bare key ("resume"), an unticked one not at all
                        inputs.put(item.getName(), macroFlag(options, item.getName()));
                        continue;
                    }
                    Object current = module.getInput(item.getName());
                    String v = Macro.getValue(options, item.getName(), current == null ? null : String.valueOf(current));
                    if (v != null) inputs.put(item.getName(), convert(item, v));
                }
            } else if (!showDialog(title, context, module, fields, images.size() > 1 ? images : List.of(), inputs)) {
                return; // cancelled
            }
            runAndShow(context, commands, cls, inputs, title);
        } catch (ClassNotFoundException e) {
            fail(title, "Super-Resolve is not installed correctly (class " + arg + " not found): reinstall it.");
        } catch (IllegalArgumentException e) {
            fail(title, e.getMessage());
        }
    }

    /** The command's image inputs: one is the current image; several are chosen by window title. */
    static List<ModuleItem<?>> imageItems(CommandInfo info) {
        List<ModuleItem<?>> l = new ArrayList<>();
        for (ModuleItem<?> item : info.inputs()) if (item.getType() == ImagePlus.class) l.add(item);
        return l;
    }

    /** Inputs shown in a dialog / read from macro options: everything but images, services and the context. */
    static List<ModuleItem<?>> dialogItems(org.scijava.module.ModuleInfo info) {
        List<ModuleItem<?>> l = new ArrayList<>();
        for (ModuleItem<?> item : info.inputs()) {
            Class<?> t = item.getType();
            if (t == ImagePlus.class || Service.class.isAssignableFrom(t) || t == Context.class) continue;
            if (item.getIOType() == ItemIO.OUTPUT) continue;
            if (!(t == String.class || t == File.class || t == boolean.class || t == Boolean.class || Number.class.isAssignableFrom(box(t))))
                continue;
            l.add(item);
        }
        return l;
    }

    /** A checkbox in macro options: the bare key, or key=true/false. */
    static boolean macroFlag(String options, String key) {
        String v = Macro.getValue(options, key, null);
        if (v != null) return Boolean.parseBoolean(v) || v.equals("1");
        return java.util.regex.Pattern.compile("(^|\\s)" + java.util.regex.Pattern.quote(key) + "(\\s|$)").matcher(options).find();
    }

    private static Class<?> box(Class<?> t) {
        if (t == boolean.class) return Boolean.class;
        if (t == int.class) return Integer.class;
        if (t == double.class) return Double.class;
        if (t == float.class) return Float.class;
        if (t == long.class) return Long.class;
        return t;
    }

    /** Whether a file parameter names a folder: its widget style says so ({@code style = "directory"}), or its name does. */
    static boolean isDirectory(ModuleItem<?> item) {
        if (styles(item).contains("directory")) return true;
        String n = item.getName().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith("directory") || n.endsWith("folder") || n.endsWith("_dir");
    }

    /** Label whose first word, lower-cased, is the macro key (GenericDialog shows '_' as a space). */
    static String dialogLabel(ModuleItem<?> item) {
        String key = item.getName();
        return Character.toUpperCase(key.charAt(0)) + key.substring(1);
    }

    /**
     * The value a numeric parameter takes for "automatic", when its widget style declares one
     * ({@code style = "auto=0"}): dialogs show the word {@value #AUTO} for it and macros take the word
     * or the number. Null for other parameters.
     */
    static Double autoValue(ModuleItem<?> item) {
        for (String st : styles(item))
            if (st.startsWith("auto=")) return Double.parseDouble(st.substring(5).trim());
        return null;
    }

    /** The style marking a comma-separated list of methods: dialogs offer the installed ones to tick. */
    static final String METHODS = "methods";

    /** The style marking an input that dialogs show in a second, advanced step. */
    static final String ADVANCED = "advanced";

    /**
     * The style marking an input that only macros give: an older spelling of choices a dialog now offers
     * otherwise, kept so that recorded macros keep working (dialogs do not show it).
     */
    static final String MACRO_ONLY = "macro-only";

    /** The comma-separated words of an input's widget style ({@code "auto=0,advanced"}). */
    static List<String> styles(ModuleItem<?> item) {
        String style = item.getWidgetStyle();
        if (style == null || style.isBlank()) return List.of();
        List<String> l = new ArrayList<>();
        for (String w : style.split(",")) l.add(w.trim());
        return l;
    }

    /** The word dialogs show, and macros take, for an automatic choice. */
    static final String AUTO = "auto";

    /**
     * Decimal places a dialog shows a number with: none for whole numbers; scientific notation for
     * small and large values, so that a learning rate of 1e-4 shows as 1.00E-4 and not 0.000; else 3.
     */
    static int digits(Class<?> t, double v) {
        if (t == Integer.class || t == Long.class) return 0;
        double a = Math.abs(v);
        return a != 0 && (a < 0.01 || a >= 1e6) ? -2 : 3;
    }

    /** A numeric value as a dialog shows it ({@link #digits}), or the word for its automatic value. */
    static String shown(ModuleItem<?> item, Object v) {
        Class<?> t = box(item.getType());
        double d = v == null ? 0 : ((Number) v).doubleValue();
        Double auto = autoValue(item);
        if (auto != null && d == auto) return AUTO;
        return ij.IJ.d2s(d, digits(t, d));
    }

    static Object convert(ModuleItem<?> item, String v) {
        Class<?> t = box(item.getType());
        String key = item.getName();
        Double auto = autoValue(item);
        if (auto != null && v.trim().equalsIgnoreCase(AUTO)) v = String.valueOf(auto);
        try {
            if (t == String.class) return v;
            if (t == File.class) return new File(v);
            if (t == Boolean.class) return Boolean.parseBoolean(v) || v.equals("1");
            double d = Double.parseDouble(v);
            if (t == Integer.class) {
                if (d != Math.rint(d)) throw new NumberFormatException();
                return (int) d;
            }
            if (t == Long.class) return (long) d;
            if (t == Float.class) return (float) d;
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Macro option " + key + "=" + v + " is not a valid "
                    + (t == Integer.class || t == Long.class ? "whole number" : "number") + ".");
        }
    }

    /**
     * The command's dialog: its essential inputs, and when some are marked advanced ({@code style}
     * containing {@value #ADVANCED}) a checkbox that opens a second dialog with those (left at their
     * defaults otherwise). Both record into the same macro line, under the same keys as before.
     */
    private boolean showDialog(String title, Context context, Module module, List<ModuleItem<?>> fields, List<ModuleItem<?>> images, Map<String, Object> inputs) {
        List<ModuleItem<?>> essential = new ArrayList<>(), advanced = new ArrayList<>();
        for (ModuleItem<?> item : fields) {
            if (styles(item).contains(MACRO_ONLY)) continue;
            (styles(item).contains(ADVANCED) ? advanced : essential).add(item);
        }
        GenericDialog gd = new GenericDialog(title);
        for (ModuleItem<?> item : images) gd.addImageChoice(dialogLabel(item), WindowManager.getCurrentImage().getTitle());
        addFields(gd, context, module, essential, images.size());
        if (!advanced.isEmpty()) gd.addCheckbox("Advanced_options (" + advanced.size() + " more, in a second dialog)", false);
        gd.addHelp("https://github.com/super-resolve/super-resolve#readme");
        gd.showDialog();
        if (gd.wasCanceled()) return false;
        for (ModuleItem<?> item : images) inputs.put(item.getName(), gd.getNextImage());
        readFields(gd, essential, inputs);
        if (advanced.isEmpty() || !gd.getNextBoolean()) return true;
        GenericDialog more = new GenericDialog(title + ": advanced options");
        addFields(more, context, module, advanced, 0);
        more.addHelp("https://github.com/super-resolve/super-resolve#readme");
        more.showDialog();
        if (more.wasCanceled()) return false;
        readFields(more, advanced, inputs);
        return true;
    }

    /** Adds fields for {@code items} after {@code choicesBefore} choices already in the dialog. */
    private void addFields(GenericDialog gd, Context context, Module module, List<ModuleItem<?>> items, int choicesBefore) {
        int choicesAdded = choicesBefore, numbersAdded = 0, stringsAdded = 0, modelChoice = -1, scaleField = -1;
        boolean scaleIsString = false;
        for (ModuleItem<?> item : items) {
            Object v = module.getInput(item.getName());
            String label = dialogLabel(item);
            Class<?> t = box(item.getType());
            List<?> choices = item.getChoices();
            if (t == String.class && choices != null && !choices.isEmpty()) {
                String[] c = item.getName().equals("model")
                        ? ModelChoiceField.entries(choices, v == null ? null : String.valueOf(v))
                        : choices.stream().map(String::valueOf).toArray(String[]::new);
                if (item.getName().equals("model")) modelChoice = choicesAdded;
                gd.addChoice(label, c, v == null ? c[0] : String.valueOf(v));
                choicesAdded++;
            } else if (t == Boolean.class) {
                gd.addCheckbox(label, v != null && (Boolean) v);
            } else if (Number.class.isAssignableFrom(t) && autoValue(item) != null) {
                // a word for the automatic choice: a text field taking "auto" or a number
                if (item.getName().equals("scale")) {
                    scaleField = stringsAdded;
                    scaleIsString = true;
                }
                gd.addStringField(label, shown(item, v), 8);
                stringsAdded++;
            } else if (Number.class.isAssignableFrom(t)) {
                double d = v == null ? 0 : ((Number) v).doubleValue();
                if (item.getName().equals("scale")) scaleField = numbersAdded;
                int digits = digits(t, d);
                gd.addNumericField(label, d, digits, digits < 0 ? 9 : 6, null); // scientific notation needs room: 1.000E-4
                numbersAdded++;
            } else if (t == File.class) {
                // a Browse button beside the path: a folder for directories, else a file
                String path = v == null ? "" : v.toString();
                if (isDirectory(item)) gd.addDirectoryField(label, path, 32);
                else gd.addFileField(label, path, 32);
                stringsAdded++;
            } else if (styles(item).contains(METHODS) && context.getService(SuperResolveService.class) != null) {
                // a list of methods: typed, or ticked in a second dialog of the installed ones (Choose methods...)
                gd.addStringField(label, v == null ? "" : String.valueOf(v), 32);
                java.awt.TextField field = (java.awt.TextField) gd.getStringFields().lastElement();
                SuperResolveService service = context.getService(SuperResolveService.class);
                gd.addButton("Choose methods...", event -> field.setText(MethodPicker.pick(service.modelChoices(), field.getText())));
                stringsAdded++;
            } else {
                gd.addStringField(label, v == null ? "" : String.valueOf(v), 24);
                stringsAdded++;
            }
        }
        SuperResolveService service = context.getService(SuperResolveService.class);
        if (modelChoice >= 0 && service != null && gd.getChoices() != null) {
            java.util.Vector<?> scaleFields = scaleIsString ? gd.getStringFields() : gd.getNumericFields();
            java.awt.TextField scale = scaleField >= 0 && scaleFields != null ? (java.awt.TextField) scaleFields.get(scaleField) : null;
            new ModelChoiceField(service.catalog()).attach(gd, (java.awt.Choice) gd.getChoices().get(modelChoice), scale);
        }
    }

    /** Reads the values of {@code items} from a shown dialog, in the order {@link #addFields} added them. */
    private static void readFields(GenericDialog gd, List<ModuleItem<?>> items, Map<String, Object> inputs) {
        for (ModuleItem<?> item : items) {
            Class<?> t = box(item.getType());
            List<?> choices = item.getChoices();
            Object value;
            if (t == String.class && choices != null && !choices.isEmpty()) value = gd.getNextChoice();
            else if (t == Boolean.class) value = gd.getNextBoolean();
            else if (Number.class.isAssignableFrom(t) && autoValue(item) != null) {
                String s = gd.getNextString().trim();
                try {
                    value = convert(item, s);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(dialogLabel(item).replace('_', ' ') + " must be a number or auto, not '" + s + "'.");
                }
            } else if (Number.class.isAssignableFrom(t)) {
                double d = gd.getNextNumber();
                if (Double.isNaN(d)) throw new IllegalArgumentException(dialogLabel(item).replace('_', ' ') + " must be a number.");
                value = convert(item, t == Integer.class || t == Long.class ? String.valueOf((long) Math.rint(d)) : String.valueOf(d));
            } else if (t == File.class) value = new File(gd.getNextString());
            else value = gd.getNextString();
            inputs.put(item.getName(), value);
        }
    }

    private void runAndShow(Context context, CommandService commands, Class<?> cls, Map<String, Object> inputs, String title) {
        ProgressForwarder forwarder = new ProgressForwarder();
        EventService events = context.getService(EventService.class);
        List<org.scijava.event.EventSubscriber<?>> subscribers = events == null ? null : events.subscribe(forwarder);
        // ModuleService, not CommandService.run: the commands are DynamicCommands (modules themselves),
        // for which CommandService.run returns null
        ModuleService modules = context.getService(ModuleService.class);
        // the usual pre- and postprocessors, but not SciJava's display postprocessor: without a SciJava
        // UI it only warns "Ignoring unsupported output"; the outputs are shown by ImageJ 1.x below
        org.scijava.plugin.PluginService plugins = context.getService(org.scijava.plugin.PluginService.class);
        // and no input harvester: values come from the macro options or our GenericDialog, so a dialog
        // never opens in a macro that leaves an optional key out (the context is our own, see
        // SharedContext, so Fiji's harvesters and macro-recorder processors are not in it anyway)
        List<org.scijava.module.process.PreprocessorPlugin> pre = new ArrayList<>();
        for (org.scijava.module.process.PreprocessorPlugin p : plugins.createInstancesOfType(org.scijava.module.process.PreprocessorPlugin.class))
            if (!(p instanceof org.scijava.widget.InputHarvester)) pre.add(p);
        List<org.scijava.module.process.PostprocessorPlugin> post = new ArrayList<>();
        for (org.scijava.module.process.PostprocessorPlugin p : plugins.createInstancesOfType(org.scijava.module.process.PostprocessorPlugin.class))
            if (!(p instanceof org.scijava.display.DisplayPostprocessor)) post.add(p);
        Module module;
        try {
            module = modules.createModule(commands.getCommand(cls.getName()));
        } catch (RuntimeException e) {
            fail(title, "Super-Resolve could not start " + title + ": " + message(e));
            return;
        }
        Future<Module> future = modules.run(module, pre, post, inputs);
        try {
            Module done = null;
            while (done == null) {
                try {
                    done = future.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException waiting) {
                    if (IJ.escapePressed()) {
                        future.cancel(true);
                        IJ.resetEscape();
                        IJ.showStatus(title + " cancelled.");
                        IJ.showProgress(1.0);
                        return;
                    }
                }
            }
            if (done instanceof org.scijava.Cancelable c && c.isCanceled()) {
                String reason = c.getCancelReason();
                if (reason != null && !reason.isBlank()) fail(title, reason);
                return;
            }
            for (ModuleItem<?> item : done.getInfo().outputs()) {
                Object o = done.getOutput(item.getName());
                if (o instanceof ImagePlus imp) imp.show();
                else if (o instanceof ij.measure.ResultsTable rt)
                    rt.show(item.getLabel() == null || item.getLabel().isBlank() ? title : item.getLabel());
            }
        } catch (CancellationException e) {
            IJ.showStatus(title + " cancelled.");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            fail(title, message(e.getCause()));
        } finally {
            IJ.showProgress(1.0);
            if (subscribers != null) events.unsubscribe(subscribers);
        }
    }

    /** The user-facing sentence of a failure: our own exceptions carry one; others get a short form. */
    static String message(Throwable t) {
        Throwable c = t;
        while (c != null && c.getCause() != null && (c.getMessage() == null || c instanceof RuntimeException && c.getClass() == RuntimeException.class))
            c = c.getCause();
        if (c == null) return "Unknown error.";
        if (c instanceof OutOfMemoryError)
            return "Not enough memory: give ImageJ more memory (Edit > Options > Memory & Threads) or set a smaller Memory_limit_MB.";
        if (c instanceof CancellationException) return "Cancelled.";
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : m;
    }

    private static void fail(String title, String message) {
        io.github.superresolve.boot.Launcher.fail(title, message);
    }

    /** Sends SciJava status events to ImageJ 1.x's status line and progress bar. */
    public static final class ProgressForwarder {
        @EventHandler
        public void onStatus(StatusEvent e) {
            if (e.getStatusMessage() != null && !e.getStatusMessage().isEmpty()) IJ.showStatus(e.getStatusMessage());
            if (e.getProgressMaximum() > 0) IJ.showProgress(e.getProgressValue(), e.getProgressMaximum());
        }
    }
}
