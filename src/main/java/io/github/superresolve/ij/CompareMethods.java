package io.github.superresolve.ij;

import ij.ImagePlus;
import ij.WindowManager;
import ij.measure.ResultsTable;
import io.github.superresolve.eval.Comparison;
import io.github.superresolve.eval.ComparisonJob;
import io.github.superresolve.eval.ComparisonTables;
import io.github.superresolve.infer.Progress;
import io.github.superresolve.io.AtomicFile;
import io.github.superresolve.metrics.Scores;
import io.github.superresolve.nn.ModelException;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * Scores bicubic, Lanczos and models on ground-truth images (the project's quality protocol, see
 * {@link Comparison}) at one or several scales. Outputs: the table "Comparison" (one row per image,
 * method and scale, then mean rows), the table "Table 1" (the study's layout: methods as columns,
 * MSE / PSNR / SSIM rows per scale), optionally a montage of the same crop across methods; the CSV
 * (same as the CLI's) is written if a file is named. Macro:
 * {@code run("Compare Methods...", "source=folder input_directory=[/data/truth] scale=2,4 methods=[bicubic,lanczos] csv_file=[/tmp/c.csv]")}.
 */
@Plugin(type = Command.class, headless = true, label = "Compare Methods",
        description = "Scores super-resolution methods against ground-truth images (MSE, PSNR, SSIM).")
public class CompareMethods extends ContextCommand {

    static final String FOLDER = "folder", CURRENT = "current image", ALL_OPEN = "all open images";

    @Parameter(label = "Source", choices = {FOLDER, CURRENT, ALL_OPEN}, persist = false,
            description = "Ground truth: the images in a folder, the current image, or every open image")
    private String source = FOLDER;

    @Parameter(label = "Input_directory", style = "directory", required = false, description = "Ground-truth images (source = folder)")
    private File input_directory;

    @Parameter(label = "Scale", persist = false, description = "One or several scales, e.g. 4 or 2,4")
    private String scale = "4";

    @Parameter(label = "Channels", choices = {"3", "1"}, persist = false, description = "3 = images as they are, 1 = RGB as luminance (for 1-channel models)")
    private String channels = "3";

    @Parameter(label = "Methods", required = false, persist = false, style = "methods",
            description = "Comma-separated: bicubic, lanczos, model names or files (Choose methods... ticks the installed ones); empty = bicubic, lanczos and every matching model")
    private String methods = "";

    @Parameter(label = "Max_side", min = "0", persist = false, description = "Centre crop side in pixels (0 = whole images)")
    private int max_side = 512;

    @Parameter(label = "Luminance", persist = false, description = "Score RGB results on luminance Y instead of R, G, B")
    private boolean luminance = false;

    @Parameter(label = "Data_range", min = "0", persist = false, style = "auto=0",
            description = "auto (or 0) = the image type's (255, 65535, or the span of 32-bit data)")
    private double data_range = 0;

    @Parameter(label = "Own_images", persist = false,
            description = "The images are your own, not ground truth: each method super-resolves them as they are and only the results' "
                    + "consistency with them is scored (RSE, RSP), which needs no ground truth")
    private boolean own_images = false;

    @Parameter(label = "Montage", persist = false, description = "Also show the same crop of every method's result side by side")
    private boolean montage = false;

    @Parameter(label = "Csv_file", style = "save", required = false, persist = false, description = "Also save the table as CSV (image,method,scale,mse,psnr,ssim,rse,rsp,hf)")
    private File csv_file;

    @Parameter(type = ItemIO.OUTPUT, label = "Comparison")
    private ResultsTable table;

    @Parameter(type = ItemIO.OUTPUT, label = "Table 1")
    private ResultsTable summary;

    @Parameter(type = ItemIO.OUTPUT, label = "Montage")
    private ImagePlus montage_image;

    @Parameter
    private SuperResolveService superResolve;

    @Parameter(required = false)
    private StatusService status;

    @Parameter(required = false)
    private LogService log;

    @Override
    public void run() {
        try {
            compare();
        } catch (IllegalArgumentException | ModelException e) {
            cancel(e.getMessage());
        } catch (IOException e) {
            cancel("Could not write " + csv_file + ": " + e.getMessage());
        } catch (CancellationException e) {
            cancel("Compare Methods was cancelled.");
        } finally {
            if (status != null) status.clearStatus();
        }
    }

    private void compare() throws IOException {
        java.nio.file.Path folder = null;
        List<ImagePlus> images = null;
        switch (source == null ? FOLDER : source) {
            case CURRENT -> {
                ImagePlus imp = WindowManager.getCurrentImage();
                if (imp == null) throw new IllegalArgumentException("There is no image open: open a ground-truth image or choose source=folder.");
                images = List.of(imp);
            }
            case ALL_OPEN -> {
                int[] ids = WindowManager.getIDList();
                if (ids == null) throw new IllegalArgumentException("There is no image open: open ground-truth images or choose source=folder.");
                images = new ArrayList<>();
                for (int id : ids) images.add(WindowManager.getImage(id));
            }
            default -> {
                if (input_directory == null || input_directory.getPath().isBlank() || !input_directory.isDirectory())
                    throw new IllegalArgumentException("Folder " + input_directory + " does not exist: choose a folder of ground-truth images (input_directory).");
                folder = input_directory.toPath();
            }
        }
        ComparisonJob.Request req = new ComparisonJob.Request(folder, images, ComparisonJob.parseScales(scale),
                ComparisonJob.parseMethods(methods), Integer.parseInt(channels), max_side, luminance, data_range, false, montage && !own_images, 160,
                own_images);
        Progress progress = (done, total) -> {
            if (status != null) status.showProgress((int) done, (int) total);
        };
        ComparisonJob.Result res = ComparisonJob.run(req, superResolve.catalog(), w -> {
            if (log != null) log.warn(w);
        }, progress);
        table = perImageTable(res);
        summary = table1(res);
        if (montage && !res.montages().isEmpty()) montage_image = res.montages().values().iterator().next();
        if (csv_file != null && !csv_file.getPath().isBlank()) {
            String text = ComparisonTables.csv(res.perImage(), res.rows());
            AtomicFile.write(csv_file.toPath(), ".csv", tmp -> Files.writeString(tmp, text));
        }
    }

    /** One row per image, method and scale (with per-channel columns for multichannel images), then mean rows. */
    static ResultsTable perImageTable(ComparisonJob.Result res) {
        ResultsTable t = new ResultsTable();
        for (Comparison.ImageScore s : res.perImage()) {
            t.incrementCounter();
            t.addValue("Image", s.image());
            t.addValue("Method", s.method());
            t.addValue("Scale", s.scale());
            t.addValue("MSE", s.scores().mse());
            t.addValue("PSNR (dB)", s.scores().psnr());
            t.addValue("SSIM", s.scores().ssim());
            t.addValue("RSE vs input", s.rse());
            t.addValue("RSP vs input", s.rsp());
            if (s.scores().channels().size() > 1)
                for (Scores.Channel c : s.scores().channels()) {
                    t.addValue("PSNR " + c.name(), c.psnr());
                    t.addValue("SSIM " + c.name(), c.ssim());
                }
        }
        for (Comparison.Row r : res.rows()) {
            t.incrementCounter();
            t.addValue("Image", "mean");
            t.addValue("Method", r.method());
            t.addValue("Scale", r.scale());
            t.addValue("MSE", r.mse());
            t.addValue("PSNR (dB)", r.psnr());
            t.addValue("SSIM", r.ssim());
            t.addValue("RSE vs input", r.rse());
            t.addValue("RSP vs input", r.rsp());
        }
        t.setDecimalPlaces(t.getColumnIndex("MSE"), 3);
        t.setDecimalPlaces(t.getColumnIndex("PSNR (dB)"), 3);
        t.setDecimalPlaces(t.getColumnIndex("SSIM"), 5);
        return t;
    }

    /** The study's layout: one row per scale and metric, one column per method. */
    static ResultsTable table1(ComparisonJob.Result res) {
        ResultsTable t = new ResultsTable();
        Set<String> methods = new LinkedHashSet<>();
        for (Comparison.Row r : res.rows()) methods.add(r.method());
        for (int s : res.images().keySet())
            for (String metric : List.of("MSE", "PSNR (dB)", "SSIM", "RSE vs input", "RSP vs input")) {
                t.incrementCounter();
                t.addValue("Scale", s);
                t.addValue("Metric", metric);
                for (String m : methods) {
                    double v = Double.NaN;
                    for (Comparison.Row r : res.rows())
                        if (r.scale() == s && r.method().equals(m))
                            v = switch (metric) {
                                case "MSE" -> r.mse();
                                case "SSIM" -> r.ssim();
                                case "RSE vs input" -> r.rse();
                                case "RSP vs input" -> r.rsp();
                                default -> r.psnr();
                            };
                    t.addValue(m, v);
                }
            }
        t.setPrecision(4);
        return t;
    }

    public ResultsTable getTable() {
        return table;
    }

    public ResultsTable getSummary() {
        return summary;
    }
}
