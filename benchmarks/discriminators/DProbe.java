import io.github.superresolve.nn.*;
import io.github.superresolve.train.*;
import org.nd4j.autodiff.samediff.*;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.nio.file.Path;
import java.util.*;

/**
 * What a trained discriminator calls real (docs/training.md, "What the discriminator keys on at x2"): the
 * mean logit (real > 0) of variants of training crops and of a generator's outputs, each variant judged in
 * one batch with the real crops, as the discriminator is trained (batch-norm over the mixed batch), with
 * each variant's fine-detail energy mean((x - B x)^2), B the [1 2 1]/4 blur in both directions, and its
 * MSE against the real crops. Batches are PatchSampler's (seed 7, steps 1000...), 16 crops of 96^2.
 *
 * Run from the repository (after mvn package) as a single-file program:
 *   java -cp "target/super-resolve-0.1.0-SNAPSHOT.jar:target/lib/*" benchmarks/discriminators/DProbe.java \
 *       RUN.checkpoint.zip DISCRIMINATOR BATCHES [GENERATOR.zip]
 * DISCRIMINATOR is the run's (e.g. highpass-band); the generator is the checkpoint's unless a model is given.
 */
public class DProbe {
    public static void main(String[] a) throws Exception {
        ModelFile.Checkpoint cp = ModelFile.readCheckpoint(Path.of(a[0]));
        Discriminator.Kind kind = Discriminator.Kind.parse(a[1]);
        int batches = Integer.parseInt(a[2]);
        Map<String, INDArray> d = new LinkedHashMap<>();
        for (var e : cp.optimizer().entrySet()) if (e.getKey().startsWith("disc/")) d.put(e.getKey().substring(5), e.getValue());
        GeneratorConfig cfg = cp.model().card().config();
        Map<String, INDArray> gp = a.length > 3 ? ModelFile.read(Path.of(a[3])).params() : cp.model().params();
        Generator g = new Generator(cfg, gp);
        int c = cfg.channels(), s = cfg.scale(), p = 96, n = 16;
        TrainingImages im = TrainingImages.scan(Path.of("data/train"), null, "", c, PatchSampler.minSide(p), s, 2048, w -> {});
        PatchSampler sampler = new PatchSampler(im, s, p, n, 7, true);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 2 * n, c, p, p);
        SDVariable logits = Discriminator.logits(sd, x, kind, c, p, name -> sd.hasVariable("D_" + name.replace('/', '_')) ? sd.getVariable("D_" + name.replace('/', '_')) : sd.var("D_" + name.replace('/', '_'), d.get(name)));
        String[] names = {"real", "fake (generator)", "real blurred (1 px 3-tap [1 2 1]/4)", "real, band x0.7 (real - 0.3 (real - blur))", "fake sharpened (fake + 0.3 (fake - blur))", "fake + noise sd 0.01", "real + noise sd 0.01"};
        double[] sum = new double[names.length], energy = new double[names.length], mse = new double[names.length];
        Random r = new Random(3);
        for (int b = 0; b < batches; b++) {
            PatchSampler.Batch bt = sampler.batch(1000 + b);
            float[] real = bt.hr();
            float[] fake = g.run(bt.lr(), n, bt.lrSize(), bt.lrSize());
            float[][] v = new float[names.length][];
            v[0] = real; v[1] = fake;
            v[2] = blur(real, n * c, p);
            v[3] = mix(real, v[2], 0.3f);
            float[] fb = blur(fake, n * c, p);
            v[4] = mix(fake, fb, -0.3f);
            v[5] = noise(fake, r); v[6] = noise(real, r);
            for (int k = 0; k < names.length; k++) {
                float[] both = new float[2 * real.length];
                System.arraycopy(v[k], 0, both, 0, real.length);
                System.arraycopy(real, 0, both, real.length, real.length);
                INDArray out = logits.eval(Map.of("x", Nd4j.create(both, new long[]{2 * n, c, p, p}, 'c')));
                double m = 0;
                for (int i = 0; i < n; i++) m += out.getDouble(i, 0);
                sum[k] += m / n;
                float[] bl = blur(v[k], n * c, p);
                double e = 0;
                for (int i = 0; i < bl.length; i++) e += (v[k][i] - bl[i]) * (v[k][i] - bl[i]);
                energy[k] += e / bl.length;
                double se = 0;
                for (int i = 0; i < real.length; i++) se += (v[k][i] - real[i]) * (v[k][i] - real[i]);
                mse[k] += se / real.length;
            }
        }
        for (int k = 0; k < names.length; k++) System.out.printf(Locale.ROOT, "%-45s mean logit %+.3f   fine-detail energy %.3e   MSE vs real %.2e%n", names[k], sum[k] / batches, energy[k] / batches, mse[k] / batches);
    }
    static float[] mix(float[] a, float[] blurred, float t) { float[] o = new float[a.length]; for (int i = 0; i < a.length; i++) o[i] = a[i] - t * (a[i] - blurred[i]); return o; }
    static float[] noise(float[] a, Random r) { float[] o = a.clone(); for (int i = 0; i < o.length; i++) o[i] += (float) (0.01 * r.nextGaussian()); return o; }
    static float[] blur(float[] a, int planes, int p) {
        float[] t = new float[a.length], o = new float[a.length];
        for (int q = 0; q < planes; q++) for (int y = 0; y < p; y++) for (int x = 0; x < p; x++) {
            int i = (q * p + y) * p + x;
            t[i] = 0.5f * a[i] + 0.25f * a[(q * p + y) * p + Math.max(0, x - 1)] + 0.25f * a[(q * p + y) * p + Math.min(p - 1, x + 1)];
        }
        for (int q = 0; q < planes; q++) for (int y = 0; y < p; y++) for (int x = 0; x < p; x++) {
            int i = (q * p + y) * p + x;
            o[i] = 0.5f * t[i] + 0.25f * t[(q * p + Math.max(0, y - 1)) * p + x] + 0.25f * t[(q * p + Math.min(p - 1, y + 1)) * p + x];
        }
        return o;
    }
}
