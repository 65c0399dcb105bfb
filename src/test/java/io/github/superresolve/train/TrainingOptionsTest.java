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
        return TrainingOptions.builder().hrDir(HR).fileFilter(null).scale(scale).channels(channels).patch(patch).batch(batch).steps(steps).recipe(recipe).learningRate(lr).blocks(16).width(64).output(out).resume(false).checkpointEvery(checkpointEvery).validateEvery(validateEvery).seed(1).cacheMb(cacheMb).method(method).adversarialWeight(adv).build();
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
        assertEquals("", o.data().fileFilter());
    }

    @Test
    void defaultsFillWhatWasLeftOut() {
        TrainingOptions o = opts(2, 1, 32, 1, 1, null, 0, OUT, 0, -3, 10, null, 0);
        assertEquals(TrainingOptions.Recipe.FAST, o.network().recipe());
        assertEquals(TrainingOptions.Method.SRRESNET, o.adversarial().method());
        assertEquals(0, o.schedule().checkpointEvery(), "not given: the resumed checkpoint's, or TrainingOptions.DEFAULT_EVERY");
        assertEquals(0, o.schedule().validateEvery());
        assertEquals(2048, o.data().cacheMb());
        assertNull(o.discriminator());
        TrainingOptions kept = opts(2, 1, 32, 1, 1, "STUDY", 0, OUT, 1, 1, 64, "SRGAN", 10);
        assertEquals(TrainingOptions.Recipe.STUDY, kept.network().recipe());
        assertEquals(TrainingOptions.Method.SRGAN, kept.adversarial().method());
        assertEquals(1, kept.schedule().checkpointEvery());
        assertEquals(1, kept.schedule().validateEvery());
        assertEquals(64, kept.data().cacheMb());
        assertEquals(10, kept.adversarial().weight());
        // the short constructor is a pixel-MSE run with the default adversarial weight
        TrainingOptions mse = TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(4).steps(10).recipe("fast").learningRate(1e-3).blocks(2).width(8).output(OUT).resume(false).checkpointEvery(5).validateEvery(5).seed(1).cacheMb(256).build();
        assertEquals(TrainingOptions.Method.SRRESNET, mse.adversarial().method());
        assertEquals(TrainingOptions.DEFAULT_ADVERSARIAL_WEIGHT, mse.adversarial().weight());
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
        for (int s : new int[]{2, 4, 8}) assertEquals(s, opts(s, 3, 8 * s, 1, 1, "fast", 0, OUT, 1, 1, 64, null, 0).network().scale());
        assertEquals(1024, opts(2, 3, 16, 1024, 1, "fast", 0, OUT, 1, 1, 64, null, 0).data().batch());
        assertEquals(16, opts(2, 3, 16, 1, 1, "fast", 0, OUT, 1, 1, 64, null, 0).data().patch());
        assertEquals(0, opts(2, 3, 32, 1, 1, "fast", 0, OUT, 1, 1, 64, "srgan", 0).adversarial().weight());
        assertEquals(10, opts(2, 3, 32, 1, 1, "fast", 0, OUT, 1, 1, 64, "srgan", 10).adversarial().weight());
        assertEquals(Paths.get("A.ZIP"), opts(2, 3, 32, 1, 1, "fast", 0, Paths.get("A.ZIP"), 1, 1, 64, null, 0).output().model());
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
        assertEquals(40, opts(2, 3, 40, 1, 1, "fast", 0, OUT, 1, 1, 64, "srresnet", 0).data().patch());
    }

    private static String refusedDisc(String method, int warmup, double discLr) {
        return assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(1e-3).blocks(16).width(64).output(OUT).resume(false).checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method(method).adversarialWeight(1e-4).discWarmup(warmup).discLearningRate(discLr).build()).getMessage();
    }

    @Test
    void discriminatorWarmUpAndLearningRate() {
        TrainingOptions o = TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(3e-4).blocks(16).width(64).output(OUT).resume(false).checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method("srgan").adversarialWeight(1e-4).build();
        assertEquals(0, o.adversarial().discWarmup());
        assertEquals(3e-4, o.effectiveDiscLearningRate(), 0, "the generator's rate by default");
        TrainingOptions w = TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(3e-4).blocks(16).width(64).output(OUT).resume(false).checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method("srgan").adversarialWeight(1e-4).discWarmup(100_000).discLearningRate(5e-5).build();
        assertEquals(100_000, w.adversarial().discWarmup());
        assertEquals(5e-5, w.effectiveDiscLearningRate(), 0);
        assertTrue(refusedDisc("srgan", -1, Double.NaN).contains("0..100000, not -1"));
        assertTrue(refusedDisc("srgan", 100_001, Double.NaN).contains("not 100001"));
        assertTrue(refusedDisc("srresnet", 5, Double.NaN).contains("needs an adversarial method"));
        assertTrue(refusedDisc("srgan", 0, -1e-4).contains("between 0 and 1, not -1.0E-4"));
        assertTrue(refusedDisc("srgan", 0, 1).contains("not 1.0"));
        // the discriminator chosen: conv or conv-light for srgan and rgan, fft for fftgan only
        TrainingOptions light = TrainingOptions.builder().hrDir(HR).scale(4).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(3e-4).blocks(16).width(64).output(OUT).resume(false).checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method("rgan").adversarialWeight(1e-4).discWarmup(0).discLearningRate(Double.NaN).discriminator("Conv_Light").build();
        assertEquals(Discriminator.Kind.CONV_LIGHT, light.discriminator());
        assertEquals(Discriminator.Kind.CONV_LIGHT, light.adversarial().discriminator());
        for (String[] bad : new String[][]{{"srgan", "fft"}, {"fftgan", "conv"}, {"srresnet", "conv"}}) {
            String m = assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(1e-3).blocks(16).width(64).output(OUT).resume(false).checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method(bad[0]).adversarialWeight(1e-4).discWarmup(0).discLearningRate(Double.NaN).discriminator(bad[1]).build()).getMessage();
            assertTrue(m.contains("does not go with method " + bad[0]), m);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(1e-3).blocks(16).width(64).output(OUT).resume(false).checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method("srgan").adversarialWeight(1e-4).discWarmup(0).discLearningRate(Double.NaN).discriminator("unet").build()).getMessage()
                .contains("Unknown discriminator 'unet': use conv, conv-light, conditional, highpass, highpass-fine, highpass-band, conditional-band, highpass-strong, conditional-strong or fft."));
        TrainingOptions cond = TrainingOptions.builder().hrDir(HR).scale(4).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(1e-3).blocks(16).width(64).output(OUT).resume(false).checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method("rgan").adversarialWeight(1e-4).discWarmup(0).discLearningRate(Double.NaN).discriminator("Conditional").build();
        assertEquals(Discriminator.Kind.CONDITIONAL, cond.discriminator());
        assertEquals(Discriminator.Kind.CONDITIONAL, cond.adversarial().discriminator());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(1e-3).blocks(16).width(64).output(OUT).resume(false).checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method("fftgan").adversarialWeight(1e-4).discWarmup(0).discLearningRate(Double.NaN).discriminator("conditional").build()).getMessage()
                .contains("srgan and rgan take conv, conv-light, conditional, highpass, highpass-fine, highpass-band, conditional-band, highpass-strong or conditional-strong, fftgan takes fft."));
    }

    @Test
    void adversarialRamp() {
        java.util.function.BiFunction<String, Integer, TrainingOptions> o = (method, ramp) -> TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(1e-3).blocks(16).width(64).output(OUT).resume(false).checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method(method).adversarialWeight(1e-4).discWarmup(0).discLearningRate(Double.NaN).adversarialRamp(ramp).freezeTrunk(false).build();
        assertEquals(0, TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(3e-4).blocks(16).width(64).output(OUT).resume(false).checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method("srgan").adversarialWeight(1e-4).build().adversarial().ramp(), "none by default");
        assertEquals(30, o.apply("srgan", 30).adversarial().ramp());
        assertEquals("The adversarial ramp must be 0..100000 joint steps, not -1.",
                assertThrows(IllegalArgumentException.class, () -> o.apply("srgan", -1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.apply("srresnet", 10)).getMessage()
                .contains("needs an adversarial method"));
    }

    @Test
    void freezingTheTrunkNeedsANetworkToStartFrom() {
        java.util.function.BiFunction<String, Boolean, TrainingOptions> o = (from, resume) -> TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(1e-3).blocks(16).width(64).output(OUT).resume(resume).from(from).checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method("srgan").adversarialWeight(1e-4).discWarmup(0).discLearningRate(Double.NaN).adversarialRamp(0).freezeTrunk(true).build();
        assertTrue(o.apply("srresnet-x2", false).network().freezeTrunk());
        assertTrue(o.apply(null, true).network().freezeTrunk(), "a resumed run has its network in the checkpoint");
        assertEquals("Freezing the trunk fine-tunes a trained network: name it with from_model (--from).",
                assertThrows(IllegalArgumentException.class, () -> o.apply(null, false)).getMessage());
        assertFalse(TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(3e-4).blocks(16).width(64).output(OUT).resume(false).checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method("srgan").adversarialWeight(1e-4).build().network().freezeTrunk());
    }

    @Test
    void instanceNoise() {
        java.util.function.BiFunction<String, Double, TrainingOptions> o = (method, sd) -> TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(1e-3).blocks(16).width(64).output(OUT).resume(false).from("srresnet-x2").checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method(method).adversarialWeight(1e-4).discWarmup(0).discLearningRate(Double.NaN).adversarialRamp(0).freezeTrunk(false).instanceNoise(sd).build();
        assertEquals(0.015, o.apply("srgan", 0.015).adversarial().instanceNoise());
        assertEquals(0, o.apply("srgan", 0.0).adversarial().instanceNoise());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.apply("srgan", 0.6)).getMessage()
                .startsWith("Instance noise must be between 0 and 0.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.apply("srgan", Double.NaN)).getMessage().endsWith("not NaN."));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.apply("srresnet", 0.01)).getMessage()
                .contains("needs an adversarial method"));
    }

    @Test
    void adversarialLoss() {
        java.util.function.BiFunction<String, String, TrainingOptions> o = (method, loss) -> TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(1e-3).blocks(16).width(64).output(OUT).resume(false).from("srresnet-x2").checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method(method).adversarialWeight(1e-4).discWarmup(0).discLearningRate(Double.NaN).adversarialRamp(0).freezeTrunk(false).instanceNoise(0).adversarialLoss(loss).build();
        assertTrue(o.apply("srgan", "Relativistic").adversarial().relativistic());
        assertEquals("relativistic", o.apply("srgan", " relativistic ").adversarial().loss().label());
        assertFalse(o.apply("srgan", null).adversarial().relativistic(), "standard by default");
        assertEquals("standard", TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(3e-4).blocks(16).width(64).output(OUT).resume(false).checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method("srgan").adversarialWeight(1e-4).build().adversarial().loss().label());
        assertEquals("Unknown adversarial loss 'hinge': use standard or relativistic.",
                assertThrows(IllegalArgumentException.class, () -> o.apply("srgan", "hinge")).getMessage());
        for (String m : new String[]{"fftgan", "srresnet"})
            assertTrue(assertThrows(IllegalArgumentException.class, () -> o.apply(m, "relativistic")).getMessage()
                    .endsWith("use it with method srgan or rgan, not " + m + "."));
    }

    @Test
    void keptCheckpointsSitBesideTheOutput() {
        TrainingOptions o = TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(1e-3).blocks(16).width(64).output(OUT.resolveSibling("gan.zip")).resume(false).from("srresnet-x2").checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method("srgan").adversarialWeight(1e-4).discWarmup(0).discLearningRate(Double.NaN).adversarialRamp(0).freezeTrunk(false).instanceNoise(0).adversarialLoss("relativistic").keepCheckpoints(true).build();
        assertTrue(o.output().keepCheckpoints());
        assertEquals(OUT.resolveSibling("gan-step40.zip"), o.keptModel(40));
        assertFalse(TrainingOptions.builder().hrDir(HR).scale(2).channels(3).patch(32).batch(1).steps(1).recipe("fast").learningRate(3e-4).blocks(16).width(64).output(OUT).resume(false).checkpointEvery(1).validateEvery(1).seed(1).cacheMb(64).method("srgan").adversarialWeight(1e-4).build().output().keepCheckpoints());
    }

    /** The one set of defaults: what a run is when only the two required options are given. */
    @Test
    void theBuilderHoldsTheDefaults() {
        TrainingOptions o = TrainingOptions.builder().hrDir(HR).output(OUT).build();
        assertEquals(new TrainingOptions.Data(HR, null, null, "", 96, 16, 2048, null), o.data());
        assertEquals(new TrainingOptions.Network(4, 3, TrainingOptions.Recipe.FAST, 16, 64, null, false), o.network());
        assertEquals(2000, o.schedule().steps());
        assertTrue(Double.isNaN(o.schedule().learningRate()));
        assertEquals(2e-4, o.effectiveLearningRate());
        assertEquals(TrainingOptions.Engine.AUTO, o.schedule().engine());
        assertEquals(1, o.schedule().seed());
        assertEquals(TrainingOptions.Method.SRRESNET, o.adversarial().method());
        assertEquals(TrainingOptions.DEFAULT_ADVERSARIAL_WEIGHT, o.adversarial().weight());
        assertEquals(TrainingOptions.AdversarialLoss.STANDARD, o.adversarial().loss());
        assertEquals(new TrainingOptions.Output(OUT, false, false, false), o.output());
        // a changed copy keeps everything else
        TrainingOptions more = o.toBuilder().steps(5000).build();
        assertEquals(5000, more.schedule().steps());
        assertEquals(o.data(), more.data());
        assertEquals(o.network(), more.network());
        assertEquals(o, more.toBuilder().steps(2000).build());
        assertEquals("Name the training images' folder (input_directory / --hr-dir).",
                assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder().output(OUT).build()).getMessage());
    }

    /** The learning-rate warm-up: given, or auto (a pixel-MSE fine-tune only); refused out of range with a sentence. */
    @Test
    void learningRateWarmup() {
        TrainingOptions.Builder b = TrainingOptions.builder().hrDir(HR).output(OUT);
        assertEquals(TrainingOptions.AUTO_WARMUP, b.build().schedule().lrWarmup());
        assertEquals(0, b.build().effectiveLrWarmup(), "from scratch: none");
        assertEquals(TrainingOptions.FINE_TUNE_WARMUP, b.from("srresnet-x4").build().effectiveLrWarmup(), "fine-tuning a model");
        assertEquals(0, b.method("srgan").build().effectiveLrWarmup(), "the adversarial recipes were tuned without it");
        assertEquals(25, b.lrWarmup(25).build().effectiveLrWarmup());
        assertEquals(0, b.method("srresnet").lrWarmup(0).build().effectiveLrWarmup(), "0 turns it off");
        assertEquals(25, b.lrWarmup(25).build().toBuilder().build().schedule().lrWarmup(), "a copy keeps it");
        assertEquals("Learning-rate warm-up steps must be 0..100000 (or -1 for auto), not -2.",
                assertThrows(IllegalArgumentException.class, () -> b.lrWarmup(-2).build()).getMessage());
    }

    /** The discriminator is two choices, a filter and conditional or not; each of the ten kinds but conv-light is one pair. */
    @Test
    void theDiscriminatorIsAFilterAndConditionalOrNot() {
        for (Discriminator.Kind k : Discriminator.Kind.values()) {
            if (k == Discriminator.Kind.CONV_LIGHT) continue;
            assertEquals(k, Discriminator.Kind.of(k.filter(), k.conditional()), k.label());
        }
        assertEquals(Discriminator.Kind.CONDITIONAL_STRONG, TrainingOptions.builder().hrDir(HR).output(OUT).method("srgan")
                .discriminatorFilter("strong").conditional(true).build().discriminator());
        assertEquals(Discriminator.Kind.HIGHPASS_BAND, TrainingOptions.builder().hrDir(HR).output(OUT).method("rgan")
                .discriminatorFilter("Band").build().discriminator());
        assertEquals(Discriminator.Kind.CONDITIONAL, TrainingOptions.builder().hrDir(HR).output(OUT).method("srgan")
                .conditional(true).build().discriminator(), "conditional alone: the image beside the input");
        assertEquals(Discriminator.Kind.FFT, TrainingOptions.builder().hrDir(HR).output(OUT).method("fftgan")
                .discriminatorFilter("auto").build().discriminator());
        // the old one-word spelling, and the same choice given both ways
        assertEquals(Discriminator.Kind.HIGHPASS_STRONG, TrainingOptions.builder().hrDir(HR).output(OUT).method("srgan")
                .discriminator("highpass-strong").discriminatorFilter("strong").build().discriminator());
        String m = assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder().hrDir(HR).output(OUT).method("srgan")
                .discriminator("highpass-band").discriminatorFilter("strong").build()).getMessage();
        assertTrue(m.contains("disagree"), m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder().hrDir(HR).output(OUT).method("srgan")
                .discriminatorFilter("highpass-fine").conditional(true).build()).getMessage();
        assertEquals("The highpass-fine discriminator has no conditional form: choose a filter of none, band or strong with conditional, "
                + "or leave conditional off.", m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder().hrDir(HR).output(OUT).method("srgan")
                .discriminatorFilter("wavelet").build()).getMessage();
        assertEquals("Unknown discriminator filter 'wavelet': use none, highpass, highpass-fine, band, strong or fft.", m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder().hrDir(HR).output(OUT).method("srresnet")
                .discriminatorFilter("strong").build()).getMessage();
        assertTrue(m.contains("does not go with method srresnet"), m);
    }

    /** Choices are typed: every label parses back to its constant, and a wrong word names the choices. */
    @Test
    void choicesAreEnumsWithLabels() {
        for (TrainingOptions.Method v : TrainingOptions.Method.values()) assertEquals(v, TrainingOptions.Method.parse(v.label().toUpperCase()));
        for (TrainingOptions.Recipe v : TrainingOptions.Recipe.values()) assertEquals(v, TrainingOptions.Recipe.parse(" " + v.label()));
        for (TrainingOptions.Engine v : TrainingOptions.Engine.values()) assertEquals(v, TrainingOptions.Engine.parse(v.label()));
        for (TrainingOptions.AdversarialLoss v : TrainingOptions.AdversarialLoss.values())
            assertEquals(v, TrainingOptions.AdversarialLoss.parse(v.label()));
        assertEquals("Unknown engine 'gpu': use auto, eager or samediff.",
                assertThrows(IllegalArgumentException.class, () -> TrainingOptions.Engine.parse("gpu")).getMessage());
        assertEquals(1e-4, TrainingOptions.Recipe.STUDY.learningRate());
        assertNull(TrainingOptions.Method.SRRESNET.defaultDiscriminator());
    }
}
