package io.github.superresolve.ij;

import io.github.superresolve.TestData;
import io.github.superresolve.nn.ModelCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fiji's side of a models folder holding a bad file: the dialogs' lists keep the good models, the log names the bad one once. */
class SuperResolveServiceTest {

    @TempDir
    Path dir;

    @Test
    void aBadFileInTheModelsFolderIsLoggedOnceAndTheGoodModelsStayListed() throws Exception {
        TestData.writeModel(dir, "tiny-x2", TestData.tiny(1, 2));
        Files.writeString(dir.resolve("broken.zip"), "not a zip");
        Context context = new Context(LogService.class, SuperResolveService.class);
        try {
            List<String> warnings = new ArrayList<>();
            context.getService(LogService.class).addLogListener(m -> {
                if (m.level() == LogLevel.WARN) warnings.add(m.text());
            });
            SuperResolveService s = context.getService(SuperResolveService.class);
            s.setCatalog(new ModelCatalog(List.of(dir)));
            List<String> choices = s.modelChoices();
            assertEquals("tiny-x2", choices.get(0));
            assertTrue(choices.contains("srresnet-x2-gray"), choices.toString());
            s.modelChoices();
            s.defaultModel();
            assertEquals(List.of("Super-Resolve: Model file " + dir.resolve("broken.zip")
                    + " is left out of the model list: it is not a zip archive, or it is empty (remove or replace it)."), warnings);
        } finally {
            context.dispose();
        }
    }
}
