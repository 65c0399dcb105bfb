package io.github.superresolve.cli;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.github.superresolve.TestData;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;
import io.github.superresolve.infer.ImageUpscaler;
import io.github.superresolve.infer.Progress;
import io.github.superresolve.resolve.Resolve;
import io.github.superresolve.nn.Json;
import io.github.superresolve.nn.ModelCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command-line tool run in-process through {@link Main#run}: upscale (PNG, calibrated 16-bit TIFF,
 * 32-bit output, folders, skip/overwrite, a tiny network), every user error as one sentence on stderr
 * with the input untouched, and the models, bench and demo commands.
 */
class MainCliTest {

    @TempDir
    static Path shared;
    /** 64x48 RGB crop of the bundled sample photo. */
    static Path rgbPng;
    /** 40x32 16-bit grey TIFF, 0.5 um pixels. */
    static Path greyTif;
    /** A random-weight x2 network (2 blocks, 8 wide), RGB. */
    static Path tinyModel;

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void inputs() throws IOException {
        ImagePlus coffee = new Opener().openImage(TestData.resource("samples/coffee.png").toString());
        assertNotNull(coffee);
        ImageProcessor ip = coffee.getProcessor();
        ip.setRoi(96, 104, 64, 48);
        rgbPng = shared.resolve("coffee-crop.png");
        assertTrue(new FileSaver(new ImagePlus("coffee-crop.png", ip.crop())).saveAsPng(rgbPng.toString()));

        ip.setRoi(120, 110, 40, 32);
        ImageProcessor green = ((ColorProcessor) ip.crop()).getChannel(2, null);
        ShortProcessor sp = new ShortProcessor(40, 32);
        for (int i = 0; i < sp.getPixelCount(); i++) sp.set(i, 1000 + green.get(i) * 200);
        ImagePlus grey = new ImagePlus("cells.tif", sp);
        Calibration cal = grey.getCalibration();
        cal.pixelWidth = 0.5;
        cal.pixelHeight = 0.5;
        cal.setUnit("um");
        greyTif = shared.resolve("cells.tif");
        assertTrue(new FileSaver(grey).saveAsTiff(greyTif.toString()));

        tinyModel = TestData.writeModel(shared, "tiny-x2", TestData.tiny(3, 2));
    }

    // ---------------------------------------------------------------- upscale

