package io.github.superresolve.ij;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Plot;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Open images by title, for commands that take further images than the current one as a text
 * parameter (a macro cannot pass an image object). Looks in ImageJ's {@link WindowManager}, which
 * also lists the hidden images of a batch-mode macro.
 */
final class OpenImages {

    /** Property set on images a command made for display only, which {@code *} leaves out. */
    static final String DERIVED = "super-resolve.derived";

    private OpenImages() {
    }

    /**
     * The images named by a comma-separated list of titles, in that order, or by {@code *}: every open
     * image except {@code self}, plots and images marked {@link #DERIVED}. Empty or blank: none.
     * Duplicates and {@code self} are dropped.
     *
     * @param parameter the parameter's name, for the message
     * @throws IllegalArgumentException naming the first title no open image has
     */
    static List<ImagePlus> byTitles(String titles, ImagePlus self, String parameter) {
        Set<ImagePlus> out = new LinkedHashSet<>();
        if (titles == null || titles.isBlank()) return List.of();
        if (titles.trim().equals("*")) {
            int[] ids = WindowManager.getIDList();
            if (ids != null)
                for (int id : ids) {
                    ImagePlus imp = WindowManager.getImage(id);
                    if (imp == null || imp == self || imp.getProperty(Plot.PROPERTY_KEY) != null || imp.getProperty(DERIVED) != null)
                        continue;
                    out.add(imp);
                }
            return new ArrayList<>(out);
        }
        for (String t : titles.split(",")) {
            String title = t.trim();
            if (title.isEmpty()) continue;
            ImagePlus imp = WindowManager.getImage(title);
            if (imp == null)
                throw new IllegalArgumentException("No open image is titled '" + title + "': give the exact titles of open images in "
                        + parameter + ", separated by commas, or * for all open images.");
            if (imp != self) out.add(imp);
        }
        return new ArrayList<>(out);
    }
}
