package io.github.superresolve.train;

import io.github.superresolve.TestData;
import io.github.superresolve.nn.Discriminator;
import io.github.superresolve.nn.GeneratorConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Instance noise: reproducible per step, of the asked size, and wired into both adversarial trainers. */
public class InstanceNoiseTest {

    @Test
    void noiseDependsOnlyOnTheStepAndHasTheAskedDeviation() {
        InstanceNoise n = new InstanceNoise(0.02, 7);
        long[] shape = {4, 3, 32, 32};
        INDArray a = n.sample(shape, 5), b = n.sample(shape, 5), c = n.sample(shape, 6);
        assertEquals(a, b, "the same step draws the same noise (a resumed run repeats it)");
        assertNotEquals(a, c);
        assertEquals(0, a.meanNumber().doubleValue(), 0.001);
        assertEquals(0.02, a.stdNumber().doubleValue(), 0.0005);
        assertEquals(0.02, new InstanceNoise(0.02, 8).sample(shape, 5).stdNumber().doubleValue(), 0.0005);
        INDArray img = Nd4j.ones(DataType.FLOAT, 2, 1, 4, 4);
        assertSame(img, new InstanceNoise(0, 1).addTo(img, 3));
        assertEquals(32.0, img.sumNumber().doubleValue(), 0, "no noise: unchanged");
        assertFalse(new InstanceNoise(0, 1).enabled());
        assertThrows(IllegalArgumentException.class, () -> new InstanceNoise(-0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> new InstanceNoise(Double.NaN, 1));
    }

    /** A discriminator shown noisy images: identical real and fake images no longer get identical logits. */
    @Test
    void bothTrainersShowTheDiscriminatorNoisyImages() {
        int scale = 2, p = 16, c = 1, n = 2;
        Discriminator.Kind kind = Discriminator.Kind.HIGHPASS_BAND;
        Map<String, INDArray> d = Discriminator.initParams(kind, c, p, 5);
        INDArray same = Nd4j.rand(DataType.FLOAT, n, c, p, p);
        try (DiscriminatorTrainer clean = new DiscriminatorTrainer(kind, c, p, scale, d, GeneratorTrainer.AdamSettings.of(1e-12));
             DiscriminatorTrainer noisy = new DiscriminatorTrainer(kind, c, p, scale, d, GeneratorTrainer.AdamSettings.of(1e-12), 0.05)) {
            double lClean = clean.step(same, same.dup());
            assertEquals(0.5, clean.lastAccuracy(), 0, "identical real and fake images");
            assertTrue(lClean >= Math.log(2) - 1e-4);
            noisy.step(same, same.dup());
            double lNoisy = noisy.step(same, same.dup());
            assertNotEquals(lClean, lNoisy, 1e-6, "noise reached the discriminator's inputs");
        }
        GeneratorConfig g = TestData.tiny(c, scale);
        float[] lr = new float[n * c * 8 * 8], hr = new float[n * c * p * p];
        java.util.Arrays.fill(lr, 0.5f);
        java.util.Arrays.fill(hr, 0.5f);
        double[] adv = new double[2];
        for (int k = 0; k < 2; k++)
            try (GeneratorTrainer gt = new GeneratorTrainer(g, TestData.tinyParams(g), GeneratorTrainer.AdamSettings.of(1e-4),
                    new GeneratorTrainer.Adversary(kind, d, p, 0.01, 0, k == 0 ? 0 : 0.05))) {
                double loss = gt.step(lr, hr, n, 8, 8);
                assertEquals(gt.lastMse() + 0.01 * gt.lastAdversarial(), loss, 1e-6);
                adv[k] = gt.lastAdversarial();
            }
        assertNotEquals(adv[0], adv[1], 1e-6, "the adversarial term judged noisy images");
    }
}
