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
        return new TrainingOptions(hr, null, null, "", 2, 3, 16, 4, steps, recipe, 1e-3, 2, 8, out, resume, null, false,
                2, 1000, 7, 256, "srresnet", TrainingOptions.DEFAULT_ADVERSARIAL_WEIGHT, 0, Double.NaN, null, 0, false, 0,
                TrainingOptions.STANDARD_LOSS, false, engine);
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

    @Test
    void theEagerEngineIsRefusedForAdversarialTrainingInOneSentence(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainingOptions(tmp, null, null, "", 2, 3, 32, 4,
                10, "fast", 1e-3, 2, 8, tmp.resolve("m.zip"), false, null, false, 2, 1000, 7, 256, "srgan", 1e-4, 0, Double.NaN, null, 0,
                false, 0, TrainingOptions.STANDARD_LOSS, false, "eager"));
        assertEquals("The eager engine trains with pixel MSE only, not method srgan: leave --engine out (or set it to samediff) for adversarial training.",
                e.getMessage());
        assertFalse(new TrainingOptions(tmp, null, null, "", 2, 3, 32, 4, 10, "fast", 1e-3, 2, 8, tmp.resolve("m.zip"), false, null, false,
                2, 1000, 7, 256, "srgan", 1e-4, 0, Double.NaN, null, 0, false, 0, TrainingOptions.STANDARD_LOSS, false, null).eager());
        assertTrue(options(tmp, tmp.resolve("m.zip"), 1, false, "fast", null).eager());
        assertFalse(options(tmp, tmp.resolve("m.zip"), 1, false, "fast", "samediff").eager());
    }
}
