package io.github.superresolve.ij;

import ij.measure.ResultsTable;
import io.github.superresolve.TestData;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.train.TrainingTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The comparison command in a headless SciJava context. */
class CompareMethodsCommandTest {

    private Context context;
    private CommandService commands;

    @BeforeEach
    void setUp() {
        context = new Context(CommandService.class, SuperResolveService.class);
        commands = context.getService(CommandService.class);
    }

    @AfterEach
    void tearDown() {
        context.dispose();
    }

    @Test
    void tableHasOneRowPerMethodWithTheProtocolsScores(@TempDir Path tmp) throws Exception {
        Path truth = TrainingTest.folder(tmp.resolve("truth"), 2, 48);
        Path models = Files.createDirectories(tmp.resolve("models"));
        TestData.writeModel(models, "tiny-x2", TestData.tiny(3, 2));
        context.getService(SuperResolveService.class).setCatalog(new ModelCatalog(List.of(models)));
        CommandModule m = commands.run(CompareMethods.class, true, Map.of("input_directory", truth.toFile(), "scale", "2")).get();
        assertFalse(m.isCanceled(), m.getCancelReason());
        ResultsTable t = (ResultsTable) m.getOutput("table");
        assertEquals(3, t.size());
        assertEquals("bicubic", t.getLabel(0));
        assertEquals("lanczos", t.getLabel(1));
        assertEquals("tiny-x2", t.getLabel(2));
        for (int i = 0; i < 3; i++) {
            double mse = t.getValue("MSE (0-255)", i), psnr = t.getValue("PSNR (dB)", i);
            assertTrue(psnr > 15 && psnr < 60, "PSNR " + psnr);
            assertTrue(mse > 0 && t.getValue("SSIM", i) > 0 && t.getValue("SSIM", i) <= 1);
        }
        CommandModule bad = commands.run(CompareMethods.class, true, Map.of("input_directory", truth.toFile(), "scale", "4",
                "methods", "tiny-x2")).get();
        assertTrue(bad.isCanceled());
        assertTrue(bad.getCancelReason().contains("upscales by 2"), bad.getCancelReason());
    }
}
