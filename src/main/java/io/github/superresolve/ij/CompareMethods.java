package io.github.superresolve.ij;

import ij.measure.ResultsTable;
import io.github.superresolve.eval.Comparison;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores bicubic, Lanczos and models on a folder of ground-truth images (the project's quality
 * protocol, see {@link Comparison}) and returns a results table: one row per method with MSE (0-255),
 * PSNR and SSIM, as in the study's Table 1. Macro:
 * {@code run("Compare Methods...", "input_directory=[...] scale=4 methods=[bicubic,lanczos,srresnet-x4]")}.
 */
@Plugin(type = Command.class, headless = true, label = "Compare Methods",
        description = "Scores super-resolution methods against ground-truth images (MSE, PSNR, SSIM).")
public class CompareMethods extends ContextCommand {

    @Parameter(label = "Input_directory", style = "directory", description = "Ground-truth images")
    private File input_directory;

    @Parameter(label = "Scale", choices = {"2", "4", "8"}, persist = false)
    private String scale = "4";

    @Parameter(label = "Channels", choices = {"3", "1"}, persist = false, description = "3 = RGB, 1 = luminance")
    private String channels = "3";

    @Parameter(label = "Methods", required = false, persist = false,
            description = "Comma-separated: bicubic, lanczos, model names or files; empty = bicubic, lanczos and every matching model")
    private String methods = "";

    @Parameter(label = "Max_side", min = "0", persist = false, description = "Centre crop side in pixels (0 = whole images)")
    private int max_side = 512;

    @Parameter(type = ItemIO.OUTPUT, label = "Comparison")
    private ResultsTable table;

    @Parameter
    private SuperResolveService superResolve;

    @Parameter(required = false)
    private StatusService status;

    @Override
    public void run() {
        try {
            compare();
        } catch (IllegalArgumentException | io.github.superresolve.nn.ModelException e) {
            cancel(e.getMessage());
        } finally {
            if (status != null) status.clearStatus();
        }
    }

    private void compare() {
        if (input_directory == null || !input_directory.isDirectory())
            throw new IllegalArgumentException("Folder " + input_directory + " does not exist: choose a folder of ground-truth images.");
        int s = Integer.parseInt(scale), c = Integer.parseInt(channels);
        List<String> names = new ArrayList<>();
        if (methods == null || methods.isBlank()) names.addAll(Comparison.defaultMethods(superResolve.catalog(), s, c));
        else for (String n : methods.split(",")) if (!n.isBlank()) names.add(n.trim());
        List<Comparison.Method> list = new ArrayList<>();
        for (String n : names) list.add(Comparison.method(n, superResolve.catalog(), s, c));
        Comparison cmp = Comparison.load(input_directory.toPath(), c, s, max_side, w -> { });
        table = new ResultsTable();
        for (Comparison.Method method : list) {
            if (status != null) status.showStatus("Compare Methods: " + method.name() + " on " + cmp.size() + " images");
            Comparison.Row r = cmp.score(method);
            table.incrementCounter();
            table.addLabel(r.method());
            table.addValue("MSE (0-255)", r.mse255());
            table.addValue("PSNR (dB)", r.psnr());
            table.addValue("SSIM", r.ssim());
            table.addValue("images", r.images());
            table.addValue("scale", s);
        }
    }

    public ResultsTable getTable() {
        return table;
    }
}
