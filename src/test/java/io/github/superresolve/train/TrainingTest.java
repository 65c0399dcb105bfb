package io.github.superresolve.train;

import io.github.superresolve.image.NormalisedPlanes;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import io.github.superresolve.TestData;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.ModelCard;
import io.github.superresolve.nn.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The training pipeline on tiny networks and small synthetic images. */
public class TrainingTest {

    /** A smooth RGB image with a distinct mean per {@code seed}. */
    public static void writeRgb(Path file, int w, int h, int seed) {
        Random r = new Random(seed);
        double fx = 0.05 + 0.1 * r.nextDouble(), fy = 0.05 + 0.1 * r.nextDouble(), base = 40 + 4 * seed;
        ColorProcessor cp = new ColorProcessor(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int v = (int) Math.max(0, Math.min(255, base + 60 * Math.sin(fx * x) * Math.cos(fy * y) + 8 * r.nextGaussian()));
                cp.set(x, y, (v << 16) | ((255 - v) << 8) | (v / 2));
            }
        assertTrue(new FileSaver(new ImagePlus("t", cp)).saveAsPng(file.toString()));
    }

    public static Path folder(Path dir, int n, int size) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < n; i++) writeRgb(dir.resolve("img" + i + ".png"), size, size + 8, i);
        return dir;
    }

    static TrainingOptions options(Path hr, Path val, Path out, long steps, boolean resume, String recipe) {
        return TrainingOptions.builder().hrDir(hr).valDir(val).scale(2).channels(3).patch(16).batch(4).steps(steps).recipe(recipe).learningRate(1e-3).blocks(2).width(8).output(out).resume(resume).checkpointEvery(3).validateEvery(1000).seed(7).cacheMb(256).build();
    }

    static TrainingRun.Listener collect(List<String> messages) {
        return messages::add;
    }

    @Test
    void batchesHaveTheRightShapesAreDeterministicAndUseDistinctImages(@TempDir Path tmp) throws IOException {
        Path hr = folder(tmp.resolve("hr"), 6, 48);
        TrainingImages images = TrainingImages.scan(hr, null, "", 3, 16, 2, 256, w -> fail(w));
        assertEquals(6, images.size());
        PatchSampler sampler = new PatchSampler(images, 2, 16, 4, 11, true);
        PatchSampler.Batch a = sampler.batch(5), b = sampler.batch(5), c = sampler.batch(6);
        assertEquals(4 * 3 * 8 * 8, a.lr().length);
        assertEquals(4 * 3 * 16 * 16, a.hr().length);
        assertArrayEquals(a.lr(), b.lr());
        assertArrayEquals(a.hr(), b.hr());
        assertFalse(Arrays.equals(a.hr(), c.hr()));
        // images differ in mean brightness by construction: four distinct images give four distinct means
        double[] means = new double[4];
        for (int i = 0; i < 4; i++) {
            double s = 0;
            for (int k = 0; k < 16 * 16; k++) s += a.hr()[(i * 3) * 256 + k];
            means[i] = s / 256;
        }
        for (int i = 0; i < 4; i++) for (int j = i + 1; j < 4; j++) assertNotEquals(means[i], means[j], 1e-6);
        for (float v : a.hr()) assertTrue(v >= 0 && v <= 1);
    }

    @Test
    void lowResolutionInputIsTheAntialiasedBicubicDownsamplingOfTheTarget(@TempDir Path tmp) throws IOException {
        Path hr = folder(tmp.resolve("hr"), 2, 64);
        TrainingImages images = TrainingImages.scan(hr, null, "", 3, 16, 2, 256, w -> fail(w));
        PatchSampler sampler = new PatchSampler(images, 2, 32, 1, 3, false);
        PatchSampler.Batch b = sampler.batch(0);
        float[] hrPlane = Arrays.copyOfRange(b.hr(), 0, 32 * 32);
        float[] lrPlane = Arrays.copyOfRange(b.lr(), 0, 16 * 16);
        float[] down = Resampler.resize(hrPlane, 32, 32, 16, 16, Kernel.BICUBIC);
        // the sampler downsamples with a margin, so only the centre (away from the crop border) must agree
        for (int y = 3; y < 13; y++)
            for (int x = 3; x < 13; x++) assertEquals(down[y * 16 + x], lrPlane[y * 16 + x], 1e-4);
    }

    @Test
    void fewStepsLowerTheLossAndWriteModelLogAndPlot(@TempDir Path tmp) throws IOException {
        Path hr = folder(tmp.resolve("hr"), 6, 48);
        Path val = folder(tmp.resolve("val"), 2, 40);
        Path out = tmp.resolve("m.zip");
        TrainingOptions o = TrainingOptions.builder().hrDir(hr).valDir(val).scale(2).channels(3).patch(16).batch(4).steps(40).recipe("fast").learningRate(1e-3).blocks(2).width(8).output(out).resume(false).checkpointEvery(20).validateEvery(20).seed(7).cacheMb(256).build();
        List<String> messages = new ArrayList<>();
        TrainingRun.Result r = new TrainingRun(o, collect(messages), ModelCatalog.standard()).run();
        assertEquals(40, r.steps());
        double first = 0, last = 0;
        List<TrainingLog.Row> losses = r.log().stream().filter(x -> !Double.isNaN(x.loss())).toList();
        assertEquals(40, losses.size());
        for (int i = 0; i < 8; i++) {
            first += losses.get(i).loss();
            last += losses.get(losses.size() - 1 - i).loss();
        }
        assertTrue(last < 0.8 * first, "loss fell from " + first / 8 + " to " + last / 8);
        Model m = ModelFile.read(out);
        assertEquals(2, m.card().scale());
        assertEquals(40L, ((Number) m.card().training().get("steps")).longValue());
        assertTrue(m.card().metrics().containsKey("psnr"));
        assertNotNull(r.score());
        assertTrue(Files.size(o.plot()) > 1000);
        List<String> csv = Files.readAllLines(o.log());
        assertEquals(TrainingLog.HEADER, csv.get(0));
        assertEquals(1 + 40 + 2, csv.size()); // 40 steps and 2 validations
    }

    @Test
    void killAndResumeGivesTheSameWeightsAsAnUninterruptedRun(@TempDir Path tmp) throws IOException {
        Path hr = folder(tmp.resolve("hr"), 5, 40);
        Path full = tmp.resolve("full.zip"), split = tmp.resolve("split.zip");
        new TrainingRun(options(hr, null, full, 6, false, "study"), m -> { }, ModelCatalog.standard()).run();
        new TrainingRun(options(hr, null, split, 3, false, "study"), m -> { }, ModelCatalog.standard()).run();
        TrainingRun.Result resumed = new TrainingRun(options(hr, null, split, 6, true, "study"), m -> { }, ModelCatalog.standard()).run();
        assertEquals(6, resumed.steps());
        Map<String, INDArray> a = ModelFile.read(full).params(), b = ModelFile.read(split).params();
        assertEquals(a.keySet(), b.keySet());
        boolean changed = false;
        for (String k : a.keySet()) {
            assertTrue(a.get(k).equalsWithEps(b.get(k), 1e-5), k + " differs after resume");
            if (k.endsWith("_bn1/mean") && a.get(k).sumNumber().doubleValue() != 0) changed = true;
        }
        assertTrue(changed, "batch-norm running statistics were updated");
        assertEquals(6L, ((Number) ModelFile.read(split).card().training().get("steps")).longValue());
    }

    /** A fine-tune stopped within its warm-up and resumed (named without --from) keeps the run's warm-up. */
    @Test
    void aResumedFineTuneKeepsItsWarmup(@TempDir Path tmp) throws IOException {
        Path hr = folder(tmp.resolve("hr"), 5, 40);
        Path start = tmp.resolve("start.zip"), full = tmp.resolve("full.zip"), split = tmp.resolve("split.zip");
        new TrainingRun(options(hr, null, start, 2, false, "fast"), m -> { }, ModelCatalog.standard()).run();
        java.util.function.BiFunction<Path, Long, TrainingOptions> fineTune = (out, steps) -> options(hr, null, out, steps, false, "fast")
                .toBuilder().from(start.toString()).lrWarmup(6).build();
        new TrainingRun(fineTune.apply(full, 6L), m -> { }, ModelCatalog.standard()).run();
        new TrainingRun(fineTune.apply(split, 3L), m -> { }, ModelCatalog.standard()).run();
        new TrainingRun(options(hr, null, split, 6, true, "fast"), m -> { }, ModelCatalog.standard()).run();
        Map<String, INDArray> a = ModelFile.read(full).params(), b = ModelFile.read(split).params();
        for (String k : a.keySet()) assertTrue(a.get(k).equalsWithEps(b.get(k), 1e-5), k + " differs after resume");
        assertEquals(6, ((Number) ModelFile.read(split).card().training().get("learning_rate_warmup")).intValue());
    }

    /**
     * Training over several sittings, each fine-tuning the model the last one shipped: the card counts the whole
     * lineage (steps_before, total_steps, total_wall_seconds), through a resume as well.
     */
    @Test
    void aFineTuneCountsTheStepsOfTheModelItStartedFrom(@TempDir Path tmp) throws IOException {
        Path hr = folder(tmp.resolve("hr"), 5, 40);
        Path first = tmp.resolve("first.zip"), second = tmp.resolve("second.zip"), third = tmp.resolve("third.zip");
        new TrainingRun(options(hr, null, first, 3, false, "fast"), m -> { }, ModelCatalog.standard()).run();
        Map<String, Object> t1 = ModelFile.read(first).card().training();
        assertEquals(3L, ((Number) t1.get("steps")).longValue());
        assertFalse(t1.containsKey("total_steps"), "a new network has no lineage: " + t1);
        // second sitting: 2 steps from the first model, stopped, then resumed (named without --from) to 4
        new TrainingRun(options(hr, null, second, 2, false, "fast").toBuilder().from(first.toString()).build(), m -> { }, ModelCatalog.standard()).run();
        new TrainingRun(options(hr, null, second, 4, true, "fast"), m -> { }, ModelCatalog.standard()).run();
        Map<String, Object> t2 = ModelFile.read(second).card().training();
        assertEquals(4L, ((Number) t2.get("steps")).longValue());
        assertEquals(3L, ((Number) t2.get("steps_before")).longValue(), t2.toString());
        assertEquals(7L, ((Number) t2.get("total_steps")).longValue(), t2.toString());
        long wall1 = ((Number) t1.get("wall_seconds")).longValue(), wall2 = ((Number) t2.get("wall_seconds")).longValue();
        long total2 = ((Number) t2.get("total_wall_seconds")).longValue();
        assertTrue(Math.abs(total2 - (wall1 + wall2)) <= 1, "total wall " + total2 + " = " + wall1 + " + " + wall2);
        // third sitting from the second model: its total, not its own steps
        new TrainingRun(options(hr, null, third, 1, false, "fast").toBuilder().from(second.toString()).build(), m -> { }, ModelCatalog.standard()).run();
        Map<String, Object> t3 = ModelFile.read(third).card().training();
        assertEquals(7L, ((Number) t3.get("steps_before")).longValue(), t3.toString());
        assertEquals(8L, ((Number) t3.get("total_steps")).longValue(), t3.toString());
    }

    /** A run that skips flat crops, stopped and resumed without naming the option again, sees the same batches. */
    @Test
    void aResumedRunKeepsItsCropFilter(@TempDir Path tmp) throws IOException {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        for (int i = 0; i < 5; i++) PatchSamplerTest.writeHalfFlat(hr.resolve("h" + i + ".png"), 96, 40, 60, i);
        Path full = tmp.resolve("full.zip"), split = tmp.resolve("split.zip");
        java.util.function.BiFunction<Path, Long, TrainingOptions> skipping = (out, steps) -> options(hr, null, out, steps, false, "fast")
                .toBuilder().skipFlatPatches(true).build();
        new TrainingRun(skipping.apply(full, 6L), m -> { }, ModelCatalog.standard()).run();
        new TrainingRun(skipping.apply(split, 3L), m -> { }, ModelCatalog.standard()).run();
        new TrainingRun(options(hr, null, split, 6, true, "fast"), m -> { }, ModelCatalog.standard()).run();
        Map<String, INDArray> a = ModelFile.read(full).params(), b = ModelFile.read(split).params();
        for (String k : a.keySet()) assertTrue(a.get(k).equalsWithEps(b.get(k), 1e-5), k + " differs after resume");
        assertEquals(Boolean.TRUE, ModelFile.read(split).card().training().get("skip_flat_patches"));
        assertTrue(String.valueOf(ModelFile.read(split).card().training().get("augmentation")).contains("40 dB"));
    }

    /**
     * A resumed run keeps its checkpoint interval unless it is given again (it fell back to 500 before), and its
     * checkpoints fall on multiples of it, so that kept checkpoints line up with validations after a resume.
     */
    @Test
    void resumeKeepsTheRunsCheckpointIntervalUnlessGivenAgain(@TempDir Path tmp) throws IOException {
        Path hr = folder(tmp.resolve("hr"), 3, 40);
        Path out = tmp.resolve("every2.zip");
        java.util.function.BiFunction<Long, Integer, TrainingOptions> o = (steps, every) -> TrainingOptions.builder().hrDir(hr).scale(2).channels(3).patch(16).batch(2).steps(steps).recipe("fast").learningRate(1e-3).blocks(2).width(8).output(out).resume(steps > 2).checkpointEvery(every).validateEvery(0).seed(7).cacheMb(256).build();
        new TrainingRun(o.apply(2L, 2), m -> { }, ModelCatalog.standard()).run();
        List<String> messages = new java.util.ArrayList<>();
        new TrainingRun(o.apply(5L, 0), collect(messages), ModelCatalog.standard()).run();
        assertTrue(messages.stream().anyMatch(m -> m.contains("at step 2 of 5 (a checkpoint every 2 steps)")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("Saved every2.zip and its checkpoint at step 4")), "interval 2 kept: " + messages);
        messages.clear();
        new TrainingRun(o.apply(8L, 3), collect(messages), ModelCatalog.standard()).run();
        assertTrue(messages.stream().anyMatch(m -> m.contains("(a checkpoint every 3 steps)")), messages.toString());
        // resumed at step 5: the checkpoints fall on multiples of 3 (where a validation every 3 steps falls), not at 5 + 3
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("Saved every2.zip and its checkpoint at step 6")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("Saved every2.zip and its checkpoint at step 8")), messages.toString());
        assertFalse(messages.stream().anyMatch(m -> m.startsWith("Saved every2.zip and its checkpoint at step 7")), messages.toString());
    }

    @Test
    void unusableFilesAreReportedOnceAndSkipped(@TempDir Path tmp) throws IOException {
        Path hr = folder(tmp.resolve("hr"), 3, 40);
        Files.writeString(hr.resolve("notes.txt"), "not an image");
        Files.writeString(hr.resolve("fake.png"), "not a png either");
        Files.write(hr.resolve("broken.jpg"), Arrays.copyOf(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, 300));
        writeRgb(hr.resolve("tiny.png"), 10, 10, 1);
        Path sub = Files.createDirectories(hr.resolve("sub"));
        ImagePlus grey16 = new ImagePlus("g", new ShortProcessor(40, 40));
        grey16.getProcessor().setColor(1000);
        grey16.getProcessor().fill();
        grey16.getProcessor().putPixel(3, 3, 3000);
        new FileSaver(grey16).saveAsTiff(sub.resolve("deep.tif").toString());
        List<String> warnings = new ArrayList<>();
        TrainingImages images = TrainingImages.scan(hr, null, "", 3, 16, 2, 256, warnings::add);
        assertEquals(4, images.size(), "3 photos and the 16-bit image in the subfolder");
        assertEquals(3, warnings.size(), String.join("\n", warnings));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("fake.png")));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("broken.jpg")));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("tiny.png") && w.contains("10x10")));
        // a short training run on that folder works
        List<String> messages = new ArrayList<>();
        new TrainingRun(options(hr, null, tmp.resolve("m.zip"), 2, false, "fast"), messages::add, ModelCatalog.standard()).run();
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("Warning") && m.contains("broken.jpg")));
    }

    @Test
    void refusesToOverwriteAModelAndExplainsResumeErrors(@TempDir Path tmp) throws IOException {
        Path hr = folder(tmp.resolve("hr"), 3, 40);
        Path out = tmp.resolve("m.zip");
        Files.writeString(out, "precious");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingRun(options(hr, null, out, 2, false, "fast"), m -> { }, ModelCatalog.standard()).run());
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("precious", Files.readString(out));
        Path other = tmp.resolve("other.zip");
        e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingRun(options(hr, null, other, 2, true, "fast"), m -> { }, ModelCatalog.standard()).run());
        assertTrue(e.getMessage().contains("no checkpoint"), e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingRun(options(empty, null, other, 2, false, "fast"), m -> { }, ModelCatalog.standard()).run());
        assertTrue(e.getMessage().startsWith("No images found in " + empty), e.getMessage());
    }

    @Test
    void fineTuningStartsFromAModelOrAdaptsItToAnotherScaleAndChannels(@TempDir Path tmp) throws IOException {
        Path hr = folder(tmp.resolve("hr"), 3, 40);
        Path base = TestData.writeModel(tmp, "base", TestData.tiny(3, 2));
        TrainingOptions ok = TrainingOptions.builder().hrDir(hr).scale(2).channels(3).patch(16).batch(2).steps(2).recipe("fast").learningRate(1e-4).blocks(2).width(8).output(tmp.resolve("ft.zip")).resume(false).from(base.toString()).checkpointEvery(10).validateEvery(10).seed(1).cacheMb(256).build();
        List<String> messages = new ArrayList<>();
        new TrainingRun(ok, messages::add, ModelCatalog.standard()).run();
        Model baseModel = ModelFile.read(base), tuned = ModelFile.read(tmp.resolve("ft.zip"));
        assertTrue(tuned.card().training().get("origin").toString().contains("base"));
        // the weights started from the base model's: two Adam steps move them by far less than a fresh start is away
        GeneratorConfig cfg = baseModel.card().config();
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> fresh = io.github.superresolve.nn.SrResNet.initParams(cfg, 2);
        for (String k : List.of("conv_in/W", "res1_conv1/W", "res2_conv2/W", "mid_conv/W")) {
            org.nd4j.linalg.api.ndarray.INDArray b = baseModel.params().get(k), t = tuned.params().get(k);
            double moved = t.sub(b).norm2Number().doubleValue(), scale = b.norm2Number().doubleValue();
            double freshAway = fresh.get(k).sub(b).norm2Number().doubleValue();
            assertTrue(moved > 0, k + " was trained");
            assertTrue(moved < 0.05 * scale && moved < 0.05 * freshAway, k + ": moved " + moved + " from the base (norm " + scale + ")");
        }
        TrainingOptions greyX4 = TrainingOptions.builder().hrDir(hr).scale(4).channels(1).patch(32).batch(2).steps(2).recipe("fast").learningRate(1e-4).blocks(2).width(8).output(tmp.resolve("ft4.zip")).resume(false).from(base.toString()).checkpointEvery(10).validateEvery(10).seed(1).cacheMb(256).build();
        List<String> said = new ArrayList<>();
        new TrainingRun(greyX4, said::add, ModelCatalog.standard()).run();
        ModelCard card = ModelFile.read(tmp.resolve("ft4.zip")).card();
        assertEquals(4, card.scale());
        assertEquals(1, card.channels());
        assertTrue(card.training().get("origin").toString().startsWith("initialised from base"), card.training().toString());
        // the trunk carried over from the RGB x2 base (only the ends were converted and a stage added)
        Model grey4 = ModelFile.read(tmp.resolve("ft4.zip"));
        for (String k : List.of("res1_conv1/W", "res2_conv2/W")) {
            org.nd4j.linalg.api.ndarray.INDArray b = ModelFile.read(base).params().get(k), t = grey4.params().get(k);
            assertTrue(t.sub(b).norm2Number().doubleValue() < 0.05 * b.norm2Number().doubleValue(), k + " kept from the base");
        }
        assertTrue(said.stream().anyMatch(m -> m.contains("RGB to grey") && m.contains("x2 to x4")), said.toString());
    }

    @Test
    void pairedFoldersAreMatchedByNameAndCheckedForScale(@TempDir Path tmp) throws IOException {
        Path hr = folder(tmp.resolve("hr"), 3, 48); // img0..img2, 48x56
        Path lr = Files.createDirectories(tmp.resolve("lr"));
        for (int i = 0; i < 2; i++) {
            ImagePlus big = new ij.io.Opener().openImage(hr.resolve("img" + i + ".png").toString());
            ImagePlus small = new ImagePlus("s", big.getProcessor().resize(24, 28, true));
            assertTrue(new FileSaver(small).saveAsTiff(lr.resolve("img" + i + ".tif").toString()));
        }
        // img2 has no partner; a wrong-size partner for a fourth image
        writeRgb(hr.resolve("odd.png"), 48, 48, 9);
        writeRgb(lr.resolve("odd.png"), 20, 20, 9);
        List<String> warnings = new ArrayList<>();
        TrainingImages images = TrainingImages.scan(hr, lr, "", 3, 16, 2, 256, warnings::add);
        assertEquals(2, images.size());
        assertEquals(2, warnings.size(), String.join("\n", warnings));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("img2.png") && w.contains("no image of the same name")));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("odd.png") && w.contains("not 1/2")));
        PatchSampler.Batch b = new PatchSampler(images, 2, 16, 2, 5, true).batch(0);
        // the input is the paired low-resolution crop: close to the target's 2x2 block means
        for (int i = 0; i < 2; i++) {
            double diff = 0;
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++) {
                    int base = i * 3 * 256;
                    double m = (b.hr()[base + 2 * y * 16 + 2 * x] + b.hr()[base + 2 * y * 16 + 2 * x + 1]
                            + b.hr()[base + (2 * y + 1) * 16 + 2 * x] + b.hr()[base + (2 * y + 1) * 16 + 2 * x + 1]) / 4;
                    diff += Math.abs(m - b.lr()[i * 3 * 64 + y * 8 + x]);
                }
            assertTrue(diff / 64 < 0.06, "paired input far from the target: " + diff / 64);
        }
    }

    @Test
    void greyModeUsesLuminanceAndEveryChannelOfAMultichannelImage(@TempDir Path tmp) throws IOException {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        writeRgb(hr.resolve("photo.png"), 40, 40, 2);
        ImagePlus hyper = ij.IJ.createHyperStack("cells", 40, 40, 2, 3, 1, 16);
        for (int i = 1; i <= hyper.getStackSize(); i++) {
            ij.process.ImageProcessor ip = hyper.getStack().getProcessor(i);
            for (int k = 0; k < 1600; k++) ip.setf(k, 100 * i + (k % 40) * 10);
        }
        assertTrue(new FileSaver(hyper).saveAsTiffStack(hr.resolve("cells.tif").toString()));
        TrainingImages images = TrainingImages.scan(hr, null, "", 1, 16, 2, 256, w -> fail(w));
        assertEquals(1 + 6, images.size(), "the photo and 2 channels x 3 slices");
        for (int i = 0; i < images.size(); i++) {
            NormalisedPlanes p = images.planes(i);
            assertEquals(1, p.data().length);
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (float v : p.data()[0]) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(min >= -0.01 && max <= 1.01, "normalised plane " + i + ": " + min + ".." + max);
            // 16-bit planes are stretched by their percentiles; the photo's luminance keeps its own range
            boolean sixteenBit = images.samples().get(i).file().getFileName().toString().equals("cells.tif");
            assertTrue(max - min > (sixteenBit ? 0.9 : 0.05), "plane " + i + " keeps its contrast: " + min + ".." + max);
        }
        // RGB images in 3-channel mode keep their colours
        TrainingImages rgb = TrainingImages.scan(hr, null, "photo", 3, 16, 2, 256, w -> fail(w));
        NormalisedPlanes p = rgb.planes(0);
        assertEquals(3, p.data().length);
        assertFalse(Arrays.equals(p.data()[0], p.data()[1]));
    }

    @Test
    void staleTemporaryFilesOfAKilledRunAreRemovedOthersKept(@TempDir Path tmp) throws IOException {
        Path hr = folder(tmp.resolve("hr"), 6, 48);
        Path out = tmp.resolve("m.zip");
        // what kill -9 between writing and renaming leaves (Files.createTempFile names), and neighbours
        Path stale1 = Files.writeString(tmp.resolve(".m.checkpoint.zip8127361239871.part"), "half a checkpoint");
        Path stale2 = Files.writeString(tmp.resolve(".m.log.csv42.part"), "half a log");
        Path otherRun = Files.writeString(tmp.resolve(".other.zip123.part"), "another run's");
        Path notOurs = Files.writeString(tmp.resolve(".m.checkpoint.zip.notes.part"), "not a temporary file of ours");
        List<String> messages = new ArrayList<>();
        new TrainingRun(options(hr, null, out, 2, false, "fast"), collect(messages), ModelCatalog.standard()).run();
        assertFalse(Files.exists(stale1));
        assertFalse(Files.exists(stale2));
        assertTrue(Files.exists(otherRun), "another output's temporary file is not this run's to delete");
        assertTrue(Files.exists(notOurs));
        assertTrue(messages.stream().anyMatch(m -> m.contains("Removed 2 unfinished temporary file(s)")), messages.toString());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".m.") && n.matches(".*\\d+\\.part")).toList(),
                    "the run itself leaves no temporary file");
        }
    }
}
