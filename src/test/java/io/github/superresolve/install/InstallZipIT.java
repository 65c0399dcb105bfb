package io.github.superresolve.install;

import org.junit.jupiter.api.Test;
import org.scijava.util.FileUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each install zip holds, read the way Fiji and ImageJ read an installation:
 * <ul>
 * <li>natives of its own platform only, and all three it needs (libnd4j, OpenBLAS, JavaCPP's JNI);</li>
 * <li>no jar where Fiji's launcher puts jars on the class path ({@code jars/}, {@code plugins/} and one
 * folder below) or ImageJ 1.x's plugin class loader looks, except {@code plugins/Super_Resolve.jar}, which
 * holds only the Java 8 boot classes and {@code plugins.config};</li>
 * <li>no jar whose updater base name (scijava-common's {@code FileUtils.stripFilenameVersion} on the
 * path, as the updater computes it) is that of any artifact pom-scijava 40.0.0 manages, as Fiji
 * installs them ({@code jars/NAME-VERSION.jar}, {@code plugins/NAME-VERSION.jar}), and no jar at all in a
 * folder the updater scans but {@code plugins/}.</li>
 * </ul>
 */
class InstallZipIT {

    static final String[] PLATFORMS = {"linux64", "win64", "macosx", "macos-arm64", "linux-arm64"};
    /** JavaCPP platform of each zip. */
    static final Map<String, String> JAVACPP = Map.of("linux64", "linux-x86_64", "win64", "windows-x86_64",
            "macosx", "macosx-x86_64", "macos-arm64", "macosx-arm64", "linux-arm64", "linux-arm64");
    static final List<String> ALL_PLATFORMS = List.of("linux-x86_64", "linux-arm64", "linux-armhf", "linux-ppc64le",
            "windows-x86_64", "windows-x86", "macosx-x86_64", "macosx-arm64", "android-arm64", "ios-arm64");
    /** Folders the updater's Checksummer scans (imagej-updater), besides plugins/. */
    static final List<String> UPDATER_FOLDERS = List.of("jars/", "retro/", "misc/", "config/", "scripts/", "macros/", "models/",
            "luts/", "images/", "Contents/", "lib/", "licenses/", "mm/", "mmautofocus/", "mmplugins/");
    static final Pattern NATIVE = Pattern.compile("(?:org/bytedeco/[a-z]+/|org/nd4j/linalg/cpu/nativecpu/bindings/)([a-z]+-[a-z0-9_]+)(-[a-z0-9-]+)?/[^/]+\\.(so[.0-9]*|dylib|dll)$");

    record Content(List<String> entries, Map<String, List<String>> nestedNatives, Map<String, List<String>> ortNatives, byte[] pluginJar) {
    }

