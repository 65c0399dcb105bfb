package io.github.superresolve.train;

import io.github.superresolve.nn.Discriminator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.*;

/** What a training run is told: defaults, derived names and every refusal's sentence. */
public class TrainingOptionsTest {

    private static final Path HR = Paths.get("hr"), OUT = Paths.get("runs", "My.Model.zip");

    private static TrainingOptions opts(int scale, int channels, int patch, int batch, long steps, String recipe, double lr,
                                        Path out, int checkpointEvery, int validateEvery, long cacheMb, String method, double adv) {
        return new TrainingOptions(HR, null, null, null, scale, channels, patch, batch, steps, recipe, lr, 16, 64, out, false,
                null, false, checkpointEvery, validateEvery, 1, cacheMb, method, adv);
    }

    private static TrainingOptions ok() {
        return opts(4, 3, 96, 16, 1000, "fast", Double.NaN, OUT, 100, 200, 512, "srresnet", 1e-4);
    }

    private static String refused(int scale, int channels, int patch, int batch, long steps, String recipe, Path out, String method, double adv) {
        return assertThrows(IllegalArgumentException.class,
                () -> opts(scale, channels, patch, batch, steps, recipe, Double.NaN, out, 1, 1, 512, method, adv)).getMessage();
    }

    @Test
    void filesBesideTheModelAreNamedAfterIt() {
        TrainingOptions o = ok();
        assertEquals("My.Model", o.modelName());
        assertEquals(Paths.get("runs", "My.Model.checkpoint.zip"), o.checkpoint());
        assertEquals(Paths.get("runs", "My.Model.log.csv"), o.log());
        assertEquals(Paths.get("runs", "My.Model.log.png"), o.plot());
        assertEquals("", o.fileFilter());
    }

    @Test
    void defaultsFillWhatWasLeftOut() {
        TrainingOptions o = opts(2, 1, 32, 1, 1, null, 0, OUT, 0, -3, 10, null, 0);
        assertEquals("fast", o.recipe());
        assertEquals("srresnet", o.method());
        assertEquals(0, o.checkpointEvery(), "not given: the resumed checkpoint's, or TrainingOptions.DEFAULT_EVERY");
        assertEquals(0, o.validateEvery());
        assertEquals(2048, o.cacheMb());
        assertNull(o.discriminator());
        TrainingOptions kept = opts(2, 1, 32, 1, 1, "STUDY", 0, OUT, 1, 1, 64, "SRGAN", 10);
        assertEquals("study", kept.recipe());
        assertEquals("srgan", kept.method());
        assertEquals(1, kept.checkpointEvery());
        assertEquals(1, kept.validateEvery());
        assertEquals(64, kept.cacheMb());
        assertEquals(10, kept.adversarialWeight());
        // the short constructor is a pixel-MSE run with the default adversarial weight
        TrainingOptions mse = new TrainingOptions(HR, null, null, "", 2, 3, 32, 4, 10, "fast", 1e-3, 2, 8, OUT, false, null,
                false, 5, 5, 1, 256);
        assertEquals("srresnet", mse.method());
        assertEquals(TrainingOptions.DEFAULT_ADVERSARIAL_WEIGHT, mse.adversarialWeight());
    }

    @Test
    void learningRateIsTheGivenOneOrTheRecipes() {
        assertEquals(2e-4, opts(2, 3, 32, 1, 1, "fast", Double.NaN, OUT, 1, 1, 64, null, 0).effectiveLearningRate());
        assertEquals(1e-4, opts(2, 3, 32, 1, 1, "study", Double.NaN, OUT, 1, 1, 64, null, 0).effectiveLearningRate());
        assertEquals(1e-4, opts(2, 3, 32, 1, 1, "study", 0, OUT, 1, 1, 64, null, 0).effectiveLearningRate());
        assertEquals(2e-4, opts(2, 3, 32, 1, 1, "fast", -1, OUT, 1, 1, 64, null, 0).effectiveLearningRate());
        assertEquals(3e-5, opts(2, 3, 32, 1, 1, "study", 3e-5, OUT, 1, 1, 64, null, 0).effectiveLearningRate());
    }

