package io.github.superresolve.ij;

import io.github.superresolve.nn.ModelFile;
import io.github.superresolve.train.TrainingTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.*;

/** The training command in a headless SciJava context, as Fiji scripts and the bridge run it. */
class TrainOnFolderCommandTest {

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
    void macroKeysAreStable() {
        CommandInfo info = commands.getCommand(TrainOnFolder.class);
        List<String> keys = StreamSupport.stream(CommandBridge.dialogItems(info).spliterator(), false)
                .map(ModuleItem::getName).collect(Collectors.toList());
        assertEquals(List.of("input_directory", "validation_directory", "lr_directory", "file_filter", "scale", "channels", "recipe",
                "method", "adversarial_weight", "adversarial_ramp", "discriminator_filter", "conditional", "discriminator", "discriminator_warmup", "discriminator_learning_rate", "instance_noise", "adversarial_loss", "patch_size", "batch_size", "skip_flat_patches", "steps", "learning_rate", "learning_rate_warmup", "output_model", "resume", "from_model", "freeze_trunk", "overwrite",
                "keep_checkpoints", "checkpoint_every", "validate_every", "seed"), keys);
    }

    @Test
    void defaultsAreTheCommandLines() throws Exception {
        org.scijava.module.Module m = context.getService(org.scijava.module.ModuleService.class)
                .createModule(commands.getCommand(TrainOnFolder.class));
        assertEquals((int) io.github.superresolve.train.TrainingOptions.DEFAULT_STEPS, m.getInput("steps"));
        // 0: auto, as the command line's --checkpoint-every / --validate-every left out (a resumed run's own, else 500)
        assertEquals(0, m.getInput("checkpoint_every"));
        assertEquals(0, m.getInput("validate_every"));
        assertEquals("auto", CommandBridge.shown(commands.getCommand(TrainOnFolder.class).getInput("checkpoint_every"), 0));
        // every other default is the builder's, which the command line uses too
        io.github.superresolve.train.TrainingOptions o = io.github.superresolve.train.TrainingOptions.builder()
                .hrDir(Path.of("hr")).output(Path.of("m.zip")).build();
        assertEquals(String.valueOf(o.network().scale()), m.getInput("scale"));
        assertEquals(String.valueOf(o.network().channels()), m.getInput("channels"));
        assertEquals(o.network().recipe().label(), m.getInput("recipe"));
        assertEquals(o.adversarial().method().label(), m.getInput("method"));
        assertEquals(o.adversarial().loss().label(), m.getInput("adversarial_loss"));
        assertEquals(o.adversarial().weight(), m.getInput("adversarial_weight"));
        assertEquals(o.data().patch(), m.getInput("patch_size"));
        assertEquals(o.data().batch(), m.getInput("batch_size"));
        assertEquals((int) o.schedule().seed(), m.getInput("seed"));
        // the lists offer the options' own choices, as the enums label them
        CommandInfo info = commands.getCommand(TrainOnFolder.class);
        assertEquals(labels(io.github.superresolve.train.TrainingOptions.Recipe.values()), info.getInput("recipe").getChoices());
        assertEquals(labels(io.github.superresolve.train.TrainingOptions.Method.values()), info.getInput("method").getChoices());
        assertEquals(labels(io.github.superresolve.train.TrainingOptions.AdversarialLoss.values()), info.getInput("adversarial_loss").getChoices());
        List<String> filters = new java.util.ArrayList<>(List.of("auto"));
        for (io.github.superresolve.nn.Discriminator.Filter f : io.github.superresolve.nn.Discriminator.Filter.values()) filters.add(f.label());
        assertEquals(filters, info.getInput("discriminator_filter").getChoices());
    }

    private static List<String> labels(Enum<?>[] values) {
        return java.util.Arrays.stream(values).map(io.github.superresolve.train.TrainingOptions::label).collect(Collectors.toList());
    }

    /** The old one-word discriminator of recorded macros is not in the dialog but still read from macros. */
    @Test
    void theOldDiscriminatorKeyIsMacroOnly() {
        CommandInfo info = commands.getCommand(TrainOnFolder.class);
        assertTrue(CommandBridge.styles(info.getInput("discriminator")).contains(CommandBridge.MACRO_ONLY));
        assertFalse(CommandBridge.styles(info.getInput("discriminator_filter")).contains(CommandBridge.MACRO_ONLY));
    }

