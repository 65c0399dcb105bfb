package io.github.superresolve.eval;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

import java.awt.Color;
import java.awt.Font;
import java.util.Map;

/**
 * The same crop of the ground truth and of every method's result side by side, each panel labelled,
 * for the eye. The crop is the {@code side x side} window of the ground truth with the most fine
 * detail (largest mean squared Laplacian of its luminance, on a grid), where methods differ most.
 * Grey images are shown with the ground truth's display range; the montage is RGB.
 */
public final class Montage {

    private static final int LABEL = 18, GAP = 4;

    private Montage() {
    }

    /** @param panels method name to its result, same size as {@code truth}; shown after the truth in this order */
    public static ImagePlus of(ImagePlus truth, Map<String, ImagePlus> panels, int side) {
        int w = truth.getWidth(), h = truth.getHeight();
        int s = Math.max(8, Math.min(side, Math.min(w, h)));
        int[] xy = busiestWindow(truth, s);
        int n = panels.size() + 1;
        ColorProcessor out = new ColorProcessor(n * s + (n - 1) * GAP, s + LABEL);
        out.setColor(Color.BLACK);
        out.fill();
        double lo = truth.getDisplayRangeMin(), hi = truth.getDisplayRangeMax();
        paste(out, truth, xy, s, 0, "ground truth", lo, hi);
        int i = 1;
        for (Map.Entry<String, ImagePlus> e : panels.entrySet()) {
            ImagePlus p = e.getValue();
            if (p.getWidth() != w || p.getHeight() != h)
                throw new IllegalArgumentException("Result '" + e.getKey() + "' is " + p.getWidth() + "x" + p.getHeight() + ", not " + w + "x" + h + " like the ground truth.");
            paste(out, p, xy, s, i++ * (s + GAP), e.getKey(), lo, hi);
        }
        return new ImagePlus("Montage of " + truth.getTitle() + " (x=" + xy[0] + ", y=" + xy[1] + ", " + s + "x" + s + ")", out);
    }

    private static void paste(ColorProcessor out, ImagePlus imp, int[] xy, int s, int x0, String label, double lo, double hi) {
        ImageProcessor ip = imp.getProcessor().duplicate();
        if (!(ip instanceof ColorProcessor)) {
            ip.setMinAndMax(lo, hi);
            ip = ip.convertToRGB();
        }
        ip.setRoi(xy[0], xy[1], s, s);
        out.insert(ip.crop(), x0, LABEL);
        out.setColor(Color.WHITE);
        out.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        out.setAntialiasedText(true);
        String text = label;
        while (text.length() > 3 && out.getStringWidth(text) > s - 4) text = text.substring(0, text.length() - 2);
        out.drawString(text, x0 + 2, LABEL - 3);
    }

    /** Top-left corner of the side x side window with the most Laplacian energy (first plane, luminance). */
    static int[] busiestWindow(ImagePlus truth, int side) {
        int w = truth.getWidth(), h = truth.getHeight();
        float[] y = Comparison.luminance(truth, 1);
        double[] energy = new double[(w + 1) * (h + 1)]; // integral image of the squared Laplacian
        for (int r = 0; r < h; r++) {
            double row = 0;
            for (int c = 0; c < w; c++) {
                double lap = 0;
                if (r > 0 && c > 0 && r < h - 1 && c < w - 1)
                    lap = 4 * y[r * w + c] - y[r * w + c - 1] - y[r * w + c + 1] - y[(r - 1) * w + c] - y[(r + 1) * w + c];
                row += lap * lap;
                energy[(r + 1) * (w + 1) + c + 1] = energy[r * (w + 1) + c + 1] + row;
            }
        }
        int step = Math.max(1, side / 8);
        double best = -1;
        int[] at = {(w - side) / 2, (h - side) / 2};
        for (int r = 0; r + side <= h; r += step)
            for (int c = 0; c + side <= w; c += step) {
                double e = energy[(r + side) * (w + 1) + c + side] - energy[r * (w + 1) + c + side] - energy[(r + side) * (w + 1) + c] + energy[r * (w + 1) + c];
                if (e > best) {
                    best = e;
                    at = new int[]{c, r};
                }
            }
        return at;
    }
}