    @Test
    void eachMethodHasItsDiscriminator() {
        assertNull(opts(4, 3, 32, 1, 1, "fast", 0, OUT, 1, 1, 64, "srresnet", 0).discriminator());
        assertEquals(Discriminator.Kind.CONV, opts(4, 3, 32, 1, 1, "fast", 0, OUT, 1, 1, 64, "srgan", 0).discriminator());
        assertEquals(Discriminator.Kind.FFT, opts(4, 3, 32, 1, 1, "fast", 0, OUT, 1, 1, 64, "fftgan", 0).discriminator());
        assertEquals(Discriminator.Kind.CONV, opts(4, 3, 32, 1, 1, "fast", 0, OUT, 1, 1, 64, "rgan", 0).discriminator());
    }

    @Test
    void limitsAreAcceptedAtTheirEdges() {
        for (int s : new int[]{2, 4, 8}) assertEquals(s, opts(s, 3, 8 * s, 1, 1, "fast", 0, OUT, 1, 1, 64, null, 0).scale());
        assertEquals(1024, opts(2, 3, 16, 1024, 1, "fast", 0, OUT, 1, 1, 64, null, 0).batch());
        assertEquals(16, opts(2, 3, 16, 1, 1, "fast", 0, OUT, 1, 1, 64, null, 0).patch());
        assertEquals(0, opts(2, 3, 32, 1, 1, "fast", 0, OUT, 1, 1, 64, "srgan", 0).adversarialWeight());
        assertEquals(10, opts(2, 3, 32, 1, 1, "fast", 0, OUT, 1, 1, 64, "srgan", 10).adversarialWeight());
        assertEquals(Paths.get("A.ZIP"), opts(2, 3, 32, 1, 1, "fast", 0, Paths.get("A.ZIP"), 1, 1, 64, null, 0).output());
    }

    @Test
    void badOptionsAreRefusedWithASentenceNamingTheValue() {
        assertTrue(refused(3, 3, 48, 1, 1, "fast", OUT, null, 0).contains("2, 4 or 8, not 3"));
        assertTrue(refused(16, 3, 128, 1, 1, "fast", OUT, null, 0).contains("not 16"));
        assertTrue(refused(2, 2, 32, 1, 1, "fast", OUT, null, 0).contains("not 2"));
        assertTrue(refused(2, 4, 32, 1, 1, "fast", OUT, null, 0).contains("1 (grey) or 3 (RGB), not 4"));
        assertTrue(refused(4, 3, 30, 1, 1, "fast", OUT, null, 0).contains("at least 32, not 30"));
        assertTrue(refused(4, 3, 34, 1, 1, "fast", OUT, null, 0).contains("multiple of the scale"));
        assertTrue(refused(2, 3, 14, 1, 1, "fast", OUT, null, 0).contains("at least 16, not 14"));
        assertTrue(refused(2, 3, 32, 0, 1, "fast", OUT, null, 0).contains("1..1024, not 0"));
        assertTrue(refused(2, 3, 32, 1025, 1, "fast", OUT, null, 0).contains("not 1025"));
        assertTrue(refused(2, 3, 32, 1, 0, "fast", OUT, null, 0).contains("at least 1, not 0"));
        assertTrue(refused(2, 3, 32, 1, 1, "slow", OUT, null, 0).contains("Unknown recipe 'slow'"));
        assertTrue(refused(2, 3, 32, 1, 1, "fast", null, null, 0).contains("output_model"));
        assertTrue(refused(2, 3, 32, 1, 1, "fast", Paths.get("m.bin"), null, 0).contains("m.bin must be a .zip"));
        assertTrue(refused(2, 3, 32, 1, 1, "fast", OUT, "esrgan", 0).contains("Unknown method 'esrgan'"));
        assertTrue(refused(2, 3, 32, 1, 1, "fast", OUT, "rgan", 0).contains("set scale=4, not 2"));
        assertTrue(refused(2, 3, 32, 1, 1, "fast", OUT, "srgan", -0.1).contains("between 0 and 10"));
        assertTrue(refused(2, 3, 32, 1, 1, "fast", OUT, "srgan", 10.5).contains("not 10.5"));
        assertTrue(refused(2, 3, 32, 1, 1, "fast", OUT, "srgan", Double.NaN).contains("not NaN"));
        assertTrue(refused(2, 3, 40, 1, 1, "fast", OUT, "fftgan", 0).contains("multiple of 16, not 40"));
        // pixel MSE has no such constraint
        assertEquals(40, opts(2, 3, 40, 1, 1, "fast", 0, OUT, 1, 1, 64, "srresnet", 0).patch());
    }

    private static String refusedDisc(String method, int warmup, double discLr) {
        return assertThrows(IllegalArgumentException.class, () -> new TrainingOptions(HR, null, null, "", 2, 3, 32, 1, 1, "fast", 1e-3, 16, 64,
                OUT, false, null, false, 1, 1, 1, 64, method, 1e-4, warmup, discLr, null)).getMessage();
    }

