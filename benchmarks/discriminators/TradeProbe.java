import ij.ImagePlus;
import ij.process.*;
import io.github.superresolve.eval.*;
import io.github.superresolve.infer.*;
import io.github.superresolve.metrics.*;
import io.github.superresolve.nn.ModelCatalog;
import java.nio.file.Path;
import java.util.*;

/**
 * What fine detail costs at a scale (docs/training.md, "x2, third round"): a model's outputs on ground-truth
 * images (the comparison protocol: centre crops <= 512, inputs by antialiased bicubic), post-processed by
 * Gaussian noise or by sharpening of several strengths, each variant's mean PSNR and HF (power above half
 * Nyquist relative to the truth's, luminance, as compare --spectrum reports it).
 *
 * Run from the repository (after mvn package) as a single-file program:
 *   java -cp "target/super-resolve-0.1.0-SNAPSHOT.jar:target/lib/*" benchmarks/discriminators/TradeProbe.java MODEL SCALE DIR
 */
public class TradeProbe {
    interface Post { float[][] apply(float[][] rgb, int w, int h, Random r); }
    public static void main(String[] a) throws Exception {
        String model = a[0]; int scale = Integer.parseInt(a[1]);
        Comparison c = Comparison.load(Path.of(a[2]), Comparison.Options.of(scale, 3, 512), System.err::println);
        Upscaler up = Comparison.method(model, ModelCatalog.standard(), 3).upscaler(scale);
        List<ImagePlus> outs = new ArrayList<>();
        for (Comparison.Entry e : c.entries()) outs.add(ImageUpscaler.upscale(e.input(), up, ImageUpscaler.Options.defaults(), Progress.NONE));
        up.release();
        Map<String, Post> posts = new LinkedHashMap<>();
        posts.put("none", (x, w, h, r) -> x);
        for (double sd : new double[]{0.005, 0.01, 0.015, 0.02}) posts.put("noise " + sd, (x, w, h, r) -> noise(x, sd, r));
        for (double k : new double[]{0.2, 0.4, 0.6, 0.8, 1.0}) posts.put("unsharp3 " + k, (x, w, h, r) -> sharpen(x, w, h, k, 1));
        for (double k : new double[]{0.3, 0.6, 1.0, 1.5}) posts.put("band " + k, (x, w, h, r) -> sharpen(x, w, h, k, 2));
        for (double k : new double[]{0.3, 0.6, 1.0}) posts.put("unsharp5 " + k, (x, w, h, r) -> sharpen(x, w, h, k, 3));
        int n = outs.size();
        double[] truthSpec = new double[32];
        for (int i = 0; i < n; i++) {
            ImagePlus t = c.entries().get(i).truth();
            double[] ts = RadialSpectrum.compute(lum(t), t.getWidth(), t.getHeight(), 32);
            for (int k = 0; k < 32; k++) truthSpec[k] += ts[k] / n;
        }
        for (var p : posts.entrySet()) {
            double psnr = 0; double[] spec = new double[32];
            Random r = new Random(1);
            for (int i = 0; i < n; i++) {
                ImagePlus t = c.entries().get(i).truth(), o = outs.get(i);
                int w = o.getWidth(), h = o.getHeight();
                float[][] rgb = toRgb((ColorProcessor) o.getProcessor());
                ImagePlus res = new ImagePlus("x", fromRgb(p.getValue().apply(rgb, w, h, r), w, h));
                psnr += ImageScorer.score(t, res, scale, false, 0).psnr() / n;
                double[] sp = RadialSpectrum.compute(lum(res), w, h, 32);
                for (int k = 0; k < 32; k++) spec[k] += sp[k] / n;
            }
            System.out.printf("%-16s PSNR %.2f  HF %.3f%n", p.getKey(), psnr, RadialSpectrum.highFrequencyRatio(spec, truthSpec));
        }
    }
    static float[] lum(ImagePlus imp) {
        int[] px = (int[]) imp.getProcessor().getPixels(); float[] y = new float[px.length];
        for (int i = 0; i < px.length; i++) y[i] = (float) (0.299 * ((px[i] >> 16) & 255) + 0.587 * ((px[i] >> 8) & 255) + 0.114 * (px[i] & 255)) / 255f;
        return y;
    }
    static float[][] toRgb(ColorProcessor cp) {
        int[] px = (int[]) cp.getPixels(); float[][] o = new float[3][px.length];
        for (int i = 0; i < px.length; i++) { o[0][i] = (px[i] >> 16) & 255; o[1][i] = (px[i] >> 8) & 255; o[2][i] = px[i] & 255; }
        for (float[] c : o) for (int i = 0; i < c.length; i++) c[i] /= 255f;
        return o;
    }
    static ColorProcessor fromRgb(float[][] c, int w, int h) {
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            int r = cl(c[0][i]), g = cl(c[1][i]), b = cl(c[2][i]);
            px[i] = (r << 16) | (g << 8) | b;
        }
        return new ColorProcessor(w, h, px);
    }
    static int cl(float v) { return Math.max(0, Math.min(255, Math.round(v * 255))); }
    static float[][] noise(float[][] x, double sd, Random r) {
        float[][] o = new float[3][];
        for (int k = 0; k < 3; k++) { o[k] = x[k].clone(); }
        for (int i = 0; i < o[0].length; i++) { float n = (float) (sd * r.nextGaussian()); for (int k = 0; k < 3; k++) o[k][i] += n; }
        return o;
    }
    /** mode 1: x + k (x - B x), B = [1 2 1]/4 separable; mode 2: band = x - G0.5 then B twice (approx); mode 3: x + k (x - B5 x), B5 = [1 4 6 4 1]/16. */
    static float[][] sharpen(float[][] x, int w, int h, double k, int mode) {
        float[][] o = new float[3][];
        for (int c = 0; c < 3; c++) {
            float[] hp;
            if (mode == 1) hp = sub(x[c], conv(x[c], w, h, new float[]{.25f, .5f, .25f}));
            else if (mode == 3) hp = sub(x[c], conv(x[c], w, h, new float[]{1/16f, 4/16f, 6/16f, 4/16f, 1/16f}));
            else {
                float[] g = gauss(0.5); float[] d = sub(x[c], conv(x[c], w, h, g));
                float[] b = {.25f, .5f, .25f};
                hp = conv(conv(d, w, h, b), w, h, b);
                for (int i = 0; i < hp.length; i++) hp[i] *= 2;
            }
            o[c] = new float[x[c].length];
            for (int i = 0; i < hp.length; i++) o[c][i] = (float) (x[c][i] + k * hp[i]);
        }
        return o;
    }
    static float[] gauss(double s) { float[] g = new float[7]; double t = 0; for (int i = -3; i <= 3; i++) { g[i + 3] = (float) Math.exp(-i * i / (2 * s * s)); t += g[i + 3]; } for (int i = 0; i < 7; i++) g[i] /= t; return g; }
    static float[] sub(float[] a, float[] b) { float[] o = new float[a.length]; for (int i = 0; i < a.length; i++) o[i] = a[i] - b[i]; return o; }
    static float[] conv(float[] x, int w, int h, float[] k) {
        int r = k.length / 2; float[] t = new float[x.length], o = new float[x.length];
        for (int y = 0; y < h; y++) for (int i = 0; i < w; i++) { float s = 0; for (int j = -r; j <= r; j++) s += k[j + r] * x[y * w + Math.max(0, Math.min(w - 1, i + j))]; t[y * w + i] = s; }
        for (int y = 0; y < h; y++) for (int i = 0; i < w; i++) { float s = 0; for (int j = -r; j <= r; j++) s += k[j + r] * t[Math.max(0, Math.min(h - 1, y + j)) * w + i]; o[y * w + i] = s; }
        return o;
    }
}
