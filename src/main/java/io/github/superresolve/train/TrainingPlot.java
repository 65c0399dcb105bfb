package io.github.superresolve.train;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Plot;
import ij.io.FileSaver;
import ij.process.ImageProcessor;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Plots of a training log with ImageJ's {@link Plot}: the loss (raw and a running mean over 50 steps,
 * log scale) above the validation PSNR of the network and of bicubic. Shown in Fiji, saved as PNG by
 * the CLI.
 */
public final class TrainingPlot {

    private TrainingPlot() {
    }

    /** The two plots stacked in one RGB image. */
    public static ImagePlus render(List<TrainingLog.Row> rows) {
        List<double[]> loss = new ArrayList<>(), val = new ArrayList<>();
        for (TrainingLog.Row r : rows) {
            if (!Double.isNaN(r.loss())) loss.add(new double[]{r.step(), r.loss()});
            if (!Double.isNaN(r.valPsnr())) val.add(new double[]{r.step(), r.valPsnr(), r.bicubicPsnr()});
        }
        Plot lossPlot = new Plot("Training loss", "step", "MSE (log scale)");
        lossPlot.setSize(640, 280);
        if (!loss.isEmpty()) {
            double[] x = new double[loss.size()], y = new double[loss.size()], m = new double[loss.size()];
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                x[i] = loss.get(i)[0];
                y[i] = loss.get(i)[1];
                sum += y[i];
                if (i >= 50) sum -= y[i - 50];
                m[i] = sum / Math.min(i + 1, 50);
            }
            lossPlot.setLogScaleY();
            lossPlot.setColor(new Color(170, 170, 220));
            lossPlot.add("line", x, y);
            lossPlot.setColor(Color.BLUE);
            lossPlot.add("line", x, m);
            lossPlot.setLimitsToFit(false);
        }
        Plot psnrPlot = new Plot("Validation", "step", "PSNR (dB)");
        psnrPlot.setSize(640, 280);
        if (!val.isEmpty()) {
            double[] x = new double[val.size()], p = new double[val.size()], b = new double[val.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = val.get(i)[0];
                p[i] = val.get(i)[1];
                b[i] = val.get(i)[2];
            }
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, maxStep = 0;
            for (int i = 0; i < x.length; i++) {
                lo = Math.min(lo, Math.min(p[i], b[i]));
                hi = Math.max(hi, Math.max(p[i], b[i]));
            }
            for (TrainingLog.Row r : rows) maxStep = Math.max(maxStep, r.step());
            psnrPlot.setColor(Color.RED);
            psnrPlot.add(val.size() > 1 ? "connected circle" : "circle", x, p);
            psnrPlot.setColor(Color.GRAY);
            // bicubic does not change with training: a horizontal line over the whole run
            psnrPlot.add("line", new double[]{0, maxStep}, new double[]{b[b.length - 1], b[b.length - 1]});
            psnrPlot.setLimits(0, Math.max(1, maxStep) * 1.04, lo - 0.25, hi + 0.25);
            psnrPlot.setLegend("network\tbicubic", Plot.AUTO_POSITION);
        }
        ImageProcessor a = lossPlot.getProcessor().convertToRGB(), c = psnrPlot.getProcessor().convertToRGB();
        int w = Math.max(a.getWidth(), c.getWidth());
        ImageProcessor both = new ij.process.ColorProcessor(w, a.getHeight() + c.getHeight());
        both.setColor(Color.WHITE);
        both.fill();
        both.insert(a, 0, 0);
        both.insert(c, 0, a.getHeight());
        return new ImagePlus("Training log", both);
    }

    /** Renders and saves as PNG atomically. */
    public static void write(List<TrainingLog.Row> rows, Path png) throws IOException {
        ImagePlus imp = render(rows);
        io.github.superresolve.io.AtomicFile.write(png, ".png", tmp -> {
            if (!new FileSaver(imp).saveAsPng(tmp.toString())) throw new IOException("Cannot write the plot " + png + ".");
        });
    }
}