    @Test
    void discriminatorWarmUpAndLearningRate() {
        TrainingOptions o = new TrainingOptions(HR, null, null, "", 2, 3, 32, 1, 1, "fast", 3e-4, 16, 64, OUT, false, null, false, 1, 1, 1, 64, "srgan", 1e-4);
        assertEquals(0, o.discWarmup());
        assertEquals(3e-4, o.effectiveDiscLearningRate(), 0, "the generator's rate by default");
        TrainingOptions w = new TrainingOptions(HR, null, null, "", 2, 3, 32, 1, 1, "fast", 3e-4, 16, 64, OUT, false, null, false, 1, 1, 1, 64,
                "srgan", 1e-4, 100_000, 5e-5, null);
        assertEquals(100_000, w.discWarmup());
        assertEquals(5e-5, w.effectiveDiscLearningRate(), 0);
        assertTrue(refusedDisc("srgan", -1, Double.NaN).contains("0..100000, not -1"));
        assertTrue(refusedDisc("srgan", 100_001, Double.NaN).contains("not 100001"));
        assertTrue(refusedDisc("srresnet", 5, Double.NaN).contains("needs an adversarial method"));
        assertTrue(refusedDisc("srgan", 0, 0).contains("between 0 and 1, not 0.0"));
        assertTrue(refusedDisc("srgan", 0, 1).contains("not 1.0"));
        // the discriminator chosen: conv or conv-light for srgan and rgan, fft for fftgan only
        TrainingOptions light = new TrainingOptions(HR, null, null, "", 4, 3, 32, 1, 1, "fast", 3e-4, 16, 64, OUT, false, null, false, 1, 1, 1, 64,
                "rgan", 1e-4, 0, Double.NaN, "Conv_Light");
        assertEquals(Discriminator.Kind.CONV_LIGHT, light.discriminator());
        assertEquals("conv-light", light.discriminatorChoice());
        for (String[] bad : new String[][]{{"srgan", "fft"}, {"fftgan", "conv"}, {"srresnet", "conv"}}) {
            String m = assertThrows(IllegalArgumentException.class, () -> new TrainingOptions(HR, null, null, "", 2, 3, 32, 1, 1, "fast", 1e-3,
                    16, 64, OUT, false, null, false, 1, 1, 1, 64, bad[0], 1e-4, 0, Double.NaN, bad[1])).getMessage();
            assertTrue(m.contains("does not go with method " + bad[0]), m);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrainingOptions(HR, null, null, "", 2, 3, 32, 1, 1, "fast", 1e-3,
                16, 64, OUT, false, null, false, 1, 1, 1, 64, "srgan", 1e-4, 0, Double.NaN, "unet")).getMessage()
                .contains("Unknown discriminator 'unet': use conv, conv-light, conditional, highpass, highpass-fine, highpass-band, conditional-band, highpass-strong, conditional-strong or fft."));
        TrainingOptions cond = new TrainingOptions(HR, null, null, "", 4, 3, 32, 1, 1, "fast", 1e-3,
                16, 64, OUT, false, null, false, 1, 1, 1, 64, "rgan", 1e-4, 0, Double.NaN, "Conditional");
        assertEquals(Discriminator.Kind.CONDITIONAL, cond.discriminator());
        assertEquals("conditional", cond.discriminatorChoice());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrainingOptions(HR, null, null, "", 2, 3, 32, 1, 1, "fast", 1e-3,
                16, 64, OUT, false, null, false, 1, 1, 1, 64, "fftgan", 1e-4, 0, Double.NaN, "conditional")).getMessage()
                .contains("srgan and rgan take conv, conv-light, conditional, highpass, highpass-fine, highpass-band, conditional-band, highpass-strong or conditional-strong, fftgan takes fft."));
    }

    @Test
    void adversarialRamp() {
        java.util.function.BiFunction<String, Integer, TrainingOptions> o = (method, ramp) -> new TrainingOptions(HR, null, null, "", 2, 3, 32,
                1, 1, "fast", 1e-3, 16, 64, OUT, false, null, false, 1, 1, 1, 64, method, 1e-4, 0, Double.NaN, null, ramp, false);
        assertEquals(0, new TrainingOptions(HR, null, null, "", 2, 3, 32, 1, 1, "fast", 3e-4, 16, 64, OUT, false, null, false, 1, 1, 1, 64,
                "srgan", 1e-4).adversarialRamp(), "none by default");
        assertEquals(30, o.apply("srgan", 30).adversarialRamp());
        assertEquals("The adversarial ramp must be 0..100000 joint steps, not -1.",
                assertThrows(IllegalArgumentException.class, () -> o.apply("srgan", -1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.apply("srresnet", 10)).getMessage()
                .contains("needs an adversarial method"));
    }

    @Test
    void freezingTheTrunkNeedsANetworkToStartFrom() {
        java.util.function.BiFunction<String, Boolean, TrainingOptions> o = (from, resume) -> new TrainingOptions(HR, null, null, "", 2, 3, 32,
                1, 1, "fast", 1e-3, 16, 64, OUT, resume, from, false, 1, 1, 1, 64, "srgan", 1e-4, 0, Double.NaN, null, 0, true);
        assertTrue(o.apply("srresnet-x2", false).freezeTrunk());
        assertTrue(o.apply(null, true).freezeTrunk(), "a resumed run has its network in the checkpoint");
        assertEquals("Freezing the trunk fine-tunes a trained network: name it with from_model (--from).",
                assertThrows(IllegalArgumentException.class, () -> o.apply(null, false)).getMessage());
        assertFalse(new TrainingOptions(HR, null, null, "", 2, 3, 32, 1, 1, "fast", 3e-4, 16, 64, OUT, false, null, false, 1, 1, 1, 64,
                "srgan", 1e-4).freezeTrunk());
    }

    @Test
    void instanceNoise() {
        java.util.function.BiFunction<String, Double, TrainingOptions> o = (method, sd) -> new TrainingOptions(HR, null, null, "", 2, 3, 32,
                1, 1, "fast", 1e-3, 16, 64, OUT, false, "srresnet-x2", false, 1, 1, 1, 64, method, 1e-4, 0, Double.NaN, null, 0, false, sd);
        assertEquals(0.015, o.apply("srgan", 0.015).instanceNoise());
        assertEquals(0, o.apply("srgan", 0.0).instanceNoise());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.apply("srgan", 0.6)).getMessage()
                .startsWith("Instance noise must be between 0 and 0.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.apply("srgan", Double.NaN)).getMessage().endsWith("not NaN."));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.apply("srresnet", 0.01)).getMessage()
                .contains("needs an adversarial method"));
    }

    @Test
    void adversarialLoss() {
        java.util.function.BiFunction<String, String, TrainingOptions> o = (method, loss) -> new TrainingOptions(HR, null, null, "", 2, 3, 32,
                1, 1, "fast", 1e-3, 16, 64, OUT, false, "srresnet-x2", false, 1, 1, 1, 64, method, 1e-4, 0, Double.NaN, null, 0, false, 0, loss);
        assertTrue(o.apply("srgan", "Relativistic").relativistic());
        assertEquals("relativistic", o.apply("srgan", " relativistic ").adversarialLoss());
        assertFalse(o.apply("srgan", null).relativistic(), "standard by default");
        assertEquals("standard", new TrainingOptions(HR, null, null, "", 2, 3, 32, 1, 1, "fast", 3e-4, 16, 64, OUT, false, null, false, 1, 1, 1, 64,
                "srgan", 1e-4).adversarialLoss());
        assertEquals("Unknown adversarial loss 'hinge': use standard or relativistic.",
                assertThrows(IllegalArgumentException.class, () -> o.apply("srgan", "hinge")).getMessage());
        for (String m : new String[]{"fftgan", "srresnet"})
            assertTrue(assertThrows(IllegalArgumentException.class, () -> o.apply(m, "relativistic")).getMessage()
                    .endsWith("use it with method srgan or rgan, not " + m + "."));
    }

    @Test
    void keptCheckpointsSitBesideTheOutput() {
        TrainingOptions o = new TrainingOptions(HR, null, null, "", 2, 3, 32, 1, 1, "fast", 1e-3, 16, 64, OUT.resolveSibling("gan.zip"), false,
                "srresnet-x2", false, 1, 1, 1, 64, "srgan", 1e-4, 0, Double.NaN, null, 0, false, 0, "relativistic", true);
        assertTrue(o.keepCheckpoints());
        assertEquals(OUT.resolveSibling("gan-step40.zip"), o.keptModel(40));
        assertFalse(new TrainingOptions(HR, null, null, "", 2, 3, 32, 1, 1, "fast", 3e-4, 16, 64, OUT, false, null, false, 1, 1, 1, 64,
                "srgan", 1e-4).keepCheckpoints());
    }
}
