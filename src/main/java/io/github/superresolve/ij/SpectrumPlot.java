package io.github.superresolve.ij;

import ij.gui.Plot;
import io.github.superresolve.eval.RadialSpectrum;

import java.awt.Color;
import java.util.List;

/**
 * An ImageJ {@link Plot} of radial power spectra ({@link RadialSpectrum#perPixel}): spatial frequency
 * from 0 to Nyquist on x, power on a logarithmic y axis (spectra of photos fall by orders of magnitude),
 * one coloured line per image and a legend with the image titles.
 */
final class SpectrumPlot {

    /** Line colours, in order; repeated after the last. */
    static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), Color.DARK_GRAY};

    private SpectrumPlot() {
    }

    /**
     * @param labels  one legend entry per spectrum
     * @param spectra power per bin (bins of equal count); zeros (empty bins) are left out of the lines
     */
    static Plot create(String title, List<String> labels, List<double[]> spectra) {
        if (labels.size() != spectra.size() || spectra.isEmpty()) throw new IllegalArgumentException("One label per spectrum, at least one.");
        Plot plot = new Plot(title, "spatial frequency (fraction of Nyquist)", "power per pixel (log scale)");
        plot.setAxisYLog(true);
        double[] r = RadialSpectrum.binCentres(spectra.get(0).length);
        for (int k = 0; k < spectra.size(); k++) {
            double[] s = spectra.get(k);
            double[] y = new double[s.length];
            for (int i = 0; i < s.length; i++) y[i] = s[i] > 0 ? s[i] : Double.NaN; // no log of 0: a gap
            plot.setColor(COLOURS[k % COLOURS.length]);
            plot.setLineWidth(1.5f);
            plot.add("line", r, y);
        }
        plot.setColor(Color.BLACK);
        plot.addLegend(String.join("\n", labels.stream().map(l -> l.replace('\n', ' ').replace('\t', ' ')).toList()));
        plot.setLimitsToFit(false);
        return plot;
    }
}
