package io.github.superresolve.ij;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import io.github.superresolve.metrics.ImageScorer;
import io.github.superresolve.metrics.Scores;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Scores an already super-resolved (or otherwise restored) image against a reference of the same
 * size: MSE, PSNR and SSIM per channel and overall ({@link ImageScorer}), in a results table. Macro:
 * {@code run("Compare Images...", "reference=[truth.tif] test=[result.tif] border=4")}.
 */
@Plugin(type = Command.class, headless = true, label = "Compare Images",
        description = "Scores an image against a reference (MSE, PSNR, SSIM per channel).")
public class CompareImages extends ContextCommand {

    @Parameter(label = "Reference", description = "Ground truth")
    private ImagePlus reference;

    @Parameter(label = "Test", description = "The image to score, same size as the reference")
    private ImagePlus test;

    @Parameter(label = "Border", min = "0", persist = false, description = "Pixels left out on each side (use the scale for super-resolved images)")
    private int border = 0;

    @Parameter(label = "Luminance", persist = false, description = "Score RGB images on luminance Y instead of R, G, B")
    private boolean luminance = false;

    @Parameter(label = "Data_range", min = "0", persist = false, description = "0 = the reference type's (255, 65535, or the span of 32-bit data)")
    private double data_range = 0;

    @Parameter(type = ItemIO.OUTPUT, label = "Image Scores")
    private ResultsTable table;

    private Scores scores;

    @Override
    public void run() {
        try {
            scores = ImageScorer.score(reference, test, border, luminance, data_range);
        } catch (IllegalArgumentException e) {
            cancel(e.getMessage());
            return;
        }
        table = new ResultsTable();
        for (Scores.Channel c : scores.channels()) {
            if (scores.channels().size() == 1) break;
            row(c.name(), c.mse(), c.psnr(), c.ssim());
        }
        row(scores.channels().size() == 1 ? scores.channels().get(0).name() : "mean", scores.mse(), scores.psnr(), scores.ssim());
    }

    private void row(String channel, double mse, double psnr, double ssim) {
        table.incrementCounter();
        table.addValue("Reference", reference.getTitle());
        table.addValue("Test", test.getTitle());
        table.addValue("Channel", channel);
        table.addValue("MSE", mse);
        table.addValue("PSNR (dB)", psnr);
        table.addValue("SSIM", ssim);
        table.addValue("Data range", scores.dataRange());
        table.addValue("Border", border);
    }

    public Scores getScores() {
        return scores;
    }
}
