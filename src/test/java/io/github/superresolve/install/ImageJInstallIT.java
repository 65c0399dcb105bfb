package io.github.superresolve.install;

import io.github.superresolve.resolve.Resolve;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.measure.Calibration;
import ij.process.ImageProcessor;
import io.github.superresolve.TestData;
import io.github.superresolve.ij.ImageJBatch;
import io.github.superresolve.infer.ImageUpscaler;
import io.github.superresolve.infer.Progress;
import io.github.superresolve.nn.ModelCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The linux64 install zip as a user installs it: unzipped into a fresh ImageJ 1.x folder (ImageJ's own
 * {@code ij.jar}, started as ImageJ starts itself, {@code java -jar ij.jar -ijpath DIR}), and into a
 * folder whose JVM class path is Fiji-like (pom-scijava 40.0.0's versions of ImageJ, SciJava, ImgLib2,
 * javacpp 1.5.10 and openblas 0.3.26 with their natives loaded first, guava 33, jackson, protobuf,
 * logback; the plugin jar on that class path as Fiji's launcher puts it). In both, a batch macro under
 * Xvfb super-resolves a calibrated 16-bit image with a network and with Lanczos; the results must have
 * the right size, bit depth and calibration and the very pixels the same code gives in this JVM.
 * The zip's layout is the update site's ({@code lib/super-resolve/}, {@code lib/linux64/super-resolve/});
 * the same jars laid out as the zips of 0.1 had them ({@code super-resolve/VERSION/}) must still run,
 * and an upgrade (old folder still there, new layout unzipped over it) must run the new layout only.
 * The macro prints the folders the plugin was loaded from. The install folder's name has a space, as
 * "C:\Program Files\Fiji.app" has.
 */
class ImageJInstallIT {

    static final Path TARGET = Paths.get(System.getProperty("superresolve.dist", "target")).toAbsolutePath();
    static final String VERSION = System.getProperty("superresolve.version", "0.1.0-SNAPSHOT");

    @TempDir
    static Path tmp;
    static Path input;
    static ImagePlus source;

    @BeforeAll
    static void setUp() throws IOException {
        assumeTrue(ImageJBatch.available(), "xvfb-run is not installed (apt-get install xvfb): ImageJ install tests skipped");
        // a real photo as a 16-bit, calibrated image
        ImagePlus photo = TestData.open("reference/astronaut-crop.png");
        ImageProcessor ip = photo.getProcessor().convertToByteProcessor().convertToShortProcessor(false);
        ip.multiply(200);
        ip.setRoi(0, 0, 48, 40);
        source = new ImagePlus("cells", ip.crop());
        Calibration cal = source.getCalibration();
        cal.pixelWidth = cal.pixelHeight = 0.5;
        cal.setUnit("micron");
        input = Files.createDirectories(tmp.resolve("data in")).resolve("cells.tif");
        assertTrue(new FileSaver(source).saveAsTiff(input.toString()));
    }

    static Path zip(String platform) {
        Path z = TARGET.resolve("super-resolve-" + VERSION + "-" + platform + ".zip");
        assertTrue(Files.isRegularFile(z), "missing " + z + ": run mvn package first");
        return z;
    }

    /** A fresh ImageJ folder: ImageJ's jar as ij.jar, the linux64 zip unzipped into it. */
    static Path install(String name, Path ijJar) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.copy(ijJar, dir.resolve("ij.jar"));
        Files.createDirectories(dir.resolve("plugins"));
        unzip(dir);
        return dir;
    }

    /** Unzips the linux64 zip into an ImageJ folder, replacing files, as a user unzips an upgrade. */
    static void unzip(Path dir) throws IOException {
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(zip("linux64")))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                Path f = dir.resolve(e.getName()).normalize();
                assertTrue(f.startsWith(dir), "zip entry outside the folder: " + e.getName());
                if (e.isDirectory()) Files.createDirectories(f);
                else {
                    Files.createDirectories(f.getParent());
                    Files.copy(z, f, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * A fresh ImageJ folder laid out as the zips of 0.1 were: the same jars (natives under ND4J's own
     * names), all in {@code super-resolve/VERSION/}, README.txt and LICENSE in {@code super-resolve/}.
     */
    static Path installOldLayout(String name, Path ijJar) throws IOException {
        Path dir = install(name, ijJar);
        Path old = Files.createDirectories(dir.resolve("super-resolve").resolve(VERSION));
        for (Path folder : List.of(dir.resolve("lib/super-resolve"), dir.resolve("lib/linux64/super-resolve")))
            try (Stream<Path> s = Files.list(folder)) {
                for (Path f : s.collect(Collectors.toList())) {
                    String n = f.getFileName().toString();
                    Path to = n.endsWith(".jar") ? old.resolve(n.replaceFirst("^(nd4j-native|openblas|javacpp)-(linux-x86_64(?:-onednn)?)-(.+)\\.jar$", "$1-$3-$2.jar"))
                            : dir.resolve("super-resolve").resolve(n);
                    Files.move(f, to);
                }
            }
        deleteTree(dir.resolve("lib"));
        return dir;
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) Files.delete(f);
        }
    }

    /** The line the macro prints: the folders the plugin was loaded from (boot.PluginHome.LOADED_FROM). */
    static String loadedFrom(Path... folders) {
        return "loaded from: " + Stream.of(folders).map(Path::toString).collect(Collectors.joining(File.pathSeparator)) + "\n";
    }

    static Path macro(Path out, boolean preload) throws IOException {
        Path m = tmp.resolve("install-test-" + (preload ? "fiji" : "imagej") + ".ijm");
        String s = (preload ? "print(\"host natives: \" + call(\"io.github.superresolve.install.HostNatives.preload\"));\n" : "")
                + "open(\"" + input + "\");\n"
                + "id = getImageID();\n"
                + "run(\"Super-Resolve Image...\", \"model=srresnet-x4-gray scale=4\");\n"
                + "print(\"loaded from: \" + call(\"java.lang.System.getProperty\", \"superresolve.loaded.from\"));\n"
                + "saveAs(\"Tiff\", \"" + out.resolve("network.tif") + "\");\n"
                + "selectImage(id);\n"
                + "run(\"Super-Resolve Image...\", \"model=lanczos scale=2\");\n"
                + "saveAs(\"Tiff\", \"" + out.resolve("lanczos.tif") + "\");\n"
                // a PyTorch-exported ONNX network (ONNX Runtime inside the plugin's class loader), and an export
                + "selectImage(id);\n"
                + "run(\"Super-Resolve Image...\", \"model=[" + ONNX + "] scale=2\");\n"
                + "saveAs(\"Tiff\", \"" + out.resolve("onnx.tif") + "\");\n"
                + "run(\"Export Model...\", \"model=srresnet-x2-gray output_folder=[" + out.resolve("package") + "] input_data=16-bit license=MIT\");\n"
                + "print(\"install test done\");\n";
        Files.writeString(m, s);
        return m;
    }

    static String runImageJ(List<String> javaArgs, Path dir, int seconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("xvfb-run", "-a", Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
        cmd.addAll(javaArgs);
        return ImageJBatch.runLogged(cmd, dir, tmp, seconds);
    }

    /** Size, bit depth, calibration and pixels against the same code run in this JVM. */
    static void checkResults(Path out, String log) {
        assertTrue(log.contains("install test done"), log);
        // ND4J logs through the plugin's own SLF4J at warning level, whatever the host's logging
        // (logback on the Fiji-like class path would print its INFO lines: "Loaded [CpuBackend] backend")
        assertFalse(log.contains("CpuBackend") || log.contains("Nd4jBackend") || log.contains("Number of threads used"),
                "ND4J should be quiet: " + log);
        checkResult(out.resolve("network.tif"), "srresnet-x4-gray", 4, log);
        checkResult(out.resolve("lanczos.tif"), "lanczos", 2, log);
        checkResult(out.resolve("onnx.tif"), ONNX.toString(), 2, log);
        for (String f : List.of("rdf.yaml", "weights.onnx", "test_input.npy", "test_output.npy", "cover.png", "README.md"))
            assertTrue(Files.isRegularFile(out.resolve("package").resolve(f)), "exported " + f + ": " + log);
        assertTrue(Files.isRegularFile(out.resolve("package.zip")), log);
    }

    /** A small ESPCN that PyTorch exported (src/test/resources/onnx). */
    static final Path ONNX = TestData.resource("onnx/espcn-x2-grey.onnx");

    /** One result: x{@code scale} size, 16-bit, pixel size / scale, and the pixels this JVM computes. */
    static void checkResult(Path file, String model, int scale, String log) {
        ImagePlus result = new Opener().openImage(file.toString());
        assertNotNull(result, "no result " + file.getFileName() + ": " + log);
        assertEquals(48 * scale, result.getWidth());
        assertEquals(40 * scale, result.getHeight());
        assertEquals(16, result.getBitDepth());
        assertEquals(0.5 / scale, result.getCalibration().pixelWidth, 1e-12);
        assertEquals(0.5 / scale, result.getCalibration().pixelHeight, 1e-12);
        assertEquals("micron", result.getCalibration().getUnit());
        ImagePlus here = ImageUpscaler.upscale(source, Resolve.upscaler(model, scale, 192, -1, 1, ModelCatalog.standard()),
                ImageUpscaler.Options.defaults(), Progress.NONE);
        assertArrayEquals((short[]) here.getProcessor().getPixels(), (short[]) result.getProcessor().getPixels(),
                "the installed plugin's " + model + " result differs from this JVM's");
    }

    /**
     * As Fiji's launcher builds it: ImageJ, plugins/*.jar and jars/*.jar (pom-scijava 40's versions) on
     * one class path, then the jars of {@code extra} folders of target/ and the test classes (HostNatives).
     */
    static String fijiClassPath(Path dir, String... extra) throws IOException {
        List<String> cp = new ArrayList<>();
        cp.add(dir.resolve("ij.jar").toString());
        cp.add(dir.resolve("plugins/Super_Resolve.jar").toString());
        for (String folder : extra)
            try (Stream<Path> s = Files.list(TARGET.resolve(folder))) {
                cp.addAll(s.map(Path::toString).sorted().collect(Collectors.toList()));
            }
        try (Stream<Path> s = Files.list(TARGET.resolve("it/fiji"))) {
            cp.addAll(s.filter(p -> !p.getFileName().toString().startsWith("ij-")).map(Path::toString).sorted().collect(Collectors.toList()));
        }
        cp.add(TARGET.resolve("test-classes").toString());
        return String.join(File.pathSeparator, cp);
    }

    /** ImageJ 1.53t as ImageJ starts itself, running the install test's macro in a folder; the macro's log. */
    static String runPlainImageJ(Path dir, Path out) throws IOException, InterruptedException {
        return runImageJ(List.of("-jar", dir.resolve("ij.jar").toString(), "-ijpath", dir.toString(),
                "-batch", macro(out, false).toString()), dir, 300);
    }

    @Test
    void plainImageJ153tInstallation() throws Exception {
        Path dir = install("ImageJ folder", TARGET.resolve("it/imagej1/ij-1.53t.jar"));
        Path out = Files.createDirectories(tmp.resolve("out imagej"));
        String log = runPlainImageJ(dir, out);
        checkResults(out, log);
        assertTrue(log.contains(loadedFrom(dir.resolve("lib/super-resolve"), dir.resolve("lib/linux64/super-resolve"))), log);
    }

    /** An installation from a zip of 0.1 (super-resolve/VERSION/) keeps working. */
    @Test
    void theOldZipLayoutStillRuns() throws Exception {
        Path dir = installOldLayout("ImageJ old layout", TARGET.resolve("it/imagej1/ij-1.53t.jar"));
        assertFalse(Files.exists(dir.resolve("lib")));
        Path out = Files.createDirectories(tmp.resolve("out old layout"));
        String log = runPlainImageJ(dir, out);
        checkResults(out, log);
        assertTrue(log.contains(loadedFrom(dir.resolve("super-resolve").resolve(VERSION))), log);
    }

    /**
     * Upgrading an installation from a zip of 0.1 by unzipping the new zip (or from the update site,
     * which writes the same files): the old folder is still there, the new layout is what runs, and
     * nothing of the old folder is loaded.
     */
    @Test
    void anUpgradeFromTheOldZipLayoutRunsTheNewLayout() throws Exception {
        Path dir = installOldLayout("ImageJ upgraded", TARGET.resolve("it/imagej1/ij-1.53t.jar"));
        unzip(dir);
        assertTrue(Files.isDirectory(dir.resolve("super-resolve").resolve(VERSION)) && Files.isDirectory(dir.resolve("lib/super-resolve")));
        Path out = Files.createDirectories(tmp.resolve("out upgraded"));
        String log = runPlainImageJ(dir, out);
        checkResults(out, log);
        assertTrue(log.contains(loadedFrom(dir.resolve("lib/super-resolve"), dir.resolve("lib/linux64/super-resolve"))), log);
        assertFalse(log.contains(dir.resolve("super-resolve").resolve(VERSION).toString()), log);
    }

    @Test
    void fijiLikeClassPathWithOtherVersionsLoadedFirst() throws Exception {
        Path dir = install("Fiji like", TARGET.resolve("it/fiji/ij-1.54g.jar"));
        Path out = Files.createDirectories(tmp.resolve("out fiji"));
        String log = runImageJ(List.of("-cp", fijiClassPath(dir), "ij.ImageJ", "-ijpath", dir.toString(),
                "-batch", macro(out, true).toString()), dir, 300);
        assertTrue(log.contains("host natives: javacpp 1.5.10"), "the host's javacpp 1.5.10 should be loaded first: " + log);
        assertTrue(log.contains("openblas loaded from") && !log.contains("host natives: failed"), log);
        checkResults(out, log);
    }

    @Test
    void headlessFijiThroughIj1Patcher() throws Exception {
        Path dir = install("Fiji headless", TARGET.resolve("it/fiji/ij-1.54g.jar"));
        Path out = Files.createDirectories(tmp.resolve("out headless"));
        // no Xvfb: a headless JVM, as Fiji --headless on a server
        // --add-opens as Fiji's launcher passes it (ij1-patcher defines patched ImageJ classes)
        List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Djava.awt.headless=true", "-Dplugins.dir=" + dir, "-Dij.dir=" + dir,
                "-cp", fijiClassPath(dir, "it/headless"), HeadlessFiji.class.getName(), macro(out, false).toString());
        String text = ImageJBatch.runLogged(cmd, dir, tmp, 300);
        assertTrue(text.contains("headless macro returned"), text);
        // each command registered once, from plugins.config
        for (String command : List.of("Super-Resolve Image...", "Train on Folder...", "Compare Methods...", "Fourier Spectrum...",
                "Compare Images...", "Export Model...", "About Super-Resolve...")) {
            long n = text.lines().filter(l -> l.startsWith("menu: ") && l.contains(">" + command + " = io.github.superresolve.boot.Launcher(")).count();
            assertEquals(1, n, command + " should be in the menu once: " + text);
        }
        checkResults(out, text);
    }
}
