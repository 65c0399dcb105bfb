package io.github.superresolve.cli;

import io.github.superresolve.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code super-resolve compare}: files and folders, several scales, CSV and montage, reference mode, errors. */
class CompareCliTest {

    @TempDir
    Path tmp;

    @Test
    void filesAtTwoScalesGiveTableOneCsvAndMontages() throws IOException {
        Path a = TestData.resource("reference/astronaut-crop.png"), b = TestData.resource("reference/cells16.tif");
        Path csv = tmp.resolve("out/scores.csv"), montage = tmp.resolve("out/montage.png");
        MainCliTest.Result r = MainCliTest.run("compare", "--hr", a.toString(), b.toString(), "--scale", "2,4",
                "--methods", "bicubic,lanczos", "--csv", csv.toString(), "--montage", montage.toString(), "--montage-side", "64", "--per-image");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| scale | metric") && r.out().contains("| x4    | SSIM"), r.out());
        assertFalse(r.out().contains("MSE (0-255)"), "a 16-bit image is not on the 0-255 scale: " + r.out());
        assertTrue(r.out().contains("| astronaut-crop.png"), r.out());
        assertTrue(r.out().contains("| x4    | RSP vs input"), "consistency rows beside the ground-truth ones: " + r.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("image,method,scale,mse,psnr,ssim,rse,rsp,hf", lines.get(0));
        assertEquals(1 + 2 * 2 * 2 + 2 * 2, lines.size(), String.join("\n", lines));
        for (String l : lines.subList(1, lines.size()))
            assertTrue(Double.parseDouble(l.split(",")[7]) > 0.95, "interpolation is consistent with its input: " + l);
        assertTrue(lines.get(1).startsWith("astronaut-crop.png,bicubic,2,"), lines.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("mean,lanczos,4,")));
        assertTrue(Files.exists(tmp.resolve("out/montage_x2.png")) && Files.exists(tmp.resolve("out/montage_x4.png")));
        ij.ImagePlus m = new ij.io.Opener().openImage(tmp.resolve("out/montage_x4.png").toString());
        assertEquals(3 * 64 + 2 * 4, m.getWidth(), "ground truth, bicubic, lanczos");
    }

    /** Your own images, no ground truth: each method's result scored only by its consistency with the input. */
    @Test
    void ownImagesWithoutGroundTruthGetConsistencyOnly() throws IOException {
        Path a = TestData.resource("reference/astronaut-crop.png");
        Path csv = tmp.resolve("own.csv");
        MainCliTest.Result r = MainCliTest.run("compare", "--input", a.toString(), "--scale", "2", "--methods", "bicubic,lanczos",
                "--csv", csv.toString(), "--per-image");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Your images: 1 image(s)"), r.out());
        assertFalse(r.out().contains("PSNR"), "no ground truth, no PSNR: " + r.out());
        assertTrue(r.out().contains("RSE vs input") && r.out().contains("RSP vs input"), r.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(1 + 2 + 2, lines.size(), String.join("\n", lines));
        String[] f = lines.get(1).split(",", -1);
        assertEquals("astronaut-crop.png", f[0]);
        assertEquals("", f[3], "no MSE without ground truth");
        assertTrue(Double.parseDouble(f[7]) > 0.95, lines.get(1));
        MainCliTest.Result both = MainCliTest.run("compare", "--input", a.toString(), "--hr", a.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("not both"), both.err());
    }

    @Test
    void referenceModeScoresFinishedResults() throws IOException {
        Path ref = TestData.resource("reference/astronaut-crop.png"), test = TestData.resource("reference/astronaut-crop_down2up2.png");
        Path csv = tmp.resolve("ref.csv");
        MainCliTest.Result r = MainCliTest.run("compare", "--reference", ref.toString(), "--test", test.toString(), ref.toString(),
                "--border", "2", "--csv", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| astronaut-crop_down2up2.png | mean | 64.88 | 30.01 | 0.9210 |"), r.out());
        assertTrue(r.out().contains("| astronaut-crop.png | mean | 0.00 | inf | 1.0000 |"), "identical: PSNR inf: " + r.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("image,method,scale,mse,psnr,ssim,rse,rsp,hf", lines.get(0));
        assertEquals("astronaut-crop.png,reference,,0.0000,inf,1.000000,,,", lines.get(2));
        MainCliTest.Result y = MainCliTest.run("compare", "--reference", ref.toString(), "--test", test.toString(), "--border", "2", "--luminance");
        assertTrue(y.out().contains("| Y | 59.11 | 30.41 | 0.9281 |"), y.out());
    }

    @Test
    void errorsAreOneSentence() throws IOException {
        MainCliTest.Result missing = MainCliTest.run("compare", "--hr", tmp.resolve("nope.png").toString(), "--scale", "2");
        assertEquals(1, missing.code());
        assertEquals("super-resolve: Input " + tmp.resolve("nope.png") + " does not exist.\n", missing.err());
        MainCliTest.Result none = MainCliTest.run("compare", "--scale", "2");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("--hr-dir DIR or --hr FILE"), none.err());
        MainCliTest.Result scale = MainCliTest.run("compare", "--hr", TestData.resource("reference/astronaut-crop.png").toString(), "--scale", "2,five");
        assertEquals(2, scale.code());
        assertEquals("super-resolve: Scale 'five' is not a whole number: give scales like 2 or 2,4.\n", scale.err());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("a.png"), "not a png");
        MainCliTest.Result bad = MainCliTest.run("compare", "--hr-dir", empty.toString(), "--scale", "2", "--methods", "bicubic");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("warning: Skipped") && bad.err().contains("No usable images in " + empty), bad.err());
        MainCliTest.Result size = MainCliTest.run("compare", "--reference", TestData.resource("reference/astronaut-crop.png").toString(),
                "--test", TestData.resource("reference/astronaut-crop_bicubic_up2.png").toString());
        assertEquals(1, size.code());
        assertTrue(size.err().contains("differ in size: compare images of the same size."), size.err());
    }
}
