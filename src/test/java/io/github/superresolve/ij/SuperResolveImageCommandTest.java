package io.github.superresolve.ij;

import io.github.superresolve.resolve.Resolve;
import ij.ImagePlus;
import io.github.superresolve.TestData;
import io.github.superresolve.nn.ModelCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The SciJava command in a headless context, as scripts and Fiji run it. */
class SuperResolveImageCommandTest {

    @TempDir
    Path models;
    private Context context;
    private CommandService commands;

    @BeforeEach
    void setUp() throws Exception {
        context = new Context(CommandService.class, SuperResolveService.class);
        commands = context.getService(CommandService.class);
        TestData.writeModel(models, "tiny-x2", TestData.tiny(1, 2));
        context.getService(SuperResolveService.class).setCatalog(new ModelCatalog(List.of(models)));
    }

    @AfterEach
    void tearDown() {
        context.dispose();
    }

    /** How a script runs the command: through ModuleService (CommandService.run returns null for DynamicCommands). */
    private Module run(Map<String, Object> inputs) throws Exception {
        return context.getService(ModuleService.class).run(commands.getCommand(SuperResolveImage.class), true, inputs).get();
    }

    @Test
    void dialogsShowWordsForAutomaticChoicesAndSmallNumbersInScientificNotation() {
        CommandInfo info = commands.getCommand(SuperResolveImage.class);
        for (String key : new String[]{"scale", "tile_size", "memory_limit_mb"}) {
            ModuleItem<?> item = info.getInput(key);
            assertEquals("auto", CommandBridge.shown(item, 0), key);
            assertEquals(0, CommandBridge.convert(item, "auto"), key + ": the word");
            assertEquals(0, CommandBridge.convert(item, "0"), key + ": the old number");
        }
        ModuleItem<?> overlap = info.getInput("overlap");
        assertEquals("auto", CommandBridge.shown(overlap, -1));
        assertEquals(-1, CommandBridge.convert(overlap, "Auto"));
        assertEquals("12", CommandBridge.shown(overlap, 12));
        assertEquals(12, CommandBridge.convert(overlap, "12"));
        assertThrows(IllegalArgumentException.class, () -> CommandBridge.convert(overlap, "automatic"));
        CommandInfo train = commands.getCommand(TrainOnFolder.class);
        assertEquals("auto", CommandBridge.shown(train.getInput("learning_rate"), 0.0));
        assertEquals("1.00E-4", CommandBridge.shown(train.getInput("learning_rate"), 1e-4));
        assertEquals(1e-4, (Double) CommandBridge.convert(train.getInput("learning_rate"), "1.00E-4"), 1e-12);
        assertEquals("3.00E-5", CommandBridge.shown(train.getInput("adversarial_weight"), 3e-5));
        assertEquals("0.500", CommandBridge.shown(train.getInput("adversarial_weight"), 0.5));
        assertTrue(CommandBridge.isDirectory(train.getInput("input_directory")));
        assertTrue(!CommandBridge.isDirectory(train.getInput("output_model")));
    }

    @Test
    void macroKeysAreStable() {
        CommandInfo info = commands.getCommand(SuperResolveImage.class);
        List<String> keys = StreamSupport.stream(CommandBridge.dialogItems(info).spliterator(), false)
                .map(ModuleItem::getName).collect(Collectors.toList());
        assertEquals(List.of("model", "scale", "tile_size", "overlap", "batch_size", "memory_limit_mb", "output_bit_depth", "normalization", "consistency_map", "degradation"), keys);
        assertEquals(null, info.getMenuPath() == null || info.getMenuPath().isEmpty() ? null : info.getMenuPath(),
                "no SciJava menu path: plugins.config makes the only menu entry");
    }

    @Test
    void runsWithInterpolationAndWithAModel() throws Exception {
        ImagePlus imp = TestData.open("reference/camera-crop.png");
        Map<String, byte[]> outputs = new java.util.HashMap<>();
        for (String model : new String[]{"lanczos", "bicubic", "tiny-x2"}) {
            Module m = run(Map.of("image", imp, "model", model, "scale", 2));
            ImagePlus out = (ImagePlus) m.getOutput("output");
            assertNotNull(out, model);
            assertEquals(imp.getWidth() * 2, out.getWidth());
            assertEquals(8, out.getBitDepth());
            assertEquals("camera-crop_x2_" + model + ".png", out.getTitle());
            // pixels: what the library makes of the same image with the same model and defaults
            ImagePlus direct = io.github.superresolve.infer.ImageUpscaler.upscale(imp,
                    Resolve.upscaler(model, 2, io.github.superresolve.infer.NetworkUpscaler.AUTO, -1, 1,
                            context.getService(SuperResolveService.class).catalog()),
                    io.github.superresolve.infer.ImageUpscaler.Options.defaults(), io.github.superresolve.infer.Progress.NONE);
            org.junit.jupiter.api.Assertions.assertArrayEquals((byte[]) direct.getProcessor().getPixels(), (byte[]) out.getProcessor().getPixels(), model);
            outputs.put(model, (byte[]) out.getProcessor().getPixels());
        }
        // and the three really are different methods
        assertTrue(!java.util.Arrays.equals(outputs.get("lanczos"), outputs.get("bicubic")));
        assertTrue(!java.util.Arrays.equals(outputs.get("tiny-x2"), outputs.get("bicubic")), "the network ran, not bicubic");
    }

