import io.github.superresolve.nn.*;
import io.github.superresolve.train.*;
import java.nio.file.Path;
import java.util.*;

/**
 * Why highpass-strong thresholds the fine detail (docs/training.md, "x2, third round"): the RMS of
 * shrink(x - B x, tau), B the 3x3 binomial blur, for real training crops and for a model's outputs as
 * they are, sharpened, and with noise, at several thresholds tau. Batches are PatchSampler's (seed 7,
 * steps 1000..1003), 16 crops of 96^2 each, 2 pixels at the crop border left out.
 *
 * Run from the repository (after mvn package) as a single-file program:
 *   java -cp "target/super-resolve-0.1.0-SNAPSHOT.jar:target/lib/*" benchmarks/discriminators/GrainProbe.java MODEL.zip HR_DIR
 */
public class GrainProbe {
    public static void main(String[] a) throws Exception {
        Model m = ModelFile.read(Path.of(a[0]));
        GeneratorConfig cfg = m.card().config();
        Generator g = new Generator(cfg, m.params());
        int c = 3, s = cfg.scale(), p = 96, n = 16;
        TrainingImages im = TrainingImages.scan(Path.of(a[1]), null, "", c, PatchSampler.minSide(p), s, 2048, w -> {});
        PatchSampler sampler = new PatchSampler(im, s, p, n, 7, true);
        double[] taus = {0, 0.005, 0.01, 0.02, 0.03, 0.05};
        String[] names = {"real", "fake", "fake unsharp 0.4", "fake + noise 0.01", "real + noise 0.01"};
        double[][] e = new double[names.length][taus.length];
        Random r = new Random(3);
        for (int b = 0; b < 4; b++) {
            PatchSampler.Batch bt = sampler.batch(1000 + b);
            float[] real = bt.hr();
            float[] fake = g.run(bt.lr(), n, bt.lrSize(), bt.lrSize());
            float[][] v = {real, fake, sharpen(fake, n * c, p, 0.4f), noise(fake, r), noise(real, r)};
            for (int k = 0; k < v.length; k++) {
                float[] hp = sub(v[k], blur(v[k], n * c, p));
                for (int t = 0; t < taus.length; t++) {
                    double sum = 0; int cnt = 0;
                    for (int i = 0; i < hp.length; i++) { int x = i % p, y = (i / p) % p; if (x < 2 || y < 2 || x >= p - 2 || y >= p - 2) continue; double q = Math.max(0, Math.abs(hp[i]) - taus[t]); sum += q * q; cnt++; }
                    e[k][t] += sum / cnt / 4;
                }
            }
        }
        System.out.printf("%-22s", "RMS soft(hp,tau)"); for (double t : taus) System.out.printf("  tau=%.3f", t); System.out.println();
        for (int k = 0; k < names.length; k++) { System.out.printf("%-22s", names[k]); for (int t = 0; t < taus.length; t++) System.out.printf("  %9.5f", Math.sqrt(e[k][t])); System.out.println(); }
    }
    static float[] noise(float[] x, Random r) { float[] o = x.clone(); for (int i = 0; i < o.length; i++) o[i] += (float) (0.01 * r.nextGaussian()); return o; }
    static float[] sub(float[] a, float[] b) { float[] o = new float[a.length]; for (int i = 0; i < a.length; i++) o[i] = a[i] - b[i]; return o; }
    static float[] sharpen(float[] x, int planes, int p, float k) { float[] b = blur(x, planes, p); float[] o = new float[x.length]; for (int i = 0; i < x.length; i++) o[i] = x[i] + k * (x[i] - b[i]); return o; }
    static float[] blur(float[] x, int planes, int p) {
        float[] t = new float[x.length], o = new float[x.length];
        for (int q = 0; q < planes; q++) { int off = q * p * p;
            for (int y = 0; y < p; y++) for (int i = 0; i < p; i++) { int l = Math.max(0, i - 1), rr = Math.min(p - 1, i + 1); t[off + y * p + i] = .25f * x[off + y * p + l] + .5f * x[off + y * p + i] + .25f * x[off + y * p + rr]; }
            for (int y = 0; y < p; y++) for (int i = 0; i < p; i++) { int u = Math.max(0, y - 1), d = Math.min(p - 1, y + 1); o[off + y * p + i] = .25f * t[off + u * p + i] + .5f * t[off + y * p + i] + .25f * t[off + d * p + i]; }
        }
        return o;
    }
}