    static Content read(String platform) throws IOException {
        List<String> entries = new ArrayList<>();
        Map<String, List<String>> natives = new LinkedHashMap<>(), ortNatives = new LinkedHashMap<>();
        byte[] plugin = null;
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(ImageJInstallIT.zip(platform)))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                entries.add(e.getName());
                if (!e.getName().endsWith(".jar")) continue;
                byte[] jar = z.readAllBytes();
                if (e.getName().equals("plugins/Super_Resolve.jar")) plugin = jar;
                List<String> n = new ArrayList<>(), o = new ArrayList<>();
                try (ZipInputStream j = new ZipInputStream(new ByteArrayInputStream(jar))) {
                    for (ZipEntry f; (f = j.getNextEntry()) != null; ) {
                        Matcher m = NATIVE.matcher(f.getName());
                        if (m.find()) n.add(f.getName());
                        if (f.getName().startsWith("ai/onnxruntime/native/") && !f.isDirectory()) o.add(f.getName());
                    }
                }
                if (!n.isEmpty()) natives.put(e.getName(), n);
                if (!o.isEmpty()) ortNatives.put(e.getName(), o);
            }
        }
        return new Content(entries, natives, ortNatives, plugin);
    }

    @Test
    void eachZipHoldsTheNativesOfItsOwnPlatformOnly() throws IOException {
        for (String platform : PLATFORMS) {
            Content c = read(platform);
            String own = JAVACPP.get(platform);
            Set<String> kinds = new TreeSet<>();
            for (Map.Entry<String, List<String>> e : c.nestedNatives().entrySet())
                for (String lib : e.getValue()) {
                    Matcher m = NATIVE.matcher(lib);
                    assertTrue(m.find());
                    String p = m.group(1);
                    assertTrue(ALL_PLATFORMS.contains(p), "unknown platform folder " + p + " in " + e.getKey());
                    assertEquals(own, p, platform + " zip holds a native for " + p + ": " + e.getKey() + "!/" + lib);
                    if (lib.startsWith("org/nd4j/")) kinds.add("nd4j");
                    else if (lib.startsWith("org/bytedeco/openblas/")) kinds.add("openblas");
                    else if (lib.startsWith("org/bytedeco/javacpp/")) kinds.add("javacpp");
                }
            assertEquals(Set.of("nd4j", "openblas", "javacpp"), kinds, platform + " zip lacks a native library");
            // ONNX Runtime (foreign ONNX networks): its own platform's two libraries, no debug symbols
            List<String> ort = new ArrayList<>();
            for (List<String> libs : c.ortNatives().values()) ort.addAll(libs);
            assertEquals(2, ort.size(), platform + ": ONNX Runtime natives " + ort);
            for (String lib : ort)
                assertTrue(lib.startsWith("ai/onnxruntime/native/" + ORT.get(platform) + "/") && !lib.endsWith(".pdb"), platform + ": " + lib);
        }
    }

    /** ONNX Runtime's folder of natives for each zip. */
    static final Map<String, String> ORT = Map.of("linux64", "linux-x64", "win64", "win-x64", "macosx", "osx-x64",
            "macos-arm64", "osx-aarch64", "linux-arm64", "linux-aarch64");

    @Test
    void onlyTheBootJarIsWhereFijiOrImageJLoadJars() throws IOException {
        for (String platform : PLATFORMS) {
            Content c = read(platform);
            for (String name : c.entries()) {
                if (!name.endsWith(".jar") && !name.endsWith(".zip")) continue;
                if (name.equals("plugins/Super_Resolve.jar")) continue;
                assertFalse(name.startsWith("plugins/") || name.startsWith("jars/"), platform + ": " + name + " would be on Fiji's class path");
                for (String f : UPDATER_FOLDERS)
                    assertFalse(name.startsWith(f), platform + ": " + name + " is in a folder Fiji's updater scans");
                assertTrue(name.startsWith("super-resolve/"), platform + ": unexpected " + name);
            }
            assertTrue(c.entries().contains("plugins/Super_Resolve.jar"), platform);
            // the boot jar: plugins.config and Java 8 classes of the boot package, nothing else
            try (ZipInputStream j = new ZipInputStream(new ByteArrayInputStream(c.pluginJar()))) {
                boolean config = false;
                for (ZipEntry e; (e = j.getNextEntry()) != null; ) {
                    String n = e.getName();
                    if (n.equals("plugins.config")) {
                        config = true;
                        String text = new String(j.readAllBytes(), StandardCharsets.UTF_8);
                        assertTrue(text.contains("\"Super-Resolve Image...\", io.github.superresolve.boot.Launcher("), text);
                    } else if (n.endsWith(".class")) {
                        assertTrue(n.startsWith("io/github/superresolve/boot/"), n);
                        byte[] b = j.readAllBytes();
                        int major = ((b[6] & 0xff) << 8) | (b[7] & 0xff);
                        assertTrue(major <= 52, n + " must be Java 8 bytecode (major <= 52), so old Fiji gets our sentence; was " + major);
                    } else {
                        assertTrue(e.isDirectory() || n.startsWith("META-INF/") || n.equals("LICENSE"), "unexpected " + n + " in the boot jar");
                    }
                }
                assertTrue(config, "plugins.config missing from the boot jar");
            }
        }
    }

    @Test
    void noJarTakenForAFijiComponentByTheUpdater() throws IOException {
        Path pom = ImageJInstallIT.TARGET.resolve("it/pom-scijava/pom-scijava-40.0.0.pom");
        String text = Files.readString(pom);
        Set<String> managed = new TreeSet<>();
        Matcher m = Pattern.compile("<artifactId>([^<$]+)</artifactId>\\s*<version>([^<]+)</version>").matcher(text);
        while (m.find()) managed.add(m.group(1));
        assertTrue(managed.size() > 500 && managed.contains("guava") && managed.contains("javacpp") && managed.contains("openblas"),
                "pom-scijava's managed artifacts were not read: " + managed.size());
        // the base names Fiji's own files get from the updater
        Set<String> fiji = new TreeSet<>();
        for (String a : managed) {
            fiji.add(FileUtils.stripFilenameVersion("jars/" + a + "-1.2.3.jar"));
            fiji.add(FileUtils.stripFilenameVersion("plugins/" + a + "-1.2.3.jar"));
        }
        // the check itself: our old Fiji.app layout (jars/guava-1.0.0-M2.1.jar ...) must be caught
        assertTrue(fiji.contains(FileUtils.stripFilenameVersion("jars/guava-1.0.0-M2.1.jar")));
        assertTrue(fiji.contains(FileUtils.stripFilenameVersion("jars/javacpp-1.5.7.jar")));
        for (String platform : PLATFORMS)
            for (String name : read(platform).entries())
                if (name.endsWith(".jar"))
                    assertFalse(fiji.contains(FileUtils.stripFilenameVersion(name)),
                            platform + ": the updater would take " + name + " for another version of a Fiji component");
    }
}
