package io.github.superresolve.ij;

import ij.gui.GenericDialog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The second dialog behind a methods field's <em>Choose methods...</em> button: the installed models and
 * interpolation as checkboxes, files (ONNX, packages, model zips) as text; it gives back the list as
 * the field takes it, comma-separated, so the macro key and what the Recorder writes stay the same.
 */
final class MethodPicker {

    private MethodPicker() {
    }

    /** The names in a comma-separated list, trimmed, blanks dropped. */
    static List<String> split(String list) {
        List<String> l = new ArrayList<>();
        if (list == null) return l;
        for (String s : list.split(",")) if (!s.isBlank()) l.add(s.trim());
        return l;
    }

    /**
     * The list after ticking: the ticked choices in their order, then the other entries of
     * {@code others} (files and names not among the choices), comma-separated.
     */
    static String join(List<String> choices, boolean[] ticked, String others) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < choices.size(); i++) if (ticked[i]) out.add(choices.get(i));
        for (String o : split(others)) out.add(o);
        return String.join(",", out);
    }

    /** Shows the dialog; returns the new list, or {@code current} when cancelled. */
    static String pick(List<String> choices, String current) {
        List<String> now = split(current);
        Set<String> lower = new java.util.HashSet<>();
        for (String n : now) lower.add(n.toLowerCase(Locale.ROOT));
        boolean[] ticked = new boolean[choices.size()];
        List<String> others = new ArrayList<>(now);
        for (int i = 0; i < choices.size(); i++) ticked[i] = lower.contains(choices.get(i).toLowerCase(Locale.ROOT));
        others.removeIf(n -> choices.stream().anyMatch(c -> c.equalsIgnoreCase(n)));
        GenericDialog gd = new GenericDialog("Methods to compare");
        gd.addMessage("Nothing ticked and no file: bicubic, Lanczos and every installed model of the scale and channels.");
        gd.addCheckboxGroup((choices.size() + 1) / 2, 2, choices.toArray(new String[0]), ticked);
        gd.addStringField("Model_files (comma-separated: .onnx, rdf.yaml, package or model .zip)", String.join(",", others), 40);
        // the Recorder must not write these checkboxes into the command's macro line: the field it fills is recorded
        boolean recording = ij.plugin.frame.Recorder.record;
        ij.plugin.frame.Recorder.record = false;
        try {
            gd.showDialog();
            if (gd.wasCanceled()) return current;
            boolean[] t = new boolean[choices.size()];
            for (int i = 0; i < t.length; i++) t[i] = gd.getNextBoolean();
            return join(choices, t, gd.getNextString());
        } finally {
            ij.plugin.frame.Recorder.record = recording;
        }
    }
}
