package io.github.superresolve.ij;

import io.github.superresolve.resolve.Resolve;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import io.github.superresolve.TestData;
import io.github.superresolve.infer.ImageUpscalerTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The folder macro in real ImageJ 1.x ({@code ij.ImageJ -batch}) under a virtual display (xvfb-run):
 * the menu entry comes from plugins.config, the macro options reach the bridge, and the results are
 * checked: C/Z/T, bit depth, calibration, pixels. CI installs Debian's xvfb; without it the test is
 * skipped with a message.
 */
class ImageJMacroTest {

    @TempDir
    static Path tmp;
    static Path in, out, pluginsHome;

    @BeforeAll
    static void setUp() throws IOException {
        in = Files.createDirectories(tmp.resolve("in dir"));
        out = tmp.resolve("out");
        pluginsHome = tmp.resolve("imagej");
        io.github.superresolve.cli.ImageJToolAccess.writeMenuJar(pluginsHome.resolve("plugins"));
        ImagePlus stack = ImageUpscalerTest.hyperstack();
        assertTrue(new FileSaver(stack).saveAsTiffStack(in.resolve("cells.tif").toString()));
        Files.copy(TestData.resource("reference/astronaut-crop.png"), in.resolve("astronaut.png"));
        Files.writeString(in.resolve("notes.txt"), "not an image");
    }

    private static boolean xvfb() {
        return ImageJBatch.available();
    }

    private static String runMacro(String args) throws IOException, InterruptedException {
        return runMacro("Super_Resolve_Folder.ijm", args);
    }

    private static String runMacro(String macro, String args) throws IOException, InterruptedException {
        return ImageJBatch.run(pluginsHome, Paths.get("macros").resolve(macro), args, tmp, 300);
    }

    @Test
    void batchMacroSuperResolvesAFolderAndSkipsExistingOutputs() throws Exception {
        assumeTrue(xvfb(), "xvfb-run is not installed (apt-get install xvfb): ImageJ 1.x macro test skipped");
        String args = "input_directory=[" + in + "] output_directory=[" + out + "] model=lanczos scale=2";
        String log = runMacro(args);
        assertTrue(log.contains("2 written, 0 skipped"), log);

        ImagePlus cells = new Opener().openImage(out.resolve("cells.tif").toString());
        ImagePlus src = new Opener().openImage(in.resolve("cells.tif").toString());
        assertEquals(src.getWidth() * 2, cells.getWidth());
        assertEquals(src.getHeight() * 2, cells.getHeight());
        assertEquals(2, cells.getNChannels());
        assertEquals(3, cells.getNSlices());
        assertEquals(2, cells.getNFrames());
        assertEquals(16, cells.getBitDepth());
        assertEquals(0.1, cells.getCalibration().pixelWidth, 1e-9);
        assertEquals(0.1, cells.getCalibration().pixelHeight, 1e-9);
        assertEquals(0.5, cells.getCalibration().pixelDepth, 1e-9);
        assertEquals("micron", cells.getCalibration().getUnit());
        for (int i = 1; i <= src.getStackSize(); i++) {
            double corr = ImageUpscalerTest.correlation(ImageUpscalerTest.bicubic(src.getStack().getProcessor(i), 2),
                    cells.getStack().getProcessor(i));
            assertTrue(corr > 0.99, "plane " + i + ": correlation with bicubic " + corr);
        }
        ImagePlus rgb = new Opener().openImage(out.resolve("astronaut.tif").toString());
        assertEquals(24, rgb.getBitDepth());
        assertEquals(192, rgb.getWidth());

        FileTime before = Files.getLastModifiedTime(out.resolve("cells.tif"));
        String again = runMacro(args);
        assertTrue(again.contains("0 written, 2 skipped"), again);
        assertEquals(before, Files.getLastModifiedTime(out.resolve("cells.tif")));
    }

