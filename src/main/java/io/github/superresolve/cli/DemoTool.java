package io.github.superresolve.cli;

import io.github.superresolve.image.ImageFiles;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;
import io.github.superresolve.infer.ImageUpscaler;
import io.github.superresolve.infer.NetworkUpscaler;
import io.github.superresolve.infer.Progress;
import io.github.superresolve.infer.Upscaler;
import io.github.superresolve.resolve.ModelResolver;
import io.github.superresolve.metrics.ImageMetrics;
import io.github.superresolve.nn.ModelCatalog;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code super-resolve demo}: the bundled sample photo (ground truth) is downscaled with antialiased
 * bicubic, super-resolved back with the default model, and compared with bicubic and Lanczos upscaling:
 * PSNR and SSIM on RGB, {@code scale} border pixels cropped.
 */
final class DemoTool {

    /** The command's name (its usage section in {@link Main#USAGE}). */
    static final String COMMAND = "demo";

    /** The command's options (also read by {@code super-resolve completion}). */
    @Command(name = "demo")
    static final class Options {
        @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "demo-output",
                description = "Folder for the truth, the low-resolution input, bicubic's and the model's result. Default: ${DEFAULT-VALUE}.")
        String output;

        @Mixin
        ModelOptions model = new ModelOptions();
    }

    static final String SAMPLE = "samples/coffee.png";

    private final PrintStream out, err;

    DemoTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws IOException {
        Options a = Args.parse(COMMAND, argv, new Options());
        Path dir = Paths.get(a.output);
        ModelCatalog catalog = ModelFolders.catalog(err);
        String model = a.model.model != null ? a.model.model : UpscaleTool.defaultModel(catalog);
        ModelResolver resolver = new ModelResolver(catalog);
        int scale = resolver.resolve(model).scaleFor(a.model.scaleOrOwn()); // none given: the model's own
        ColorProcessor truth = loadSample();
        int w = truth.getWidth() / scale * scale, h = truth.getHeight() / scale * scale;
        truth.setRoi(0, 0, w, h);
        truth = (ColorProcessor) truth.crop();
        ColorProcessor low = downscale(truth, scale);
        ImagePlus lowImp = new ImagePlus("coffee.png", low);

        Set<String> methods = new LinkedHashSet<>(List.of(ModelResolver.BICUBIC, ModelResolver.LANCZOS, model));
        out.printf(Locale.ROOT, "Sample: %s, %dx%d ground truth, input %dx%d (antialiased bicubic /%d)%n", SAMPLE, w, h, low.getWidth(), low.getHeight(), scale);
        out.printf(Locale.ROOT, "%-16s %9s %9s %8s%n", "method", "PSNR dB", "SSIM", "seconds");
        ImageFiles.save(new ImagePlus("truth", truth), dir.resolve("coffee-truth.png"));
        ImageFiles.save(lowImp, dir.resolve("coffee-input-x" + scale + "-smaller.png"));
        double bicubicPsnr = Double.NaN;
        List<String> rows = new ArrayList<>();
        for (String m : methods) {
            Upscaler up = resolver.resolve(m).upscaler(scale);
            long t0 = System.nanoTime();
            ImagePlus sr = ImageUpscaler.upscale(lowImp, up, ImageUpscaler.Options.defaults(), Progress.NONE);
            double sec = (System.nanoTime() - t0) / 1e9;
            double[] q = quality(truth, (ColorProcessor) sr.getProcessor(), scale);
            if (m.equals(ModelResolver.BICUBIC)) bicubicPsnr = q[0];
            Path file = dir.resolve("coffee-" + up.name() + "-x" + scale + ".png");
            ImageFiles.save(sr, file);
            out.printf(Locale.ROOT, "%-16s %9.2f %9.4f %8.2f%s%n", up.name(), q[0], q[1], sec,
                    m.equals(ModelResolver.BICUBIC) ? "" : String.format(Locale.ROOT, "   (%+.2f dB vs bicubic)", q[0] - bicubicPsnr));
            rows.add(file.toString());
        }
        out.println("Images written to " + dir.toAbsolutePath() + ": " + String.join(", ", rows.stream().map(s -> Paths.get(s).getFileName().toString()).toList()));
        return 0;
    }

    static ColorProcessor loadSample() throws IOException {
        try (InputStream in = DemoTool.class.getClassLoader().getResourceAsStream(SAMPLE)) {
            if (in == null) throw new IOException("The bundled sample " + SAMPLE + " is missing: rebuild Super-Resolve.");
            BufferedImage bi = ImageIO.read(in);
            return new ColorProcessor(bi);
        }
    }

    /** Antialiased bicubic downscaling of an RGB image (Pillow's algorithm), rounded to 8 bits. */
    static ColorProcessor downscale(ColorProcessor cp, int factor) {
        int w = cp.getWidth(), h = cp.getHeight();
        float[][] ch = rgbPlanes(cp);
        ColorProcessor out = new ColorProcessor(w / factor, h / factor);
        int[] px = (int[]) out.getPixels();
        float[][] d = new float[3][];
        for (int c = 0; c < 3; c++) d[c] = Resampler.downscale(ch[c], w, h, factor, Kernel.BICUBIC);
        for (int i = 0; i < px.length; i++) {
            int r = clip(d[0][i]), g = clip(d[1][i]), b = clip(d[2][i]);
            px[i] = 0xff000000 | (r << 16) | (g << 8) | b;
        }
        return out;
    }

    private static int clip(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }

    static float[][] rgbPlanes(ColorProcessor cp) {
        int[] px = (int[]) cp.getPixels();
        float[][] ch = new float[3][px.length];
        for (int i = 0; i < px.length; i++) {
            ch[0][i] = (px[i] >> 16) & 0xff;
            ch[1][i] = (px[i] >> 8) & 0xff;
            ch[2][i] = px[i] & 0xff;
        }
        return ch;
    }

    /** PSNR and SSIM on RGB (mean over channels), border of {@code crop} pixels removed. */
    static double[] quality(ColorProcessor truth, ColorProcessor test, int crop) {
        int w = truth.getWidth() - 2 * crop, h = truth.getHeight() - 2 * crop;
        truth.setRoi(crop, crop, w, h);
        test.setRoi(crop, crop, w, h);
        float[][] a = rgbPlanes((ColorProcessor) truth.crop()), b = rgbPlanes((ColorProcessor) test.crop());
        truth.resetRoi();
        test.resetRoi();
        double mse = 0, ssim = 0;
        for (int c = 0; c < 3; c++) {
            mse += ImageMetrics.mse(a[c], b[c]) / 3;
            ssim += ImageMetrics.ssim(a[c], b[c], w, h, 255) / 3;
        }
        return new double[]{ImageMetrics.psnrFromMse(mse, 255), ssim};
    }
}
