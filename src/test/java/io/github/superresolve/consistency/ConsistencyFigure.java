package io.github.superresolve.consistency;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.github.superresolve.image.ImageFiles;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;
import io.github.superresolve.infer.ImageUpscaler;
import io.github.superresolve.infer.NetworkUpscaler;
import io.github.superresolve.infer.Progress;
import io.github.superresolve.infer.Upscaler;
import io.github.superresolve.metrics.ImageScorer;
import io.github.superresolve.metrics.Scores;
import io.github.superresolve.resolve.ModelResolver;
import io.github.superresolve.resolve.Tiling;

import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The README's consistency figure ({@code scripts/consistency-figure.sh}): for each image, a centre crop
 * taken as ground truth, its x4 input by the comparison protocol (antialiased bicubic), and for bicubic,
 * srresnet-x4, srgan-x4 and rgan-x4 the result (top row) above its consistency map (bottom row: the result
 * degraded back by the same bicubic, gain and offset fitted, |input - fitted| on the luminance, enlarged x4
 * onto the result, Fire LUT on a fixed range of 0-{@value #RANGE} grey levels). Prints each method's RSE and
 * RSP (no ground truth needed) beside its PSNR against the crop (which a user would not have).
 */
public final class ConsistencyFigure {

    static final int SIDE = 192, SCALE = 4;
    static final double RANGE = 12;
    static final String[] METHODS = {"bicubic", "srresnet-x4", "srgan-x4", "rgan-x4"};

    private ConsistencyFigure() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) throw new IllegalArgumentException("usage: ConsistencyFigure OUT.png IMAGE...");
        Path out = Path.of(args[0]);
        ModelResolver resolver = ModelResolver.standard();
        List<ColorProcessor> rows = new ArrayList<>();
        StringBuilder table = new StringBuilder("| image | method | RSE vs input (grey levels) | RSP vs input | PSNR vs truth (dB) |\n|---|---|---:|---:|---:|\n");
        for (int a = 1; a < args.length; a++) {
            Path file = Path.of(args[a]);
            ImagePlus hr = ImageFiles.open(file);
            ColorProcessor truth = crop(hr.getProcessor().convertToColorProcessor());
            ImagePlus truthImp = new ImagePlus(file.getFileName().toString(), truth);
            ImagePlus input = new ImagePlus(file.getFileName().toString(), downscale(truth));
            ColorProcessor top = new ColorProcessor(SIDE * (METHODS.length + 1), SIDE), bottom = new ColorProcessor(SIDE * (METHODS.length + 1), SIDE);
            top.insert(nearest(input.getProcessor()), 0, 0);
            label(top, 0, "input x" + SCALE + " (nearest)");
            bottom.insert(truth, 0, 0);
            label(bottom, 0, "ground truth");
            for (int m = 0; m < METHODS.length; m++) {
                Upscaler up = resolver.resolve(METHODS[m]).upscaler(SCALE, new Tiling(NetworkUpscaler.AUTO, -1, 1, 0, false));
                ImagePlus result = ImageUpscaler.upscale(input, up, ImageUpscaler.Options.defaults(), Progress.NONE);
                up.release();
                ConsistencyReport r = ImageConsistency.analyse(input, result, SCALE, new ImageConsistency.Options(Degradation.bicubic(), true));
                Scores s = ImageScorer.score(truthImp, result, SCALE, true, 255);
                table.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.4f | %.2f |%n", file.getFileName(), METHODS[m], r.overallRse(),
                        r.overallRsp(), s.psnr()));
                top.insert(result.getProcessor().convertToColorProcessor(), SIDE * (m + 1), 0);
                label(top, SIDE * (m + 1), METHODS[m]);
                bottom.insert(fire(ImageConsistency.enlarge(r.map(), result, ImageConsistency.Enlargement.NEAREST).getProcessor()), SIDE * (m + 1), 0);
                label(bottom, SIDE * (m + 1), String.format(Locale.ROOT, "RSE %.2f  RSP %.4f", r.overallRse(), r.overallRsp()));
            }
            rows.add(top);
            rows.add(bottom);
        }
        ColorProcessor fig = new ColorProcessor(rows.get(0).getWidth(), SIDE * rows.size());
        for (int i = 0; i < rows.size(); i++) fig.insert(rows.get(i), 0, SIDE * i);
        if (!new FileSaver(new ImagePlus("consistency", fig)).saveAsPng(out.toString())) throw new IllegalStateException("Could not write " + out);
        System.out.print(table);
        System.out.println("wrote " + out);
    }

    static ColorProcessor crop(ColorProcessor cp) {
        cp.setRoi((cp.getWidth() - SIDE) / 2, (cp.getHeight() - SIDE) / 2, SIDE, SIDE);
        return (ColorProcessor) cp.crop();
    }

    /** The comparison protocol's input: each component by antialiased bicubic, rounded. */
    static ColorProcessor downscale(ColorProcessor cp) {
        int w = cp.getWidth(), h = cp.getHeight();
        byte[][] c = new byte[3][w * h];
        cp.getRGB(c[0], c[1], c[2]);
        byte[][] d = new byte[3][];
        for (int k = 0; k < 3; k++) {
            float[] f = new float[w * h];
            for (int i = 0; i < f.length; i++) f[i] = c[k][i] & 0xff;
            float[] s = Resampler.downscale(f, w, h, SCALE, Kernel.BICUBIC);
            d[k] = new byte[s.length];
            for (int i = 0; i < s.length; i++) d[k][i] = (byte) Math.max(0, Math.min(255, Math.round(s[i])));
        }
        ColorProcessor out = new ColorProcessor(w / SCALE, h / SCALE);
        out.setRGB(d[0], d[1], d[2]);
        return out;
    }

    static ColorProcessor nearest(ImageProcessor ip) {
        ip.setInterpolationMethod(ImageProcessor.NONE);
        return ip.resize(ip.getWidth() * SCALE, ip.getHeight() * SCALE).convertToColorProcessor();
    }

    /** A map on a fixed range through the Fire LUT. */
    static ColorProcessor fire(ImageProcessor map) {
        FloatProcessor f = (FloatProcessor) map.duplicate();
        f.setLut(ImageConsistency.errorLut());
        f.setMinAndMax(0, RANGE);
        return f.convertToColorProcessor();
    }

    static void label(ColorProcessor cp, int x, String text) {
        cp.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        cp.setColor(Color.BLACK);
        cp.drawString(text, x + 5, 16);
        cp.setColor(Color.WHITE);
        cp.drawString(text, x + 4, 15);
    }
}