    /** The folder macro's consistency_map: a map beside each result, every image's RSE and RSP in one CSV. */
    @Test
    void folderMacroWritesConsistencyMapsAndTheirTable() throws Exception {
        assumeTrue(xvfb(), "xvfb-run is not installed (apt-get install xvfb): ImageJ 1.x macro test skipped");
        Path o = tmp.resolve("out-consistency");
        String log = runMacro("input_directory=[" + in + "] output_directory=[" + o + "] model=bicubic scale=2 consistency_map");
        assertTrue(log.contains("2 written"), log);
        ImagePlus src = new Opener().openImage(in.resolve("cells.tif").toString());
        ImagePlus map = new Opener().openImage(o.resolve("cells-consistency.tif").toString());
        assertNotNull(map, log);
        assertEquals(src.getWidth(), map.getWidth());
        assertEquals(src.getNChannels(), map.getNChannels());
        assertEquals(src.getNSlices(), map.getNSlices());
        assertEquals(src.getNFrames(), map.getNFrames());
        assertEquals(32, map.getBitDepth());
        assertEquals(src.getCalibration().pixelWidth, map.getCalibration().pixelWidth, 1e-9, "the input's pixel size");
        ImagePlus result = new Opener().openImage(o.resolve("cells.tif").toString());
        assertEquals(2 * src.getWidth(), result.getWidth(), "the result, not the map, is saved as the output");
        assertEquals(16, result.getBitDepth());
        List<String> csv = Files.readAllLines(o.resolve("consistency.csv"));
        // 12 planes of cells (2 channels x 3 slices x 2 frames) and 3 of the RGB astronaut
        assertEquals(1 + 12 + 3, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).contains("RSE") && csv.get(0).contains("RSP"), csv.get(0));
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            double rsp = Double.parseDouble(f[java.util.Arrays.asList(csv.get(0).split(",")).indexOf("RSP")]);
            assertTrue(rsp > 0.9, "bicubic is consistent with its input: " + line);
        }
    }

    @Test
    void networkModelFromAFileAndAClearErrorForAWrongScale() throws Exception {
        assumeTrue(xvfb(), "xvfb-run is not installed (apt-get install xvfb): ImageJ 1.x macro test skipped");
        Path models = Files.createDirectories(tmp.resolve("models"));
        Path model = TestData.writeModel(models, "tiny-x2", TestData.tiny(1, 2));
        Path out2 = tmp.resolve("out-net");
        String log = runMacro("input_directory=[" + in + "] output_directory=[" + out2 + "] model=[" + model + "] scale=2");
        assertTrue(log.contains("2 written"), log);
        ImagePlus cells = new Opener().openImage(out2.resolve("cells.tif").toString());
        assertEquals(12, cells.getStackSize());
        assertEquals(16, cells.getBitDepth());
        // every plane as the library makes it from the same file and model, with the macro's settings
        ImagePlus input = new Opener().openImage(in.resolve("cells.tif").toString());
        ImagePlus direct = io.github.superresolve.infer.ImageUpscaler.upscale(input,
                Resolve.upscaler(model.toString(), 2, io.github.superresolve.infer.NetworkUpscaler.AUTO, -1, 1,
                        new io.github.superresolve.nn.ModelCatalog(java.util.List.of())),
                io.github.superresolve.infer.ImageUpscaler.Options.defaults(), io.github.superresolve.infer.Progress.NONE);
        for (int i = 1; i <= 12; i++)
            org.junit.jupiter.api.Assertions.assertArrayEquals((short[]) direct.getStack().getPixels(i), (short[]) cells.getStack().getPixels(i), "plane " + i);

        Path out3 = tmp.resolve("out-wrong");
        String wrong = runMacro("input_directory=[" + in + "] output_directory=[" + out3 + "] model=[" + model + "] scale=4");
        assertTrue(wrong.contains("upscales by 2, but scale 4 was asked: set scale=2"), wrong);
        assertTrue(!Files.exists(out3.resolve("cells.tif")), "nothing written for a wrong scale");

        // no scale= at all: the model's own (it used to be 4, and an x2 model failed)
        Path out4 = tmp.resolve("out-own");
        String own = runMacro("input_directory=[" + in + "] output_directory=[" + out4 + "] model=[" + model + "]");
        assertTrue(own.contains("2 written"), own);
        assertEquals(2 * input.getWidth(), new Opener().openImage(out4.resolve("cells.tif").toString()).getWidth());
    }

    @Test
    void foreignOnnxNetworkAndAnExportedPackageRunFromMacros() throws Exception {
        assumeTrue(xvfb(), "xvfb-run is not installed (apt-get install xvfb): ImageJ 1.x macro test skipped");
        // a PyTorch-exported network, from the folder macro: PyTorch's own image to one grey level
        Path greyIn = Files.createDirectories(tmp.resolve("onnx in"));
        Files.copy(TestData.resource("onnx/grey.png"), greyIn.resolve("grey.png"));
        Path outOnnx = tmp.resolve("out-onnx");
        String log = runMacro("input_directory=[" + greyIn + "] output_directory=[" + outOnnx + "] model=["
                + TestData.resource("onnx/espcn-x2-grey.onnx") + "] scale=2");
        assertTrue(log.contains("1 written"), log);
        ImagePlus got = new Opener().openImage(outOnnx.resolve("grey.tif").toString());
        ImagePlus want = new Opener().openImage(TestData.resource("onnx/espcn-x2-grey.expected.png").toString());
        assertTrue(io.github.superresolve.exchange.ForeignModelTest.maxDiff(got, want) <= 1, "ESPCN from a macro vs PyTorch");

        // Export Model from a macro, then the package as the folder macro's model
        Path models = Files.createDirectories(tmp.resolve("export models"));
        Path model = TestData.writeModel(models, "tiny-grey-x2", TestData.tiny(1, 2));
        Path pkg = tmp.resolve("exported package");
        Path macro = Files.writeString(tmp.resolve("Export.ijm"), "run(\"Export Model...\", getArgument());\n");
        String exp = ImageJBatch.run(pluginsHome, macro, "model=[" + model + "] output_folder=[" + pkg
                + "] input_data=16-bit license=MIT", tmp, 300);
        assertTrue(Files.exists(pkg.resolve("rdf.yaml")) && Files.exists(tmp.resolve("exported package.zip")), exp);
        Path outPkg = tmp.resolve("out-package"), outModel = tmp.resolve("out-model");
        String a = runMacro("input_directory=[" + in + "] output_directory=[" + outPkg + "] model=[" + pkg.resolve("rdf.yaml") + "] scale=2");
        String b = runMacro("input_directory=[" + in + "] output_directory=[" + outModel + "] model=[" + model + "] scale=2");
        assertTrue(a.contains("2 written") && b.contains("2 written"), a + b);
        ImagePlus viaPackage = new Opener().openImage(outPkg.resolve("cells.tif").toString());
        ImagePlus viaModel = new Opener().openImage(outModel.resolve("cells.tif").toString());
        assertEquals(viaModel.getStackSize(), viaPackage.getStackSize());
        assertEquals(viaModel.getCalibration().pixelWidth, viaPackage.getCalibration().pixelWidth, 1e-12);
        for (int i = 1; i <= viaModel.getStackSize(); i++) {
            short[] p = (short[]) viaModel.getStack().getPixels(i), q = (short[]) viaPackage.getStack().getPixels(i);
            int max = 0;
            for (int k = 0; k < p.length; k++) max = Math.max(max, Math.abs((p[k] & 0xffff) - (q[k] & 0xffff)));
            assertTrue(max <= 2, "plane " + i + ": package vs model " + max + " levels");
        }

        // the deepImageJ package (format 0.4) from the macro, and back as the folder macro's model (its zip)
        Path dij = tmp.resolve("deepimagej package");
        exp = ImageJBatch.run(pluginsHome, macro, "model=[" + model + "] output_folder=[" + dij
                + "] format=deepimagej input_data=16-bit license=MIT", tmp, 300);
        assertTrue(Files.readString(dij.resolve("rdf.yaml")).contains("format_version: 0.4.10"), exp);
        Path outDij = tmp.resolve("out-deepimagej");
        String d = runMacro("input_directory=[" + in + "] output_directory=[" + outDij + "] model=[" + tmp.resolve("deepimagej package.zip") + "] scale=2");
        assertTrue(d.contains("2 written"), d);
        ImagePlus viaDij = new Opener().openImage(outDij.resolve("cells.tif").toString());
        for (int i = 1; i <= viaModel.getStackSize(); i++) {
            short[] p = (short[]) viaModel.getStack().getPixels(i), q = (short[]) viaDij.getStack().getPixels(i);
            int max = 0;
            for (int k = 0; k < p.length; k++) max = Math.max(max, Math.abs((p[k] & 0xffff) - (q[k] & 0xffff)));
            assertTrue(max <= 2, "plane " + i + ": deepImageJ package vs model " + max + " levels");
        }
    }

    @Test
    void trainingMacroWritesAModelThatTheFolderMacroThenUses() throws Exception {
        assumeTrue(xvfb(), "xvfb-run is not installed (apt-get install xvfb): ImageJ 1.x macro test skipped");
        Path model = tmp.resolve("models dir").resolve("grey-x2.zip");
        Files.createDirectories(model.getParent());
        String log = runMacro("Train_On_Folder.ijm", "input_directory=[" + in + "] output_model=[" + model
                + "] scale=2 channels=1 patch_size=32 batch_size=2 skip_flat_patches steps=2 checkpoint_every=100");
        assertTrue(log.contains("Training finished"), log);
        io.github.superresolve.nn.Model m = io.github.superresolve.nn.ModelFile.read(model);
        assertEquals(Boolean.TRUE, m.card().training().get("skip_flat_patches"), "the macro's checkbox reached the run");
        assertEquals(2, m.card().scale());
        assertEquals(1, m.card().channels());
        assertEquals(2L, ((Number) m.card().training().get("steps")).longValue());

        Path outNet = tmp.resolve("out-trained");
        String run = runMacro("input_directory=[" + in + "] output_directory=[" + outNet + "] model=[" + model + "] scale=2");
        assertTrue(run.contains("2 written"), run);
    }

    @Test
    void compareMacroWritesTheSameCsvAsTheCliAndCompareImagesRunsFromAMacro() throws Exception {
        assumeTrue(xvfb(), "xvfb-run is not installed (apt-get install xvfb): ImageJ 1.x macro test skipped");
        Path truth = Files.createDirectories(tmp.resolve("truth dir"));
        Files.copy(TestData.resource("reference/astronaut-crop.png"), truth.resolve("astronaut.png"));
        Files.copy(TestData.resource("reference/cells16.tif"), truth.resolve("cells16.tif"));
        Files.writeString(truth.resolve("notes.txt"), "not an image");
        Path scores = tmp.resolve("scores");
        String log = runMacro("Compare_Folder.ijm", "input_directory=[" + truth + "] output_directory=[" + scores
                + "] scale=2,4 methods=[bicubic,lanczos]");
        assertTrue(log.contains("Compare_Folder: compared"), log);
        Path cliCsv = tmp.resolve("cli.csv");
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream(), e = new java.io.ByteArrayOutputStream();
        assertEquals(0, io.github.superresolve.cli.Main.run(new String[]{"compare", "--hr-dir", truth.toString(), "--scale", "2,4",
                "--methods", "bicubic,lanczos", "--csv", cliCsv.toString()}, new java.io.PrintStream(o), new java.io.PrintStream(e)), e.toString());
        assertEquals(Files.readString(cliCsv), Files.readString(scores.resolve("comparison.csv")), "the macro and the CLI give the same numbers");
        List<String> table = Files.readAllLines(scores.resolve("comparison_table.csv"));
        assertEquals(1 + 2 * 2 * 2 + 4, table.size(), String.join("\n", table));
        assertTrue(table.get(0).contains("Image") && table.get(0).contains("PSNR (dB)"), table.get(0));
        List<String> one = Files.readAllLines(scores.resolve("table1.csv"));
        assertEquals(1 + 2 * 5, one.size(), "MSE, PSNR, SSIM, RSE and RSP at x2 and x4: " + String.join("\n", one));
        assertTrue(one.get(0).contains("bicubic") && one.get(0).contains("lanczos"), one.get(0));
        assertNotNull(new Opener().openImage(scores.resolve("montage.png").toString()));

        Path macro = tmp.resolve("compare-images.ijm");
        Path result = tmp.resolve("image-scores.csv"), current = tmp.resolve("current-image.csv");
        Files.writeString(macro, "setBatchMode(true);\n"
                + "open(\"" + TestData.resource("reference/astronaut-crop.png") + "\");\n"
                + "open(\"" + TestData.resource("reference/astronaut-crop_down2up2.png") + "\");\n"
                + "run(\"Compare Images...\", \"reference=astronaut-crop.png test=astronaut-crop_down2up2.png border=2\");\n"
                + "Table.save(\"" + result + "\", \"Image Scores\");\n"
                + "selectImage(\"astronaut-crop.png\");\n"
                + "run(\"Compare Methods...\", \"source=[current image] scale=2 methods=[bicubic]\");\n"
                + "Table.save(\"" + current + "\", \"Comparison\");\n"
                + "run(\"Compare Images...\", \"reference=astronaut-crop.png test=[no such image] border=2\");\n");
        String log2 = runMacro(macro.toString(), "");
        List<String> rows = Files.readAllLines(result);
        assertEquals(5, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(4).contains("mean") && rows.get(4).contains("30.009"), rows.get(4));
        List<String> cur = Files.readAllLines(current);
        assertEquals(3, cur.size(), "one image row and its mean: " + String.join("\n", cur));
        assertTrue(cur.get(1).contains("astronaut-crop.png") && cur.get(1).contains("bicubic"), cur.get(1));
        assertTrue(log2.contains("No open image is titled 'no such image': give the title of an open image as test=[...]."), log2);
    }
}
