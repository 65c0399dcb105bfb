package io.github.superresolve.ij;

import ij.gui.GenericDialog;
import ij.io.OpenDialog;
import io.github.superresolve.nn.ModelCatalog;

import java.awt.Choice;
import java.awt.TextField;

/**
 * The dialog's model field: a list of the installed models, bicubic and Lanczos, and
 * <em>Model file...</em>, which opens a file chooser and puts the chosen file into the list (so the
 * Recorder writes {@code model=[/path/model.zip]}, which a macro accepts as before). Choosing a model
 * sets the scale field to the model's own scale. Macros are not affected: with macro options the
 * bridge builds no dialog. The installed models are the catalog's: a damaged or hostile file in the
 * models folder is not among them (the service logs it once, {@link SuperResolveService}), and a chosen
 * file's scale is read from its card alone, at most 1 MB of it ({@link ModelCatalog#cardOf}).
 */
final class ModelChoiceField {

    /** The last entry of the model list. */
    static final String BROWSE = "Model file...";

    private final ModelCatalog catalog;
    private Choice choice;
    private TextField scale;
    private String previous;

    ModelChoiceField(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /** The entries of the list: the command's choices, then {@link #BROWSE}; the current value first if it is a file. */
    static String[] entries(java.util.List<?> choices, String current) {
        java.util.List<String> l = new java.util.ArrayList<>();
        for (Object c : choices) l.add(String.valueOf(c));
        if (current != null && !current.isBlank() && !l.contains(current)) l.add(current);
        l.add(BROWSE);
        return l.toArray(new String[0]);
    }

    /** The scale a model name or file declares, or null (interpolation, a bare ONNX file, unknown, unreadable). */
    Integer scaleOf(String model) {
        if (model == null || model.equals(BROWSE)) return null;
        return new io.github.superresolve.resolve.ModelResolver(catalog).declaredScale(model);
    }

    /** Connects the model list and the scale field of a built dialog (either may be null). */
    void attach(GenericDialog gd, Choice modelChoice, TextField scaleField) {
        this.choice = modelChoice;
        this.scale = scaleField;
        if (choice == null) return;
        previous = choice.getSelectedItem();
        Integer s = scaleOf(previous);
        if (s != null && scale != null) scale.setText(String.valueOf(s));
        gd.addDialogListener((dialog, event) -> {
            if (event != null && event.getSource() == choice) chosen();
            return true;
        });
    }

    private void chosen() {
        String sel = choice.getSelectedItem();
        if (BROWSE.equals(sel)) {
            OpenDialog od = new OpenDialog("Choose a model: Super-Resolve .zip, .onnx, or a bioimage.io rdf.yaml or package zip");
            String path = od.getPath();
            if (path == null) {
                choice.select(previous);
                return;
            }
            boolean listed = false;
            for (int i = 0; i < choice.getItemCount(); i++) listed |= choice.getItem(i).equals(path);
            if (!listed) choice.insert(path, choice.getItemCount() - 1);
            choice.select(path);
            sel = path;
        }
        previous = sel;
        Integer s = scaleOf(sel);
        if (s != null && scale != null) scale.setText(String.valueOf(s));
    }
}