    /** A grey x2 run of 32^2 patches, batches of 2. */
    private static Map<String, Object> inputs(Path hr, Path out, int steps, boolean resume) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("input_directory", hr.toFile());
        in.put("output_model", out.toFile());
        in.put("scale", "2");
        in.put("channels", "1");
        in.put("patch_size", 32);
        in.put("batch_size", 2);
        in.put("steps", steps);
        in.put("resume", resume);
        in.put("checkpoint_every", 100);
        return in;
    }

    private CommandModule run(Path hr, Path out, int steps, boolean resume) throws Exception {
        return commands.run(TrainOnFolder.class, true, inputs(hr, out, steps, resume)).get();
    }

    @Test
    void trainsResumesAndRefusesToOverwrite(@TempDir Path tmp) throws Exception {
        Path hr = TrainingTest.folder(tmp.resolve("hr"), 3, 40);
        Path out = tmp.resolve("grey-x2.zip");
        CommandModule m = run(hr, out, 2, false);
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertNotNull(m.getOutput("plot"));
        assertEquals(2L, ((Number) ModelFile.read(out).card().training().get("steps")).longValue());
        assertEquals(1, ModelFile.read(out).card().channels());
        assertTrue(Files.exists(tmp.resolve("grey-x2.checkpoint.zip")));
        assertTrue(Files.exists(tmp.resolve("grey-x2.log.csv")));

        CommandModule again = run(hr, out, 2, false);
        assertTrue(again.isCanceled());
        assertTrue(again.getCancelReason().contains("already exists"), again.getCancelReason());

        CommandModule resumed = run(hr, out, 3, true);
        assertFalse(resumed.isCanceled(), resumed.getCancelReason());
        assertEquals(3L, ((Number) ModelFile.read(out).card().training().get("steps")).longValue());
    }

    @Test
    void adversarialRunWithALightDiscriminatorAndWarmUp(@TempDir Path tmp) throws Exception {
        Path hr = TrainingTest.folder(tmp.resolve("hr"), 3, 40);
        Path out = tmp.resolve("gan.zip");
        Map<String, Object> in = inputs(hr, out, 1, false);
        in.put("method", "srgan");
        in.put("discriminator", "conv-light");
        in.put("discriminator_warmup", 2);
        in.put("discriminator_learning_rate", 5e-4);
        in.put("adversarial_ramp", 3);
        in.put("adversarial_loss", "relativistic");
        in.put("keep_checkpoints", true);
        in.put("learning_rate_warmup", 3);
        CommandModule m = commands.run(TrainOnFolder.class, true, in).get();
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertEquals(3, ((Number) ModelFile.read(out).card().training().get("learning_rate_warmup")).intValue());
        assertEquals("conv-light", ModelFile.read(out).card().training().get("discriminator"));
        assertEquals(3, ((Number) ModelFile.read(out).card().training().get("adversarial_ramp")).intValue());
        assertEquals("relativistic", ModelFile.read(out).card().training().get("adversarial_loss"));
        assertEquals(2, ((Number) ModelFile.read(out).card().training().get("discriminator_warmup")).intValue());
        assertEquals(1L, ((Number) ModelFile.read(tmp.resolve("gan-step1.zip")).card().training().get("steps")).longValue(),
                "the kept model of the last checkpoint");
        assertEquals(5e-4, ((Number) ModelFile.read(out).card().training().get("discriminator_learning_rate")).doubleValue(), 1e-12);

        in.put("output_model", tmp.resolve("bad.zip").toFile());
        in.put("method", "srresnet");
        in.put("discriminator_warmup", 0);
        in.put("adversarial_ramp", 0);
        in.put("adversarial_loss", "standard");
        CommandModule bad = commands.run(TrainOnFolder.class, true, in).get();
        assertTrue(bad.isCanceled());
        assertTrue(bad.getCancelReason().contains("does not go with method srresnet"), bad.getCancelReason());
    }

    @Test
    void missingFolderIsOneClearSentence(@TempDir Path tmp) throws Exception {
        CommandModule m = run(tmp.resolve("nowhere"), tmp.resolve("m.zip"), 2, false);
        assertTrue(m.isCanceled());
        assertTrue(m.getCancelReason().startsWith("Training folder " + tmp.resolve("nowhere")), m.getCancelReason());
        assertFalse(Files.exists(tmp.resolve("m.zip")));
    }
}
