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
    void tablesPerImageAndTableOneWithTheSameNumbersAsTheCli(@TempDir Path tmp) throws Exception {
        Path truth = TrainingTest.folder(tmp.resolve("truth"), 2, 48);
        Path models = Files.createDirectories(tmp.resolve("models"));
        TestData.writeModel(models, "tiny-x2", TestData.tiny(3, 2));
        context.getService(SuperResolveService.class).setCatalog(new ModelCatalog(List.of(models)));
        Path csv = tmp.resolve("fiji.csv");
        CommandModule m = commands.run(CompareMethods.class, true, Map.of("input_directory", truth.toFile(), "scale", "2,4",
                "methods", "bicubic, lanczos, tiny-x2", "csv_file", csv.toFile(), "montage", true)).get();
        assertFalse(m.isCanceled(), m.getCancelReason());
        ResultsTable t = (ResultsTable) m.getOutput("table");
        // x2: bicubic, lanczos, tiny-x2; x4: bicubic, lanczos -> 5 methods x 2 images + 5 mean rows
        assertEquals(15, t.size());
        assertEquals("img0.png", t.getStringValue("Image", 0));
        assertEquals("bicubic", t.getStringValue("Method", 0));
        assertEquals("mean", t.getStringValue("Image", 14));
        java.util.Map<String, Double> psnrOf = new java.util.HashMap<>(), ssimOf = new java.util.HashMap<>();
        for (int i = 0; i < t.size(); i++) {
            double psnr = t.getValue("PSNR (dB)", i), ssim = t.getValue("SSIM", i), mse = t.getValue("MSE", i);
            String key = t.getStringValue("Image", i) + " " + t.getStringValue("Method", i) + " x" + (int) t.getValue("Scale", i);
            psnrOf.put(key, psnr);
            ssimOf.put(key, ssim);
            if (!t.getStringValue("Image", i).equals("mean"))
                assertEquals(10 * Math.log10(255.0 * 255.0 / mse), psnr, 1e-6, key + ": PSNR from its own MSE on the 0-255 scale");
            assertTrue(ssim > 0.2 && ssim < 1, key + " SSIM " + ssim);
        }
        for (String img : List.of("img0.png", "img1.png", "mean")) {
            // Lanczos and bicubic are close relatives: within 1.5 dB and 0.05 SSIM of each other
            for (int sc : new int[]{2, 4}) {
                assertEquals(psnrOf.get(img + " bicubic x" + sc), psnrOf.get(img + " lanczos x" + sc), 1.5, img + " x" + sc);
                assertEquals(ssimOf.get(img + " bicubic x" + sc), ssimOf.get(img + " lanczos x" + sc), 0.05, img + " x" + sc);
            }
        }
        // the mean row is the mean of the image rows
        assertEquals((psnrOf.get("img0.png bicubic x2") + psnrOf.get("img1.png bicubic x2")) / 2, psnrOf.get("mean bicubic x2"), 1e-9);
        assertTrue(t.columnExists("PSNR R") && t.columnExists("SSIM B"), "per-channel columns for RGB");
        ResultsTable one = (ResultsTable) m.getOutput("summary");
        assertEquals(10, one.size(), "MSE, PSNR, SSIM, RSE and RSP vs input at x2 and x4");
        assertTrue(one.columnExists("tiny-x2"));
        assertTrue(Double.isNaN(one.getValue("tiny-x2", 5)), "no x4 value for a x2 model");
        assertEquals("RSP vs input", one.getStringValue("Metric", 4));
        assertTrue(one.getValue("bicubic", 4) > 0.95, "bicubic is consistent with its input: " + one.getValue("bicubic", 4));
        assertEquals(t.getValue("PSNR (dB)", 10), one.getValue("bicubic", 1), 1e-12, "mean x2 bicubic PSNR");
        assertNotNull(m.getOutput("montage_image"));
        // the CLI on the same folder writes the same CSV
        Path cliCsv = tmp.resolve("cli.csv");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(), err = new java.io.ByteArrayOutputStream();
        int code = io.github.superresolve.cli.Main.run(new String[]{"compare", "--hr-dir", truth.toString(), "--scale", "2,4",
                "--methods", "bicubic,lanczos," + models.resolve("tiny-x2.zip"), "--csv", cliCsv.toString()},
                new java.io.PrintStream(out), new java.io.PrintStream(err));
        assertEquals(0, code, err.toString());
        assertEquals(Files.readString(cliCsv), Files.readString(csv));
        assertTrue(out.toString().contains("| x2    | PSNR (dB)"), out.toString());

        CommandModule bad = commands.run(CompareMethods.class, true, Map.of("input_directory", truth.toFile(), "scale", "4",
                "methods", "tiny-x2")).get();
        assertTrue(bad.isCanceled());
        assertEquals("Method tiny-x2 cannot upscale by 4: choose scales it supports or leave it out.", bad.getCancelReason());
        CommandModule missing = commands.run(CompareMethods.class, true, Map.of("input_directory", tmp.resolve("nope").toFile())).get();
        assertTrue(missing.isCanceled());
        assertTrue(missing.getCancelReason().startsWith("Folder " + tmp.resolve("nope") + " does not exist"), missing.getCancelReason());
    }

    @Test
    void compareImagesScoresPerChannelAndShowsInfinityForIdenticalImages() throws Exception {
        ij.ImagePlus ref = TestData.open("reference/astronaut-crop.png");
        ij.ImagePlus test = TestData.open("reference/astronaut-crop_down2up2.png");
        CommandModule m = commands.run(CompareImages.class, true, Map.of("reference", ref, "test", test, "border", 2)).get();
        assertFalse(m.isCanceled(), m.getCancelReason());
        ResultsTable t = (ResultsTable) m.getOutput("table");
        assertEquals(4, t.size(), "R, G, B and mean");
        assertEquals("mean", t.getStringValue("Channel", 3));
        assertEquals(30.009427138604394, t.getValue("PSNR (dB)", 3), 1e-6, "scikit-image's value (metrics-images.csv)");
        CommandModule same = commands.run(CompareImages.class, true, Map.of("reference", ref, "test", ref.duplicate())).get();
        ResultsTable s = (ResultsTable) same.getOutput("table");
        assertEquals(Double.POSITIVE_INFINITY, s.getValue("PSNR (dB)", 3));
        assertEquals(1.0, s.getValue("SSIM", 3), 1e-12);
        CommandModule bad = commands.run(CompareImages.class, true, Map.of("reference", ref,
                "test", new ij.ImagePlus("small", new ij.process.ColorProcessor(10, 10)))).get();
        assertTrue(bad.isCanceled());
        assertTrue(bad.getCancelReason().contains("differ in size"), bad.getCancelReason());
    }
}