    /** consistency_map: the error map at the input's size and calibration, and a table row per plane. */
    @Test
    void consistencyMapAndTableOnRequest() throws Exception {
        ImagePlus imp = TestData.open("reference/camera-crop.png");
        Module plain = run(Map.of("image", imp, "model", "bicubic", "scale", 2));
        assertNull(plain.getOutput("consistency"), "only when asked");
        Module m = run(Map.of("image", imp, "model", "bicubic", "scale", 2, "consistency_map", true));
        ImagePlus map = (ImagePlus) m.getOutput("consistency");
        assertNotNull(map);
        assertEquals(imp.getWidth(), map.getWidth());
        assertEquals(imp.getHeight(), map.getHeight());
        assertEquals(32, map.getBitDepth());
        assertEquals("camera-crop_x2_bicubic-consistency", map.getTitle());
        ij.measure.ResultsTable rt = (ij.measure.ResultsTable) m.getOutput("consistencyTable");
        assertEquals(1, rt.size());
        assertEquals("bicubic", rt.getStringValue("Method", 0));
        assertTrue(rt.getValue("RSP", 0) > 0.99, "bicubic upscaling is consistent with its input: " + rt.getValue("RSP", 0));
        // a network that invents differs more from its input than bicubic does: the tiny untrained one
        Module net = run(Map.of("image", imp, "model", "tiny-x2", "scale", 2, "consistency_map", true));
        ij.measure.ResultsTable nrt = (ij.measure.ResultsTable) net.getOutput("consistencyTable");
        assertEquals("tiny-x2", nrt.getStringValue("Method", 0));
        assertNotEquals(rt.getValue("RSE", 0), nrt.getValue("RSE", 0));
        Module blur = run(Map.of("image", imp, "model", "bicubic", "scale", 2, "consistency_map", true, "degradation", "gaussian:1.5"));
        assertEquals("gaussian:1.5", ((ij.measure.ResultsTable) blur.getOutput("consistencyTable")).getStringValue("Degradation", 0));
        Module bad = run(Map.of("image", imp, "model", "bicubic", "scale", 2, "consistency_map", true, "degradation", "wavelet"));
        assertTrue(((org.scijava.Cancelable) bad).isCanceled());
        assertTrue(((org.scijava.Cancelable) bad).getCancelReason().startsWith("Degradation 'wavelet' is not known"),
                ((org.scijava.Cancelable) bad).getCancelReason());
    }

    @Test
    void withoutAScaleAModelRunsAtItsOwnAndInterpolationAtFour() throws Exception {
        ImagePlus imp = TestData.open("reference/camera-crop.png");
        Module net = run(Map.of("image", imp, "model", "tiny-x2")); // a macro without scale=
        assertTrue(!((SuperResolveImage) net).isCanceled(), ((SuperResolveImage) net).getCancelReason());
        assertEquals(2 * imp.getWidth(), ((ImagePlus) net.getOutput("output")).getWidth());
        Module bicubic = run(Map.of("image", imp, "model", "bicubic"));
        assertEquals(4 * imp.getWidth(), ((ImagePlus) bicubic.getOutput("output")).getWidth());
    }

    @Test
    void wrongScaleForAModelFailsWithTheSentence() throws Exception {
        ImagePlus imp = TestData.open("reference/camera-crop.png");
        Module m = run(Map.of("image", imp, "model", "tiny-x2", "scale", 4));
        SuperResolveImage cmd = (SuperResolveImage) m;
        assertTrue(cmd.isCanceled());
        assertEquals("Model tiny-x2 upscales by 2, but scale 4 was asked: set scale=2, leave the scale out, or choose a model for x4.",
                cmd.getCancelReason());
        assertEquals(null, m.getOutput("output"));
        Module tiny = run(Map.of("image", new ImagePlus("dot", new ij.process.ByteProcessor(2, 2)), "model", "bicubic", "scale", 2));
        assertEquals("Image 'dot' is 2x2 pixels; Super-Resolve needs at least 4x4 pixels.", ((SuperResolveImage) tiny).getCancelReason());
    }

    @Test
    void modelChoicesListModelsThenInterpolation() {
        List<String> expected = new java.util.ArrayList<>(List.of("tiny-x2"));
        expected.addAll(new ModelCatalog(List.of()).names()); // models bundled in the jar
        expected.addAll(List.of("lanczos", "bicubic"));
        assertEquals(expected, context.getService(SuperResolveService.class).modelChoices());
        String def = context.getService(SuperResolveService.class).defaultModel();
        // the shipped srresnet-x4 is the default when bundled; otherwise the first model found
        assertEquals(expected.contains("srresnet-x4") ? "srresnet-x4" : "tiny-x2", def);
    }
}
