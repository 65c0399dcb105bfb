package io.github.superresolve.train;

import io.github.superresolve.resolve.Resolve;
import io.github.superresolve.TestData;
import io.github.superresolve.nn.Discriminator;
import io.github.superresolve.nn.GeneratorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Discriminators and the adversarial generator loss on tiny inputs. */
class AdversarialTest {

    @Test
    void fftMagnitudeEqualsADirectDft() {
        int n = 8;
        Random r = new Random(4);
        float[] x = new float[2 * n * n];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, 2, n, n);
        SDVariable mag = Discriminator.fftMagnitude(sd, in, n);
        INDArray out = mag.eval(Map.of("x", Nd4j.create(x, new long[]{1, 2, n, n}, 'c')));
        for (int c = 0; c < 2; c++)
            for (int v = 0; v < n; v++)
                for (int u = 0; u < n; u++) {
                    double re = 0, im = 0;
                    for (int y = 0; y < n; y++)
                        for (int xx = 0; xx < n; xx++) {
                            double a = -2 * Math.PI * (u * xx + v * y) / n;
                            double val = x[c * n * n + y * n + xx];
                            re += val * Math.cos(a);
                            im += val * Math.sin(a);
                        }
                    assertEquals(Math.hypot(re, im), out.getDouble(0, c, v, u), 1e-3, "c" + c + " v" + v + " u" + u);
                }
    }

    /** Cross-entropies stay finite for logits a confident discriminator reaches (SameDiff's softplus overflows past ~88). */
    @Test
    void softplusIsFiniteAndExactForLargeLogits() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1);
        INDArray out = Discriminator.softplus(sd, x).eval(Map.of("x", Nd4j.createFromArray(-200f, -20f, -1f, 0f, 1f, 20f, 200f)));
        double[] in = {-200, -20, -1, 0, 1, 20, 200};
        for (int i = 0; i < in.length; i++)
            assertEquals(Math.max(in[i], 0) + Math.log1p(Math.exp(-Math.abs(in[i]))), out.getDouble(i), 1e-5 * Math.max(1, Math.abs(in[i])), "x = " + in[i]);
    }

    /** The highpass discriminator's input: 4 (x - Gaussian blur of x), per channel, zero for flat regions. */
    @Test
    void highPassIsFourTimesTheImageMinusItsGaussianBlur() {
        int n = 16;
        float[] x = new float[2 * n * n];
        java.util.Arrays.fill(x, 0, n * n, 0.5f); // channel 0 flat, channel 1 one bright pixel
        x[n * n + 8 * n + 8] = 1f;
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, 2, n, n);
        INDArray hp = Discriminator.highPass(sd, in, 2).eval(Map.of("x", Nd4j.create(x, new long[]{1, 2, n, n}, 'c')));
        for (int y = 3; y < n - 3; y++)
            for (int xx = 3; xx < n - 3; xx++) assertEquals(0, hp.getDouble(0, 0, y, xx), 1e-6, "flat channel, away from the border");
        double sum = 0;
        for (int i = -3; i <= 3; i++) sum += Math.exp(-i * i / 2.0);
        assertEquals(4 * (1 - 1 / (sum * sum)), hp.getDouble(0, 1, 8, 8), 1e-5, "impulse: 4 (1 - centre weight)");
        assertEquals(-4 * Math.exp(-0.5) / (sum * sum), hp.getDouble(0, 1, 8, 9), 1e-5, "its neighbour");
        assertEquals(0, hp.getDouble(0, 0, 8, 9) - hp.getDouble(0, 0, 8, 8), 1e-6, "channels stay apart");

        // highpass-fine: 8 (x - blur sigma 0.5); its narrower blur leaves more of an impulse and less of its neighbour
        SameDiff sd2 = SameDiff.create();
        SDVariable in2 = sd2.placeHolder("x", DataType.FLOAT, -1, 2, n, n);
        INDArray fine = Discriminator.highPass(sd2, in2, 2, 0.5, 8).eval(Map.of("x", Nd4j.create(x, new long[]{1, 2, n, n}, 'c')));
        double s2 = 0;
        for (int i = -3; i <= 3; i++) s2 += Math.exp(-i * i / 0.5);
        assertEquals(8 * (1 - 1 / (s2 * s2)), fine.getDouble(0, 1, 8, 8), 1e-5, "impulse: 8 (1 - centre weight)");
        assertEquals(-8 * Math.exp(-2) / (s2 * s2), fine.getDouble(0, 1, 8, 9), 1e-5, "its neighbour");
        assertEquals(0, fine.getDouble(0, 0, 8, 8), 1e-6, "flat channel");
    }

    /**
     * highpass-band's filter: blind to flat regions and to every pattern at Nyquist (checkerboard, stripes
     * along either axis), and a cosine of f cycles per pixel comes out with the amplitude
     * 128 (1 - g(f))^2 cos^2(pi f), g the 7-tap Gaussian's response: largest at 0.6 of Nyquist, small at 0.2.
     */
    @Test
    void bandPassIsBlindAtNyquistAndPassesTheUpperBand() {
        int n = 32;
        double[] freqs = {0.3, 0.1};
        float[] x = new float[6 * n * n];
        for (int y = 0; y < n; y++)
            for (int xx = 0; xx < n; xx++) {
                int i = y * n + xx;
                x[i] = 0.5f; // flat
                x[n * n + i] = (xx + y) % 2 == 0 ? 1f : 0f; // checkerboard
                x[2 * n * n + i] = xx % 2 == 0 ? 1f : 0f; // vertical stripes, Nyquist along x
                x[3 * n * n + i] = y % 2 == 0 ? 0.8f : 0.2f; // horizontal stripes
                for (int f = 0; f < freqs.length; f++)
                    x[(4 + f) * n * n + i] = (float) (0.5 + 0.5 * Math.cos(2 * Math.PI * freqs[f] * xx));
            }
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, 6, n, n);
        INDArray out = Discriminator.bandPass(sd, in, 6).eval(Map.of("x", Nd4j.create(x, new long[]{1, 6, n, n}, 'c')));
        int r = 4; // the kernel's radius: beyond it the zero padding shows
        for (int c = 0; c < 4; c++)
            for (int y = r; y < n - r; y++)
                for (int xx = r; xx < n - r; xx++)
                    assertEquals(0, out.getDouble(0, c, y, xx), 1e-4, "channel " + c + " at (" + xx + ", " + y + ")");
        for (int f = 0; f < freqs.length; f++) {
            double peak = 0;
            for (int xx = r; xx < n - r; xx++) peak = Math.max(peak, Math.abs(out.getDouble(0, 4 + f, n / 2, xx)));
            double fr = freqs[f];
            double g = 0, sum = 0;
            for (int k = -3; k <= 3; k++) {
                double w = Math.exp(-k * k / 0.5);
                sum += w;
                g += w * Math.cos(2 * Math.PI * fr * k);
            }
            double expected = 128 * 0.5 * Math.pow(1 - g / sum, 2) * Math.pow(Math.cos(Math.PI * fr), 2);
            assertEquals(expected, peak, 0.03 * expected, "cosine of " + fr + " cycles per pixel");
        }
    }

    /** Smooth images (real) against noise (fake): the discriminator must learn to tell them apart. */
    @ParameterizedTest
    @EnumSource(Discriminator.Kind.class)
    void discriminatorLearnsToSeparateRealFromFake(Discriminator.Kind kind) {
        int p = 16, c = 1, n = 4;
        Map<String, INDArray> d = Discriminator.initParams(kind, c, p, 3);
        Random r = new Random(8);
        float[] real = new float[n * c * p * p], fake = new float[n * c * p * p];
        for (int i = 0; i < n; i++)
            for (int y = 0; y < p; y++)
                for (int x = 0; x < p; x++) {
                    real[(i * p + y) * p + x] = (float) (0.5 + 0.3 * Math.sin(0.3 * x + i) * Math.cos(0.2 * y));
                    fake[(i * p + y) * p + x] = r.nextFloat();
                }
        INDArray re = Nd4j.create(real, new long[]{n, c, p, p}, 'c'), fa = Nd4j.create(fake, new long[]{n, c, p, p}, 'c');
        INDArray inputs = Nd4j.create(uniform(n * c * (p / 2) * (p / 2), 9), new long[]{n, c, p / 2, p / 2}, 'c'); // (conditional)
        try (DiscriminatorTrainer t = new DiscriminatorTrainer(kind, c, p, 2, d, GeneratorTrainer.AdamSettings.of(1e-3))) {
            INDArray before = d.get("dense2/W").dup();
            double first = t.step(re, fa, inputs), last = first;
            for (int i = 0; i < 30; i++) last = t.step(re, fa, inputs);
            assertTrue(last < 0.5 * first && last < 0.3, kind + ": cross-entropy " + first + " -> " + last);
            assertEquals(1.0, t.lastAccuracy(), 1e-9);
            assertFalse(before.equalsWithEps(d.get("dense2/W"), 1e-7), "parameters are updated in place");
        }
    }

    /**
     * Relativistic pairs: the discriminator's loss is mean -log sigmoid(C(real_i) - C(fake_i)) over the logits
     * of one mixed batch, its accuracy the fraction of pairs ordered right, and it learns to order them.
     */
    @Test
    void relativisticDiscriminatorScoresPairsByTheirLogitDifference() {
        int p = 16, c = 1, n = 4;
        Discriminator.Kind kind = Discriminator.Kind.HIGHPASS_STRONG;
        Map<String, INDArray> d = Discriminator.initParams(kind, c, p, 3);
        Random r = new Random(8);
        float[] real = new float[n * c * p * p], fake = new float[n * c * p * p];
        for (int i = 0; i < n * p * p; i++) {
            real[i] = r.nextFloat();
            fake[i] = 0.5f + 0.2f * (real[i] - 0.5f); // the same images with a fifth of the contrast
        }
        INDArray re = Nd4j.create(real, new long[]{n, c, p, p}, 'c'), fa = Nd4j.create(fake, new long[]{n, c, p, p}, 'c');
        try (DiscriminatorTrainer t = new DiscriminatorTrainer(kind, c, p, 2, d, GeneratorTrainer.AdamSettings.of(1e-3), 0, true)) {
            INDArray logits = logitsOf(kind, d, Nd4j.concat(0, re, fa), c, p);
            double expected = 0;
            int ordered = 0;
            for (int i = 0; i < n; i++) {
                double diff = logits.getDouble(i, 0) - logits.getDouble(n + i, 0);
                expected += Math.log1p(Math.exp(-diff)) / n;
                if (diff > 0) ordered++;
            }
            double first = t.step(re, fa, null), last = first;
            assertEquals(expected, first, 1e-4, "-log sigmoid(C(real) - C(fake)), mean over pairs");
            assertEquals(ordered / (double) n, t.lastAccuracy(), 1e-9);
            for (int i = 0; i < 20; i++) last = t.step(re, fa, null);
            assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
            assertEquals(1.0, t.lastAccuracy(), 1e-9);
            assertThrows(IllegalArgumentException.class, () -> t.step(re, fa.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)), null));
        }
    }

    /** The generator's relativistic term: mean -log sigmoid(C(fake_i) - C(real_i)), fake and real in one batch. */
    @Test
    void relativisticGeneratorTermComparesEachOutputWithItsOwnTruth() {
        int scale = 2, p = 16, c = 3, n = 3;
        Discriminator.Kind kind = Discriminator.Kind.HIGHPASS_STRONG;
        GeneratorConfig g = TestData.tiny(c, scale);
        Map<String, INDArray> d = Discriminator.initParams(kind, c, p, 11);
        float[] lr = uniform(n * c * 8 * 8, 12), hr = uniform(n * c * p * p, 13);
        try (GeneratorTrainer gt = new GeneratorTrainer(g, TestData.tinyParams(g), GeneratorTrainer.AdamSettings.of(1e-4),
                new GeneratorTrainer.Adversary(kind, d, p, 0.01, 0, 0, true))) {
            double loss = gt.step(lr, hr, n, 8, 8);
            INDArray logits = logitsOf(kind, d, Nd4j.concat(0, gt.lastFake(), Nd4j.create(hr, new long[]{n, c, p, p}, 'c')), c, p);
            double expected = 0;
            for (int i = 0; i < n; i++) expected += Math.log1p(Math.exp(-(logits.getDouble(i, 0) - logits.getDouble(n + i, 0)))) / n;
            assertEquals(expected, gt.lastAdversarial(), 1e-4);
            assertEquals(gt.lastMse() + 0.01 * expected, loss, 1e-6);
        }
    }

    private static INDArray logitsOf(Discriminator.Kind kind, Map<String, INDArray> d, INDArray images, int c, int p) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, c, p, p);
        return Discriminator.logits(sd, x, kind, c, p, name -> sd.hasVariable(name.replace('/', '_'))
                ? sd.getVariable(name.replace('/', '_')) : sd.var(name.replace('/', '_'), d.get(name))).eval(Map.of("x", images));
    }

    @ParameterizedTest
    @EnumSource(Discriminator.Kind.class)
    void generatorLossIsMsePlusWeightedAdversarialTermAndSeesDiscriminatorUpdates(Discriminator.Kind kind) {
        int scale = 2, p = 16, c = 3, n = 2;
        GeneratorConfig g = TestData.tiny(c, scale);
        Map<String, INDArray> d = Discriminator.initParams(kind, c, p, 5);
        GeneratorTrainer.Adversary adv = new GeneratorTrainer.Adversary(kind, d, p, 0.01);
        float[] lr = uniform(n * c * 8 * 8, 2), hr = uniform(n * c * p * p, 3);
        try (GeneratorTrainer gt = new GeneratorTrainer(g, TestData.tinyParams(g), GeneratorTrainer.AdamSettings.of(1e-4), adv);
             DiscriminatorTrainer dt = new DiscriminatorTrainer(kind, c, p, scale, d, GeneratorTrainer.AdamSettings.of(1e-4))) {
            INDArray inputs = Nd4j.create(lr, new long[]{n, c, 8, 8}, 'c');
            double loss = gt.step(lr, hr, n, 8, 8);
            assertEquals(gt.lastMse() + 0.01 * gt.lastAdversarial(), loss, 1e-6);
            assertTrue(gt.lastAdversarial() > 0);
            assertArrayEquals(new long[]{n, c, p, p}, gt.lastFake().shape());
            dt.step(Nd4j.create(hr, new long[]{n, c, p, p}, 'c'), gt.lastFake(), inputs);
            // the generator's graph holds the very arrays the discriminator trainer updates
            assertSame(d.get("dense1/W"), gt.variableArray("D_dense1_W"));
            double acc = dt.lastAccuracy();
            assertEquals(Math.rint(acc * 2 * n), acc * 2 * n, 1e-9, "accuracy counts whole images of the 2n judged: " + acc);
            // the same images shown as real and as fake get the same logit: each pair is right exactly once,
            // and the cross-entropy is at least ln 2
            double same = dt.step(Nd4j.create(hr, new long[]{n, c, p, p}, 'c'), Nd4j.create(hr, new long[]{n, c, p, p}, 'c'), inputs);
            assertEquals(0.5, dt.lastAccuracy(), 0, "identical real and fake images");
            assertTrue(same >= Math.log(2) - 1e-4, "cross-entropy " + same + " below ln 2 for identical real and fake");
        }
    }

    /** With a ramp, step k (from 1) of the generator weighs the adversarial term by weight * min(1, k / ramp). */
    @Test
    void adversarialRampRaisesTheWeightLinearlyThenHoldsIt() {
        int scale = 2, p = 16, c = 1, n = 2;
        Discriminator.Kind kind = Discriminator.Kind.HIGHPASS_BAND;
        GeneratorConfig g = TestData.tiny(c, scale);
        Map<String, INDArray> d = Discriminator.initParams(kind, c, p, 5);
        GeneratorTrainer.Adversary adv = new GeneratorTrainer.Adversary(kind, d, p, 0.02, 4);
        float[] lr = uniform(n * c * 8 * 8, 2), hr = uniform(n * c * p * p, 3);
        try (GeneratorTrainer gt = new GeneratorTrainer(g, TestData.tinyParams(g), GeneratorTrainer.AdamSettings.of(1e-4), adv)) {
            double[] expected = {0.005, 0.01, 0.015, 0.02, 0.02, 0.02};
            for (double w : expected) {
                double loss = gt.step(lr, hr, n, 8, 8);
                assertEquals(w, gt.lastAdversarialWeight(), 1e-12, "step " + gt.step());
                assertEquals(gt.lastMse() + w * gt.lastAdversarial(), loss, 1e-6, "step " + gt.step());
            }
        }
        assertEquals(0.02, new GeneratorTrainer.Adversary(kind, d, p, 0.02).weightAt(0), 0, "no ramp: the full weight at once");
    }

    /**
     * highpass-strong's input: grain-level detail (noise within +-0.01, a checkerboard of 0.01) is removed
     * entirely, a step edge and a strong checkerboard pass, less the threshold, times the gain: 16 shrink(x - B x).
     */
    @Test
    void strongDetailRemovesGrainAndKeepsEdges() {
        int n = 16;
        float[] x = new float[4 * n * n];
        Random r = new Random(2);
        for (int y = 0; y < n; y++)
            for (int xx = 0; xx < n; xx++) {
                int i = y * n + xx;
                x[i] = 0.5f + 0.01f * (2 * r.nextFloat() - 1); // grain: |x - B x| <= 0.75 * 0.01 + 0.75 * 0.01 < 0.02
                x[n * n + i] = 0.3f + ((xx + y) % 2 == 0 ? 0.01f : 0f); // faint checkerboard: x - B x = +-0.005
                x[2 * n * n + i] = xx < 8 ? 0f : 0.5f; // vertical step edge
                x[3 * n * n + i] = (xx + y) % 2 == 0 ? 0.2f : 0f; // strong checkerboard: x - B x = +-0.1
            }
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, 4, n, n);
        INDArray out = Discriminator.strongDetail(sd, in, 4).eval(Map.of("x", Nd4j.create(x, new long[]{1, 4, n, n}, 'c')));
        for (int y = 1; y < n - 1; y++)
            for (int xx = 1; xx < n - 1; xx++) {
                assertEquals(0, out.getDouble(0, 0, y, xx), 1e-6, "grain at (" + xx + ", " + y + ")");
                assertEquals(0, out.getDouble(0, 1, y, xx), 1e-6, "faint checkerboard at (" + xx + ", " + y + ")");
                double edge = xx == 7 ? -16 * (0.125 - 0.02) : xx == 8 ? 16 * (0.125 - 0.02) : 0;
                assertEquals(edge, out.getDouble(0, 2, y, xx), 1e-4, "step edge at (" + xx + ", " + y + ")");
                assertEquals(((xx + y) % 2 == 0 ? 1 : -1) * 16 * (0.1 - 0.02), out.getDouble(0, 3, y, xx), 1e-4,
                        "strong checkerboard at (" + xx + ", " + y + ")");
            }
    }

    /**
     * A batch-norm discriminator judges the generated images in a batch with the real ones, as it is
     * trained: shown the generated images alone, its batch statistics would re-centre them and hide the
     * global difference it learnt to see.
     */
    @ParameterizedTest
    @EnumSource(value = Discriminator.Kind.class, mode = EnumSource.Mode.EXCLUDE, names = {"FFT"})
    void adversarialTermJudgesGeneratedImagesInOneBatchWithRealOnes(Discriminator.Kind kind) {
        int scale = 2, p = 16, c = 3, n = 3;
        GeneratorConfig g = TestData.tiny(c, scale);
        Map<String, INDArray> d = Discriminator.initParams(kind, c, p, 11);
        float[] lr = uniform(n * c * 8 * 8, 12), hr = uniform(n * c * p * p, 13);
        try (GeneratorTrainer gt = new GeneratorTrainer(g, TestData.tinyParams(g), GeneratorTrainer.AdamSettings.of(1e-4),
                new GeneratorTrainer.Adversary(kind, d, p, 0.01))) {
            gt.step(lr, hr, n, 8, 8);
            INDArray fake = gt.lastFake(), real = Nd4j.create(hr, new long[]{n, c, p, p}, 'c');
            INDArray inputs = Nd4j.create(lr, new long[]{n, c, 8, 8}, 'c');
            double mixed = generatedCrossEntropy(kind, d, Nd4j.concat(0, fake, real), Nd4j.concat(0, inputs, inputs), n, c, p);
            double alone = generatedCrossEntropy(kind, d, fake, inputs, n, c, p);
            assertEquals(mixed, gt.lastAdversarial(), 1e-4, "-log D(G(x)) over the generated rows of a mixed batch");
            assertTrue(Math.abs(alone - mixed) > 1e-3, "the batch's composition matters to batch-norm: " + alone + " vs " + mixed);
        }
    }

    /** mean softplus(-logit) over the first n images of a batch. */
    private static double generatedCrossEntropy(Discriminator.Kind kind, Map<String, INDArray> d, INDArray images, INDArray inputs,
                                                int n, int c, int p) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, c, p, p);
        SDVariable lr = sd.placeHolder("lr", DataType.FLOAT, -1, c, -1, -1);
        SDVariable cond = kind.conditional() ? Discriminator.condition(sd, lr, c, 2) : null;
        SDVariable l = Discriminator.logits(sd, x, cond, kind, c, p, name -> sd.hasVariable(name.replace('/', '_'))
                ? sd.getVariable(name.replace('/', '_')) : sd.var(name.replace('/', '_'), d.get(name)));
        INDArray logits = kind.conditional() ? l.eval(Map.of("x", images, "lr", inputs)) : l.eval(Map.of("x", images));
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.log1p(Math.exp(-logits.getDouble(i, 0)));
        return sum / n;
    }

    @ParameterizedTest
    @EnumSource(Discriminator.Kind.class)
    void eachStepChangesOnlyItsOwnNetwork(Discriminator.Kind kind) {
        int scale = 2, p = 16, c = 3, n = 2;
        GeneratorConfig g = TestData.tiny(c, scale);
        Map<String, INDArray> d = Discriminator.initParams(kind, c, p, 5);
        float[] lr = uniform(n * c * 8 * 8, 4), hr = uniform(n * c * p * p, 5);
        try (GeneratorTrainer gt = new GeneratorTrainer(g, TestData.tinyParams(g), GeneratorTrainer.AdamSettings.of(1e-3),
                new GeneratorTrainer.Adversary(kind, d, p, 0.1));
             DiscriminatorTrainer dt = new DiscriminatorTrainer(kind, c, p, scale, d, GeneratorTrainer.AdamSettings.of(1e-3))) {
            Map<String, INDArray> g0 = gt.params(), d0 = copy(d);
            gt.step(lr, hr, n, 8, 8);
            Map<String, INDArray> g1 = gt.params();
            assertEquals(d0.keySet(), d.keySet());
            for (String k : d0.keySet()) assertEquals(d0.get(k), d.get(k), "generator step changed discriminator " + k);
            assertTrue(g0.keySet().stream().anyMatch(k -> !g0.get(k).equalsWithEps(g1.get(k), 1e-9)), "generator step changed no generator weight");
            dt.step(Nd4j.create(hr, new long[]{n, c, p, p}, 'c'), gt.lastFake(), Nd4j.create(lr, new long[]{n, c, 8, 8}, 'c'));
            Map<String, INDArray> g2 = gt.params();
            for (String k : g1.keySet()) assertEquals(g1.get(k), g2.get(k), "discriminator step changed generator " + k);
            assertTrue(d0.keySet().stream().anyMatch(k -> !d0.get(k).equalsWithEps(d.get(k), 1e-9)), "discriminator step changed no discriminator weight");
        }
    }

    /** With the trunk frozen, a step moves every tail parameter it can and leaves every trunk parameter exactly as it was. */
    @Test
    void frozenTrunkStepMovesOnlyTheTail() {
        int scale = 2, p = 16, c = 3, n = 2;
        Discriminator.Kind kind = Discriminator.Kind.HIGHPASS_BAND;
        GeneratorConfig g = TestData.tiny(c, scale);
        Map<String, INDArray> d = Discriminator.initParams(kind, c, p, 5);
        float[] lr = uniform(n * c * 8 * 8, 4), hr = uniform(n * c * p * p, 5);
        try (GeneratorTrainer gt = new GeneratorTrainer(g, TestData.tinyParams(g), GeneratorTrainer.AdamSettings.of(1e-3),
                new GeneratorTrainer.Adversary(kind, d, p, 0.1), true)) {
            assertTrue(gt.trunkFrozen());
            Map<String, INDArray> g0 = gt.params();
            gt.step(lr, hr, n, 8, 8);
            Map<String, INDArray> g1 = gt.params();
            long tail = 0;
            for (String k : g0.keySet()) {
                if (GeneratorTrainer.isTail(k)) {
                    tail++;
                    if (!k.endsWith("/alpha")) assertFalse(g0.get(k).equalsWithEps(g1.get(k), 1e-9), "tail " + k + " did not move");
                } else {
                    assertEquals(g0.get(k), g1.get(k), "frozen " + k + " moved");
                }
            }
            assertTrue(tail >= 3 && tail < g0.size(), tail + " tail tensors of " + g0.size());
        }
    }

    /** {@code length} values uniform in [0, 1). */
    private static float[] uniform(int length, long seed) {
        Random r = new Random(seed);
        float[] a = new float[length];
        for (int i = 0; i < length; i++) a[i] = r.nextFloat();
        return a;
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> m) {
        Map<String, INDArray> c = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : m.entrySet()) c.put(e.getKey(), e.getValue().dup());
        return c;
    }

    @ParameterizedTest
    @EnumSource(value = Discriminator.Kind.class)
    void adversarialRunResumesExactlyAndRecordsBothLosses(Discriminator.Kind kind, @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws java.io.IOException {
        java.nio.file.Path hr = TrainingTest.folder(tmp.resolve("hr"), 4, 40);
        String method = kind == Discriminator.Kind.FFT ? "fftgan" : "srgan";
        java.util.function.BiFunction<java.nio.file.Path, Long, TrainingOptions> opts = (out, steps) -> TrainingOptions.builder().hrDir(hr).scale(2).channels(3).patch(16).batch(2).steps(steps).recipe("fast").learningRate(1e-3).blocks(1).width(8).output(out).resume(!out.getFileName().toString().startsWith("full") && steps > 2).checkpointEvery(2).validateEvery(1000).seed(3).cacheMb(256).method(method).adversarialWeight(0.01).discWarmup(0).discLearningRate(Double.NaN).discriminator(kind.label()).build();
        io.github.superresolve.nn.ModelCatalog cat = io.github.superresolve.nn.ModelCatalog.standard();
        TrainingRun.Result full = new TrainingRun(opts.apply(tmp.resolve("full.zip"), 4L), m -> { }, cat).run();
        new TrainingRun(opts.apply(tmp.resolve("split.zip"), 2L), m -> { }, cat).run();
        new TrainingRun(opts.apply(tmp.resolve("split.zip"), 4L), m -> { }, cat).run();
        Map<String, INDArray> a = io.github.superresolve.nn.ModelFile.read(tmp.resolve("full.zip")).params();
        Map<String, INDArray> b = io.github.superresolve.nn.ModelFile.read(tmp.resolve("split.zip")).params();
        for (String k : a.keySet()) assertTrue(a.get(k).equalsWithEps(b.get(k), 1e-5), k + " differs after resume");
        var cp = io.github.superresolve.nn.ModelFile.readCheckpoint(tmp.resolve("split.checkpoint.zip"));
        assertTrue(cp.optimizer().containsKey("disc/dense2/W"));
        assertTrue(cp.optimizer().containsKey("disc-adam/dense2/W"));
        assertEquals(kind == Discriminator.Kind.FFT ? "fftGAN" : "SRGAN", cp.model().card().method());
        assertEquals(kind.label(), cp.model().card().training().get("discriminator"));
        TrainingLog.Row last = full.log().get(full.log().size() - 1);
        assertEquals(last.mse() + 0.01 * last.adversarial(), last.loss(), 1e-6);
        assertTrue(last.dAccuracy() >= 0 && last.dAccuracy() <= 1 && last.dLoss() > 0);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"conv", "conditional"})
    void discriminatorWarmUpTrainsOnlyTheDiscriminatorFirst(String discriminator, @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path hr = TrainingTest.folder(tmp.resolve("hr"), 4, 40);
        java.util.function.Function<Integer, TrainingOptions> opts = warm -> TrainingOptions.builder().hrDir(hr).scale(2).channels(3).patch(16).batch(2).steps(1).recipe("fast").learningRate(1e-3).blocks(1).width(8).output(tmp.resolve("w" + warm + ".zip")).resume(false).checkpointEvery(2).validateEvery(1000).seed(3).cacheMb(256).method("srgan").adversarialWeight(0.01).discWarmup(warm).discLearningRate(5e-4).discriminator(discriminator).build();
        io.github.superresolve.nn.ModelCatalog cat = io.github.superresolve.nn.ModelCatalog.standard();
        java.util.List<String> lines = new java.util.ArrayList<>();
        new TrainingRun(opts.apply(0), m -> { }, cat).run();
        new TrainingRun(opts.apply(4), lines::add, cat).run();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("warm-up 4/4: discriminator loss")), String.join("\n", lines));
        var cold = io.github.superresolve.nn.ModelFile.readCheckpoint(tmp.resolve("w0.checkpoint.zip"));
        var warm = io.github.superresolve.nn.ModelFile.readCheckpoint(tmp.resolve("w4.checkpoint.zip"));
        // one joint step either way: only the warm-up can make the two discriminators differ
        assertTrue(!cold.optimizer().get("disc/dense2/W").equalsWithEps(warm.optimizer().get("disc/dense2/W"), 1e-7),
                "the warm-up changed the discriminator");
        assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder().hrDir(hr).scale(2).channels(3).patch(16).batch(2).steps(1).recipe("fast").learningRate(1e-3).blocks(1).width(8).output(tmp.resolve("x.zip")).resume(false).checkpointEvery(2).validateEvery(1000).seed(3).cacheMb(256).method("srresnet").adversarialWeight(0.01).discWarmup(3).discLearningRate(Double.NaN).build());
    }

    @Test
    void rganTrainsASecondStageAndTheRecursiveModelUpscalesByTwoFourAndEight(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws java.io.IOException {
        java.nio.file.Path hr = TrainingTest.folder(tmp.resolve("hr"), 3, 40);
        java.nio.file.Path x2 = TestData.writeModel(tmp, "stage1-x2", TestData.tiny(3, 2));
        java.nio.file.Path out = tmp.resolve("rgan-x4.zip");
        TrainingOptions o = TrainingOptions.builder().hrDir(hr).scale(4).channels(3).patch(32).batch(2).steps(2).recipe("fast").learningRate(1e-3).blocks(1).width(8).output(out).resume(false).from(x2.toString()).checkpointEvery(10).validateEvery(10).seed(3).cacheMb(256).method("rgan").adversarialWeight(0.01).build();
        new TrainingRun(o, m -> { }, io.github.superresolve.nn.ModelCatalog.standard()).run();
        io.github.superresolve.nn.Model m = io.github.superresolve.nn.ModelFile.read(out);
        assertEquals("rGAN", m.card().method());
        assertEquals(2, m.card().stages());
        assertEquals(4, m.card().scale());
        assertEquals(2, m.card().config().scale());
        // stage 1 is the given x2 model, unchanged; stage 2 started from it and was trained
        Map<String, INDArray> given = io.github.superresolve.nn.ModelFile.read(x2).params();
        assertTrue(given.get("conv_in/W").equalsWithEps(m.stageParams(1).get("conv_in/W"), 0));
        assertFalse(given.get("conv_out/W").equalsWithEps(m.stageParams(2).get("conv_out/W"), 1e-9));
        io.github.superresolve.nn.ModelCatalog cat = new io.github.superresolve.nn.ModelCatalog(java.util.List.of());
        for (int s : new int[]{2, 4, 8}) {
            var up = Resolve.upscaler(out.toString(), s, 32, -1, 1, cat);
            assertEquals(s, up.scale());
            ij.ImagePlus img = new ij.ImagePlus("t", new ij.process.ColorProcessor(12, 10));
            ij.ImagePlus res = io.github.superresolve.infer.ImageUpscaler.upscale(img, up,
                    io.github.superresolve.infer.ImageUpscaler.Options.defaults(), io.github.superresolve.infer.Progress.NONE);
            assertEquals(12 * s, res.getWidth());
        }
        var e = assertThrows(io.github.superresolve.nn.ModelException.class,
                () -> Resolve.upscaler(out.toString(), 3, 32, -1, 1, cat));
        assertTrue(e.getMessage().contains("powers of 2"), e.getMessage());
    }
}
