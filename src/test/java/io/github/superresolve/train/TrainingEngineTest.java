package io.github.superresolve.train;

import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.nn.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The training command on either engine: the same model, and a run resumed on the other engine. */
class TrainingEngineTest {

    static TrainingOptions options(Path hr, Path out, long steps, boolean resume, String recipe, String engine) {
        return TrainingOptions.builder().hrDir(hr).scale(2).channels(3).patch(16).batch(4).steps(steps).recipe(recipe).learningRate(1e-3).blocks(2).width(8).output(out).resume(resume).checkpointEvery(2).validateEvery(1000).seed(7).cacheMb(256).method("srresnet").adversarialWeight(TrainingOptions.DEFAULT_ADVERSARIAL_WEIGHT).discWarmup(0).discLearningRate(Double.NaN).adversarialRamp(0).freezeTrunk(false).instanceNoise(0).adversarialLoss("standard").keepCheckpoints(false).engine(engine).build();
    }

    private static GeneratorConfig config(String recipe) {
        return recipe.equals("study") ? new GeneratorConfig(3, 2, 2, 8, true, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL)
                : new GeneratorConfig(3, 2, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
    }

    @Test
    void bothEnginesTrainTheSameModelAndARunResumesOnTheOther(@TempDir Path tmp) throws IOException {
        Path hr = TrainingTest.folder(tmp.resolve("hr"), 5, 40);
        for (String recipe : new String[]{"fast", "study"}) {
            Path eager = tmp.resolve(recipe + "-eager.zip"), graph = tmp.resolve(recipe + "-graph.zip"), mixed = tmp.resolve(recipe + "-mixed.zip");
            List<String> messages = new ArrayList<>();
            new TrainingRun(options(hr, eager, 4, false, recipe, null), messages::add, ModelCatalog.standard()).run();
            assertTrue(messages.contains("Engine: eager (the inference engine's kernels, pixel MSE)."), messages.toString());
            new TrainingRun(options(hr, graph, 4, false, recipe, "samediff"), m -> { }, ModelCatalog.standard()).run();
            // two steps on the graph, checkpoint, two more on the eager engine
            new TrainingRun(options(hr, mixed, 2, false, recipe, "samediff"), m -> { }, ModelCatalog.standard()).run();
            TrainingRun.Result r = new TrainingRun(options(hr, mixed, 4, true, recipe, "eager"), m -> { }, ModelCatalog.standard()).run();
            assertEquals(4, r.steps());
            Map<String, INDArray> e = ModelFile.read(eager).params(), g = ModelFile.read(graph).params(), m = ModelFile.read(mixed).params();
            EagerGeneratorTrainerTest.assertSameParameters(config(recipe), g, e, 4);
            EagerGeneratorTrainerTest.assertSameParameters(config(recipe), g, m, 4);
            assertEquals("eager", ModelFile.read(eager).card().training().get("engine"));
            assertEquals("samediff", ModelFile.read(graph).card().training().get("engine"));
        }
    }

    static TrainingOptions gan(Path hr, Path out, long steps, boolean resume, String engine) {
        return TrainingOptions.builder().hrDir(hr).scale(2).channels(3).patch(16).batch(4).steps(steps).recipe("fast").learningRate(1e-3).blocks(2).width(8).output(out).resume(resume).checkpointEvery(2).validateEvery(1000).seed(7).cacheMb(256).method("srgan").adversarialWeight(0.05).discWarmup(0).discLearningRate(2e-4).discriminator("highpass-strong").adversarialRamp(0).freezeTrunk(false).instanceNoise(0.01).adversarialLoss("relativistic").keepCheckpoints(false).engine(engine).build();
    }

    @Test
    void anAdversarialRunTrainsAlikeOnBothEnginesAndResumesOnTheOther(@TempDir Path tmp) throws IOException {
        Path hr = TrainingTest.folder(tmp.resolve("hr"), 5, 40);
        Path eager = tmp.resolve("eager.zip"), graph = tmp.resolve("graph.zip"), mixed = tmp.resolve("mixed.zip");
        List<String> messages = new ArrayList<>();
        new TrainingRun(gan(hr, eager, 4, false, null), messages::add, ModelCatalog.standard()).run();
        assertTrue(messages.contains("Engine: eager (generator and discriminator on the inference engine's kernels)."), messages.toString());
        new TrainingRun(gan(hr, graph, 4, false, "samediff"), m -> { }, ModelCatalog.standard()).run();
        // two steps on the graph, checkpoint (generator, discriminator, both optimisers), two more on the eager engine
        new TrainingRun(gan(hr, mixed, 2, false, "samediff"), m -> { }, ModelCatalog.standard()).run();
        List<String> resumed = new ArrayList<>();
        assertEquals(4, new TrainingRun(gan(hr, mixed, 4, true, "eager"), resumed::add, ModelCatalog.standard()).run().steps());
        assertTrue(resumed.contains("Engine: eager (generator and discriminator on the inference engine's kernels)."), resumed.toString());
        Path plain = tmp.resolve("plain.zip"); // the same run without the adversarial term: how far apart "different" is
        new TrainingRun(options(hr, plain, 4, false, "fast", "eager"), m -> { }, ModelCatalog.standard()).run();
        Map<String, INDArray> start = io.github.superresolve.nn.SrResNet.initParams(config("fast"), 7);
        Map<String, INDArray> q = ModelFile.read(plain).params();
        Map<String, INDArray> e = ModelFile.read(eager).params(), g = ModelFile.read(graph).params(), m = ModelFile.read(mixed).params();
        // Each tensor's whole change against the graph run's. Two engines round differently; Adam's first
        // update is lr * sign(gradient) per entry, so where an entry's gradient is rounding-small the runs
        // step apart by the whole learning rate: a run on the other engine from the start differs by up to
        // ~0.26 of the change (measured), one resumed after the first steps by < 1e-4, and one without the
        // adversarial term by more than the change itself (weights: 1.05-1.4 measured).
        for (String k : g.keySet()) {
            INDArray moved = g.get(k).sub(start.get(k));
            double size = moved.norm2Number().doubleValue();
            double re = moved.sub(e.get(k).sub(start.get(k))).norm2Number().doubleValue() / size;
            double rm = moved.sub(m.get(k).sub(start.get(k))).norm2Number().doubleValue() / size;
            double rq = moved.sub(q.get(k).sub(start.get(k))).norm2Number().doubleValue() / size;
            assertTrue(rm <= 1e-3, "resumed " + k + ": the runs' changes differ by " + rm + " of the change");
            assertTrue(re <= 0.4, "eager " + k + ": the runs' changes differ by " + re + " of the change");
            if (k.endsWith("/W")) assertTrue(rq >= 0.8, "without the adversarial term " + k + " changed alike (" + rq + "): the comparison says nothing");
        }
    }

    @Test
    void autoIsTheEagerEngineForEveryMethod(@TempDir Path tmp) {
        assertTrue(gan(tmp, tmp.resolve("m.zip"), 1, false, null).schedule().eager());
        assertTrue(options(tmp, tmp.resolve("m.zip"), 1, false, "fast", null).schedule().eager());
        assertFalse(options(tmp, tmp.resolve("m.zip"), 1, false, "fast", "samediff").schedule().eager());
        assertFalse(gan(tmp, tmp.resolve("m.zip"), 1, false, "samediff").schedule().eager());
    }
}