    @Test
    void bicubicPngIsTwiceTheSizeAndMatchesAnIndependentEnlargement() throws IOException {
        Path out = tmp.resolve("out");
        byte[] before = Files.readAllBytes(rgbPng);
        Result r = run("upscale", rgbPng.toString(), "-o", out.toString(), "--model", "bicubic", "--scale", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        Path result = out.resolve("coffee-crop.png");
        assertTrue(r.out().startsWith(rgbPng + " -> " + result + " (128x96, "), r.out());
        assertEquals(List.of(result), list(out), "one output, named as the input, nothing left over");
        assertArrayEquals(before, Files.readAllBytes(rgbPng), "input unchanged");

        ImagePlus in = new Opener().openImage(rgbPng.toString());
        ImagePlus sr = new Opener().openImage(result.toString());
        assertEquals(128, sr.getWidth());
        assertEquals(96, sr.getHeight());
        assertEquals(ImagePlus.COLOR_RGB, sr.getType());
        for (int ch = 1; ch <= 3; ch++) {
            ImageProcessor src = ((ColorProcessor) in.getProcessor()).getChannel(ch, null);
            ImageProcessor dst = ((ColorProcessor) sr.getProcessor()).getChannel(ch, null);
            float[] ref = Resampler.upscale((float[]) src.convertToFloat().getPixels(), 64, 48, 2, Kernel.BICUBIC);
            int worst = 0;
            for (int i = 0; i < ref.length; i++)
                worst = Math.max(worst, Math.abs(Math.max(0, Math.min(255, Math.round(ref[i]))) - dst.get(i)));
            assertTrue(worst <= 1, "channel " + ch + " differs from bicubic by up to " + worst);
            assertEquals(mean(src), mean(dst), 1.0, "channel " + ch + " mean");
        }
    }

    @Test
    void lanczosSixteenBitTiffKeepsBitDepthAndCalibration() throws IOException {
        Path out = tmp.resolve("out");
        Result r = run("upscale", greyTif.toString(), "-o", out.toString(), "--model", "lanczos", "--scale", "2");
        assertEquals(0, r.code(), r.err());
        ImagePlus sr = new Opener().openImage(out.resolve("cells.tif").toString());
        assertNotNull(sr);
        assertEquals(80, sr.getWidth());
        assertEquals(64, sr.getHeight());
        assertEquals(16, sr.getBitDepth());
        Calibration cal = sr.getCalibration();
        assertEquals(0.25, cal.pixelWidth, 1e-9);
        assertEquals(0.25, cal.pixelHeight, 1e-9);
        assertEquals("\u00B5m", cal.getUnit(), "ImageJ writes 'um' as micrometres");
        ImageProcessor src = new Opener().openImage(greyTif.toString()).getProcessor();
        ImageProcessor ref = lanczos(src);
        assertTrue(correlation(ref, sr.getProcessor()) > 0.999, "correlation with Lanczos " + correlation(ref, sr.getProcessor()));
        assertEquals(mean(src), mean(sr.getProcessor()), mean(src) * 0.01, "mean stays on the 16-bit scale");
    }

    @Test
    void bitDepth32GivesFloatTiff() throws IOException {
        Path out = tmp.resolve("out");
        Result r = run("upscale", greyTif.toString(), rgbPng.toString(), "-o", out.toString(), "--model", "lanczos", "--scale", "2",
                "--bit-depth", "32");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 written, 0 skipped, 0 failed"), r.out());
        assertEquals(List.of(out.resolve("cells.tif"), out.resolve("coffee-crop.tif")), list(out), "32-bit PNG results become TIFF");

        ImagePlus grey = new Opener().openImage(out.resolve("cells.tif").toString());
        assertEquals(32, grey.getBitDepth());
        assertEquals(80, grey.getWidth());
        assertEquals(0.25, grey.getCalibration().pixelWidth, 1e-9);
        ImageProcessor src = new Opener().openImage(greyTif.toString()).getProcessor();
        assertTrue(correlation(lanczos(src), grey.getProcessor()) > 0.999);
        assertEquals(mean(src), mean(grey.getProcessor()), mean(src) * 0.01);

        ImagePlus rgb = new Opener().openImage(out.resolve("coffee-crop.tif").toString());
        assertEquals(32, rgb.getBitDepth());
        assertEquals(3, rgb.getNChannels());
        assertEquals(128, rgb.getWidth());
        assertEquals(96, rgb.getHeight());
    }

    @Test
    void rerunSkipsExistingOutputAndOverwriteReplacesIt() throws IOException {
        Path out = tmp.resolve("out");
        String[] args = {"upscale", rgbPng.toString(), "-o", out.toString(), "--model", "bicubic", "--scale", "2"};
        assertEquals(0, run(args).code());
        Path result = out.resolve("coffee-crop.png");
        byte[] good = Files.readAllBytes(result);
        Files.writeString(result, "stale");
        FileTime old = FileTime.fromMillis(946_684_800_000L);
        Files.setLastModifiedTime(result, old);

        Result again = run(args);
        assertEquals(0, again.code(), again.err());
        assertEquals("skipped " + rgbPng + ": " + result + " exists (use --overwrite to replace it)", again.out().strip());
        assertEquals("stale", Files.readString(result));
        assertEquals(old, Files.getLastModifiedTime(result));

        String[] over = Arrays.copyOf(args, args.length + 1);
        over[args.length] = "--overwrite";
        Result replaced = run(over);
        assertEquals(0, replaced.code(), replaced.err());
        assertArrayEquals(good, Files.readAllBytes(result));
        assertTrue(Files.getLastModifiedTime(result).compareTo(old) > 0);
        assertEquals(List.of(result), list(out));
    }

    @Test
    void folderInputMeansItsImagesSortedByName() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(rgbPng, in.resolve("b.png"));
        Files.copy(greyTif, in.resolve("a.TIF"));
        Files.writeString(in.resolve("notes.txt"), "not an image");
        Files.copy(rgbPng, in.resolve(".hidden.png"));
        Files.copy(rgbPng, Files.createDirectories(in.resolve("sub")).resolve("c.png"));
        Path out = tmp.resolve("out");
        Result r = run("upscale", in.toString(), "-o", out.toString(), "--model", "bicubic", "--scale", "2");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith(in.resolve("a.TIF") + " -> " + out.resolve("a.TIF")), r.out());
        assertTrue(lines.get(1).startsWith(in.resolve("b.png") + " -> " + out.resolve("b.png")), r.out());
        assertEquals("2 written, 0 skipped, 0 failed", lines.get(2));
        assertEquals(List.of(out.resolve("a.TIF"), out.resolve("b.png")), list(out));
        assertEquals(16, new Opener().openImage(out.resolve("a.TIF").toString()).getBitDepth());
    }

    @Test
    void tinyNetworkModelFileSetsTheScale() {
        Path out = tmp.resolve("out");
        Result r = run("upscale", rgbPng.toString(), "-o", out.toString(), "--model", tinyModel.toString(), "--tile", "32");
        assertEquals(0, r.code(), r.err());
        ImagePlus sr = new Opener().openImage(out.resolve("coffee-crop.png").toString());
        assertEquals(128, sr.getWidth());
        assertEquals(96, sr.getHeight());
        assertEquals(ImagePlus.COLOR_RGB, sr.getType());
        // the same as the library with the same model and tiles
        ImagePlus in = new Opener().openImage(rgbPng.toString());
        ImagePlus lib = ImageUpscaler.upscale(in, Resolve.upscaler(tinyModel.toString(), 2, 32, -1, 1, new ModelCatalog(List.of())),
                ImageUpscaler.Options.defaults(), Progress.NONE);
        assertArrayEquals((int[]) lib.getProcessor().getPixels(), (int[]) sr.getProcessor().getPixels());
        for (int ch = 1; ch <= 3; ch++) {
            ImageProcessor src = ((ColorProcessor) in.getProcessor()).getChannel(ch, null);
            ImageProcessor dst = ((ColorProcessor) sr.getProcessor()).getChannel(ch, null);
            FloatProcessor ref = new FloatProcessor(128, 96,
                    Resampler.upscale((float[]) src.convertToFloat().getPixels(), 64, 48, 2, Kernel.BICUBIC));
            double c = correlation(ref, dst);
            // random weights, damped output conv: near bicubic, not equal (0.89 to 0.998 on this crop)
            assertTrue(c > 0.8, "channel " + ch + ": the near-bicubic tiny network correlates " + c);
        }
    }

    // ---------------------------------------------------------------- errors

    /** Checks the exit code, one sentence on stderr naming {@code names}, no stack trace. */
    static void assertOneError(Result r, int code, String names) {
        assertEquals(code, r.code(), "exit code; stderr: " + r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "exactly one line on stderr: " + r.err());
        String line = lines.get(0);
        assertTrue(line.startsWith("super-resolve: ") && line.length() > "super-resolve: ".length() + 10, line);
        assertTrue(line.contains(names), "the message names " + names + ": " + line);
        assertFalse(line.contains("Exception"), line);
        assertFalse(r.err().contains("\tat "), r.err());
    }

    /** Runs upscale on one input expecting failure; the input must be unchanged and no output written. */
    private Result failUpscale(Path input, String... extra) throws IOException {
        boolean folder = Files.isDirectory(input);
        byte[] before = Files.isRegularFile(input) ? Files.readAllBytes(input) : null;
        List<Path> listing = folder ? list(input) : null;
        Path out = tmp.resolve("out");
        String[] args = Stream.concat(Stream.of("upscale", input.toString(), "-o", out.toString()), Arrays.stream(extra)).toArray(String[]::new);
        Result r = run(args);
        if (folder) assertEquals(listing, list(input), "folder unchanged");
        else if (before == null) assertFalse(Files.exists(input));
        else assertArrayEquals(before, Files.readAllBytes(input), "input unchanged");
        if (Files.isDirectory(out)) assertEquals(List.of(), list(out), "nothing written");
        return r;
    }

    @Test
    void missingInput() throws IOException {
        Path missing = tmp.resolve("missing.png");
        assertOneError(failUpscale(missing, "--model", "bicubic", "--scale", "2"), 1, missing.toString());
        Result r = failUpscale(missing, "--model", "bicubic", "--scale", "2");
        assertEquals("super-resolve: Input " + missing + " does not exist.", r.err().strip());
    }

    @Test
    void textFileNamedPng() throws IOException {
        Path fake = tmp.resolve("notes.png");
        Files.writeString(fake, "these are notes, not pixels\n");
        assertOneError(failUpscale(fake, "--model", "bicubic", "--scale", "2"), 1, fake.toString());
    }

    @Test
    void truncatedPng() throws IOException {
        byte[] full = Files.readAllBytes(TestData.resource("samples/coffee.png"));
        Path cut = tmp.resolve("cut.png");
        Files.write(cut, Arrays.copyOf(full, full.length / 3));
        assertOneError(failUpscale(cut, "--model", "bicubic", "--scale", "2"), 1, cut.toString());
    }

    @Test
    void onePixelImage() throws IOException {
        Path dot = tmp.resolve("dot.png");
        assertTrue(new FileSaver(new ImagePlus("dot", new ColorProcessor(1, 1))).saveAsPng(dot.toString()));
        Result r = failUpscale(dot, "--model", "bicubic", "--scale", "2");
        assertOneError(r, 1, "dot.png");
        assertTrue(r.err().contains("1x1 pixels"), r.err());
    }

    @Test
    void outputFolderThatCannotBeCreated() throws IOException {
        Path file = tmp.resolve("plain-file");
        Files.writeString(file, "x");
        Path bad = file.resolve("out");
        byte[] before = Files.readAllBytes(rgbPng);
        Result r = run("upscale", rgbPng.toString(), "-o", bad.toString(), "--model", "bicubic", "--scale", "2");
        assertOneError(r, 1, bad.toString());
        assertArrayEquals(before, Files.readAllBytes(rgbPng));
        assertEquals("x", Files.readString(file));
    }

    @Test
    void outputFolderEqualToInputFolderNeverReplacesTheInput() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("photos"));
        Path png = Files.copy(rgbPng, in.resolve("coffee.png"));
        byte[] before = Files.readAllBytes(png);
        for (String flag : new String[]{"--quiet", "--overwrite"}) {
            Result r = run("upscale", png.toString(), "-o", in.toString(), "--model", "bicubic", "--scale", "2", flag);
            assertOneError(r, 1, png.toString());
            assertTrue(r.err().contains("would replace its input"), r.err());
            assertArrayEquals(before, Files.readAllBytes(png));
            assertEquals(List.of(png), list(in), "no temporary file left");
        }
        // the same through the folder: photos/ -o photos/
        Result r = run("upscale", in.toString(), "-o", in.toString(), "--model", "bicubic", "--scale", "2", "--overwrite");
        assertOneError(r, 1, png.toString());
        assertArrayEquals(before, Files.readAllBytes(png));
    }

    @Test
    void twoInputsWithTheSameOutputName() throws IOException {
        Path x = Files.copy(rgbPng, Files.createDirectories(tmp.resolve("x")).resolve("a.png"));
        Path y = Files.createDirectories(tmp.resolve("y")).resolve("a.png");
        Files.copy(TestData.resource("reference/astronaut-crop.png"), y);
        Path out = tmp.resolve("out");
        Result r = run("upscale", x.toString(), y.toString(), "-o", out.toString(), "--model", "bicubic", "--scale", "2", "--overwrite");
        assertOneError(r, 1, y.toString());
        assertTrue(r.out().contains("1 written, 0 skipped, 1 failed"), r.out());
        ImagePlus sr = new Opener().openImage(out.resolve("a.png").toString());
        assertEquals(128, sr.getWidth(), "the first input's result is kept, not replaced by the second's");
        assertEquals(96, sr.getHeight());
    }

    @Test
    void unknownModelName() throws IOException {
        Result r = failUpscale(rgbPng, "--model", "no-such-model", "--scale", "2");
        assertOneError(r, 1, "no-such-model");
        assertTrue(r.err().contains("bicubic, lanczos"), "lists the choices: " + r.err());
        assertFalse(Files.exists(tmp.resolve("out")), "no output folder for a job that cannot start");
    }

    @Test
    void corruptModelFiles() throws IOException {
        byte[] zip = Files.readAllBytes(tinyModel);
        Path truncated = tmp.resolve("truncated.zip");
        Files.write(truncated, Arrays.copyOf(zip, zip.length / 2));
        assertOneError(failUpscale(rgbPng, "--model", truncated.toString(), "--scale", "2"), 1, truncated.toString());
        Path garbage = tmp.resolve("garbage.zip");
        Files.writeString(garbage, "PK but not really a zip archive");
        assertOneError(failUpscale(rgbPng, "--model", garbage.toString(), "--scale", "2"), 1, garbage.toString());
        assertArrayEquals(Arrays.copyOf(zip, zip.length / 2), Files.readAllBytes(truncated), "model file unchanged");
    }

    @Test
    void modelScaleDiffersFromAskedScale() throws IOException {
        Result r = failUpscale(rgbPng, "--model", tinyModel.toString(), "--scale", "4");
        assertOneError(r, 1, "tiny-x2");
        assertTrue(r.err().contains("upscales by 2, but scale 4 was asked"), r.err());
    }

    @Test
    void emptyFolderAndNoInputs() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("readme.txt"), "no images here");
        Result r = failUpscale(empty, "--model", "bicubic", "--scale", "2");
        assertOneError(r, 1, empty.toString());
        assertTrue(r.err().startsWith("super-resolve: No images found in " + empty + ":"), r.err());

        assertOneError(run("upscale", "-o", tmp.resolve("out").toString(), "--model", "bicubic"), 2, "Give at least one input");
    }

    @Test
    void commandLineMistakesExitWithTwo() {
        assertOneError(run("enhance", "x.png"), 2, "'enhance'");
        assertOneError(run("upscale", rgbPng.toString(), "-o", tmp.toString(), "--colour", "red"), 2, "--colour");
        assertOneError(run("upscale", rgbPng.toString(), "-o", tmp.toString(), "--scale", "two"), 2, "'two'");
        assertOneError(run("upscale", rgbPng.toString(), "-o"), 2, "-o");
        assertOneError(run("upscale", rgbPng.toString(), "-o", tmp.resolve("o").toString(), "--model", "bicubic", "--bit-depth", "12"), 2, "'12'");
        assertFalse(Files.exists(tmp.resolve("o")), "no output folder for a bad command line");
        Result help = run("help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("upscale IN... -o DIR"), help.out());
        assertEquals(2, run().code());
    }

    /** upscale --consistency: a map beside each output and a CSV of RSE and RSP; an existing map is not replaced silently. */
    @Test
    void upscaleChecksConsistencyOnRequest() throws IOException {
        Path out = tmp.resolve("checked");
        Result r = run("upscale", rgbPng.toString(), "-o", out.toString(), "--model", "bicubic", "--scale", "2", "--consistency");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("consistency (bicubic): RSE "), r.out());
        ImagePlus map = new Opener().openImage(out.resolve("coffee-crop-consistency.tif").toString());
        ImagePlus in = new Opener().openImage(rgbPng.toString());
        assertEquals(in.getWidth(), map.getWidth());
        assertEquals(3, map.getNChannels(), "R, G and B");
        List<String> csv = Files.readAllLines(out.resolve("consistency.csv"));
        assertEquals("image,channel,slice,frame,rse,rsp,gain,offset", csv.get(0));
        assertEquals(4, csv.size(), csv.toString());
        for (String line : csv.subList(1, 4)) assertTrue(Double.parseDouble(line.split(",")[5]) > 0.95, line);
        // again with --overwrite of the output but the map kept: refused with a sentence, exit 1
        Path plain = tmp.resolve("checked2");
        assertEquals(0, run("upscale", rgbPng.toString(), "-o", plain.toString(), "--model", "bicubic", "--scale", "2").code());
        Files.writeString(plain.resolve("coffee-crop-consistency.tif"), "mine");
        r = run("upscale", rgbPng.toString(), "-o", plain.toString(), "--model", "bicubic", "--scale", "2", "--consistency", "--overwrite");
        assertEquals(0, r.code(), "with --overwrite the map is replaced: " + r.err());
        Path kept = Files.createDirectories(tmp.resolve("kept"));
        Files.writeString(kept.resolve("coffee-crop-consistency.tif"), "mine");
        r = run("upscale", rgbPng.toString(), "-o", kept.toString(), "--model", "bicubic", "--scale", "2", "--consistency");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("coffee-crop-consistency.tif exists: use --overwrite to replace it"), r.err());
        assertEquals("mine", Files.readString(kept.resolve("coffee-crop-consistency.tif")), "not replaced");
        r = run("upscale", rgbPng.toString(), "-o", tmp.resolve("bad").toString(), "--model", "bicubic", "--consistency", "--degradation", "gauss");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Degradation 'gauss' is not known"), r.err());
    }

    // ---------------------------------------------------------------- other commands

    @Test
    void benchPrintsJson() {
        Result r = run("bench", "--model", "srresnet-2x8-x2", "--size", "16", "--repeats", "1", "--warmup", "0", "--json");
        assertEquals(0, r.code(), r.err());
        Object parsed = Json.parse(r.out().strip());
        Map<?, ?> m = assertInstanceOf(Map.class, parsed, r.out());
        assertEquals("srresnet-2x8-x2", m.get("model"));
        assertEquals(16, ((Number) m.get("size")).intValue());
        assertEquals(2, ((Number) m.get("scale")).intValue());
        assertEquals(1, ((Number) m.get("repeats")).intValue());
        double median = ((Number) m.get("median_seconds")).doubleValue();
        assertTrue(median > 0 && median < 10, "median " + median);
        assertTrue(((Number) m.get("output_megapixels_per_second")).doubleValue() > 0, r.out());
        assertEquals(1, ((List<?>) m.get("seconds")).size());
    }

    @Test
    void benchJsonStaysValidForAModelPathWithBackslashAndQuote() throws IOException {
        Path odd = Files.copy(tinyModel, Files.createDirectories(tmp.resolve("my \"models\\x2")).resolve("tiny.zip"));
        Result r = run("bench", "--model", odd.toString(), "--size", "8", "--repeats", "1", "--warmup", "0", "--json");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> m = assertInstanceOf(Map.class, Json.parse(r.out().strip()), r.out());
        assertEquals(odd.toString(), m.get("model"));
        assertEquals(2, ((Number) m.get("scale")).intValue());
    }

    @Test
    void modelsListsInterpolation() {
        Result r = run("models");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("bicubic: Keys cubic (a = -0.5), any scale"), r.out());
        assertTrue(r.out().contains("lanczos: Lanczos-3, any scale"), r.out());
        Result json = run("models", "--json");
        assertEquals(0, json.code(), json.err());
        assertInstanceOf(List.class, Json.parse(json.out().strip()), json.out());
    }


    @Test
    void modelsShipCompletesTheCardWithScoresMeasuredOnTheGivenFolder() throws IOException {
        Path held = Files.createDirectories(tmp.resolve("Held Out"));
        Files.copy(rgbPng, held.resolve("a.png"));
        Path shipped = tmp.resolve("shipped.zip");
        Result r = run("models", "ship", tinyModel.toString(), "--out", shipped.toString(), "--name", "tiny-shipped",
                "--measure", held.toString(), "--description", "a test");
        assertEquals(0, r.code(), r.err());
        io.github.superresolve.nn.ModelCard card = io.github.superresolve.nn.ModelFile.read(shipped).card();
        assertEquals("tiny-shipped", card.name());
        assertEquals("a test", card.description());
        assertTrue(card.license().startsWith("MIT"), card.license());
        // the same numbers as the comparison engine gives for that folder
        io.github.superresolve.eval.Comparison c = io.github.superresolve.eval.Comparison.load(held,
                io.github.superresolve.eval.Comparison.Options.of(2, 3, 512), w -> { }).withSpectra();
        var bicubic = c.score(io.github.superresolve.eval.Comparison.method("bicubic", ModelCatalog.standard(), 3));
        var net = c.score(io.github.superresolve.eval.Comparison.method(tinyModel.toString(), ModelCatalog.standard(), 3));
        assertEquals(Math.round(bicubic.psnr() * 100) / 100.0, card.metrics().get("held_out_bicubic_psnr"));
        assertEquals(Math.round(net.psnr() * 100) / 100.0, card.metrics().get("held_out_psnr"));
        // the fine-detail measure the GAN models are judged by, as compare --spectrum gives it
        assertEquals(Math.round(bicubic.highFrequency() * 1e4) / 1e4, card.metrics().get("held_out_bicubic_hf"));
        assertEquals(Math.round(net.highFrequency() * 1e4) / 1e4, card.metrics().get("held_out_hf"));
        assertTrue(net.highFrequency() > 0 && net.highFrequency() != bicubic.highFrequency(), net + " vs " + bicubic);
        assertTrue(card.metrics().get("held_out_set").toString().startsWith("Held Out (1 images"), card.metrics().toString());
        assertTrue(r.out().contains("over bicubic"), r.out());
        Result again = run("models", "ship", tinyModel.toString(), "--out", shipped.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already exists"), again.err());
    }
    @Test
    void modelsShipWithFewerMantissaBitsMeasuresTheRoundedWeightsItWrites() throws IOException {
        Path held = Files.createDirectories(tmp.resolve("held"));
        Files.copy(rgbPng, held.resolve("a.png"));
        Path shipped = tmp.resolve("compact.zip");
        Result r = run("models", "ship", tinyModel.toString(), "--out", shipped.toString(), "--measure", held.toString(),
                "--mantissa-bits", "10");
        assertEquals(0, r.code(), r.err());
        io.github.superresolve.nn.Model m = io.github.superresolve.nn.ModelFile.read(shipped);
        int rounded = 0;
        for (org.nd4j.linalg.api.ndarray.INDArray a : m.params().values())
            for (float v : a.dup('c').data().asFloat()) {
                assertEquals(0, Float.floatToRawIntBits(v) & ((1 << 13) - 1), "low mantissa bits of " + v);
                rounded++;
            }
        assertTrue(rounded > 0);
        assertTrue(m.card().training().get("weights").toString().contains("10 mantissa bits"), m.card().training().toString());
        // the card's score is that of the shipped (rounded) weights
        io.github.superresolve.eval.Comparison c = io.github.superresolve.eval.Comparison.load(held,
                io.github.superresolve.eval.Comparison.Options.of(2, 3, 512), w -> { });
        double net = c.score(io.github.superresolve.eval.Comparison.method(shipped.toString(), ModelCatalog.standard(), 3)).psnr();
        assertEquals(Math.round(net * 100) / 100.0, m.card().metrics().get("held_psnr"));
        assertEquals(2, run("models", "ship", tinyModel.toString(), "--out", tmp.resolve("x.zip").toString(), "--mantissa-bits", "0").code());
        assertFalse(Files.exists(tmp.resolve("x.zip")));
        try (java.util.stream.Stream<Path> left = Files.list(tmp)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".ship-")), "no scratch file left");
        }
    }

    @Test
    void demoWritesImagesAndPrintsPsnr() throws IOException {
        Path out = tmp.resolve("demo");
        Result r = run("demo", "-o", out.toString(), "--model", "lanczos", "--scale", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("PSNR"), r.out());
        assertEquals(List.of(out.resolve("coffee-bicubic-x2.png"), out.resolve("coffee-input-x2-smaller.png"),
                out.resolve("coffee-lanczos-x2.png"), out.resolve("coffee-truth.png")), list(out));
        ImagePlus lanczos = new Opener().openImage(out.resolve("coffee-lanczos-x2.png").toString());
        assertEquals(256, lanczos.getWidth());
        assertEquals(ImagePlus.COLOR_RGB, lanczos.getType());
        String row = r.out().lines().filter(l -> l.startsWith("lanczos ")).findFirst().orElseThrow();
        double psnr = Double.parseDouble(row.trim().split("\\s+")[1]);
        assertTrue(psnr > 20 && psnr < 50, "Lanczos x2 PSNR on the sample " + psnr);
    }

    // ---------------------------------------------------------------- helpers

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    static ImageProcessor lanczos(ImageProcessor ip) {
        float[] px = (float[]) ip.convertToFloat().getPixels();
        return new FloatProcessor(ip.getWidth() * 2, ip.getHeight() * 2,
                Resampler.upscale(px, ip.getWidth(), ip.getHeight(), 2, Kernel.LANCZOS3));
    }

    static double mean(ImageProcessor ip) {
        double s = 0;
        for (int i = 0; i < ip.getPixelCount(); i++) s += ip.getf(i);
        return s / ip.getPixelCount();
    }

    static double correlation(ImageProcessor a, ImageProcessor b) {
        int n = a.getPixelCount();
        assertEquals(n, b.getPixelCount());
        double ma = mean(a), mb = mean(b), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            double x = a.getf(i) - ma, y = b.getf(i) - mb;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
