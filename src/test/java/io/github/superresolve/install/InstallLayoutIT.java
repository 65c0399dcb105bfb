package io.github.superresolve.install;

import io.github.superresolve.boot.Platform;
import org.junit.jupiter.api.Test;
import org.scijava.util.FileUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layout of the update site ({@code target/update-site/}, every platform's files) and of each
 * install zip, read the way Fiji's launcher, ImageJ 1.x and Fiji's updater read an installation
 * (the updater's rules: {@link UpdaterNames}):
 * <ul>
 * <li>no jar where Fiji's launcher puts jars on the class path ({@code jars/*.jar}, {@code jars/*}{@code /*.jar},
 * {@code plugins/*.jar}, {@code plugins/*}{@code /*.jar}: Jaunch's {@code config/fiji.toml}) or ImageJ 1.x's plugin
 * class loader looks ({@code plugins/} and one folder below), except {@code plugins/Super_Resolve.jar},
 * which holds only the Java 8 boot classes and {@code plugins.config}; every other file in
 * {@code lib/super-resolve/}, {@code lib/<platform>/super-resolve/} or {@code macros/super-resolve/},
 * in folders and with extensions the updater's {@code Checksummer} scans;</li>
 * <li>every native library under {@code lib/<platform>/super-resolve/}, the platform one the updater
 * knows, and its natives that platform's only (libnd4j, OpenBLAS, JavaCPP's JNI, ONNX Runtime); none in
 * {@code lib/super-resolve/};</li>
 * <li>updater base names (version stripped) unique, every versioned jar's version stripped, the same
 * under scijava-common 2.99.0, and none equal to that of an artifact pom-scijava 40.0.0 manages as
 * Fiji installs them ({@code jars/NAME-VERSION.jar}, {@code plugins/NAME-VERSION.jar});</li>
 * <li>each platform's zip holds exactly the files (same paths, same bytes) the site gives that
 * platform: the files of no platform plus {@code lib/<platform>/}.</li>
 * </ul>
 */
class InstallLayoutIT {

    static final List<String> PLATFORMS = Platform.SUPPORTED;
    /** JavaCPP's platform of each of ours. */
    static final Map<String, String> JAVACPP = Map.of("linux64", "linux-x86_64", "win64", "windows-x86_64",
            "macos64", "macosx-x86_64", "macos-arm64", "macosx-arm64", "linux-arm64", "linux-arm64");
    /** ONNX Runtime's folder of natives for each platform. */
    static final Map<String, String> ORT = Map.of("linux64", "linux-x64", "win64", "win-x64", "macos64", "osx-x64",
            "macos-arm64", "osx-aarch64", "linux-arm64", "linux-aarch64");
    static final List<String> ALL_JAVACPP = List.of("linux-x86_64", "linux-arm64", "linux-armhf", "linux-ppc64le",
            "windows-x86_64", "windows-x86", "macosx-x86_64", "macosx-arm64", "android-arm64", "ios-arm64");
    static final Pattern NATIVE = Pattern.compile("(?:org/bytedeco/[a-z]+/|org/nd4j/linalg/cpu/nativecpu/bindings/)([a-z]+-[a-z0-9_]+)(-[a-z0-9-]+)?/[^/]+\\.(so[.0-9]*|dylib|dll)$");
    /**
     * What the updater's Checksummer scans, folder and extensions (imagej-updater, Checksummer.directories),
     * for the folders of our layout; "" is every file.
     */
    static final Map<String, Set<String>> SCANNED = Map.of("plugins", Set.of(".jar", ".class", ".txt", ".ijm", ".py", ".rb", ".clj", ".js", ".bsh", ".groovy", ".gvy"),
            "macros", Set.of(".txt", ".ijm", ".png"), "lib", Set.of(""));
    static final String BOOT = "plugins/Super_Resolve.jar";

    /** A file of an installation: its size and SHA-256, and for a jar the native libraries it holds. */
    record Item(long size, String sha256, List<String> natives, List<String> ortNatives) {
    }

    private static final Map<String, Map<String, Item>> CACHE = new HashMap<>();
    private static byte[] bootJar;

    /** The files of a platform's zip, by relative path. */
    static synchronized Map<String, Item> zip(String platform) throws IOException {
        Map<String, Item> items = CACHE.get(platform);
        if (items != null) return items;
        items = new TreeMap<>();
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(ImageJInstallIT.zip(platform)))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; )
                if (!e.isDirectory()) items.put(e.getName(), item(e.getName(), z.readAllBytes()));
        }
        CACHE.put(platform, items);
        return items;
    }

    /** Every file of target/update-site, by relative path. */
    static synchronized Map<String, Item> site() throws IOException {
        Map<String, Item> items = CACHE.get("site");
        if (items != null) return items;
        Path root = ImageJInstallIT.TARGET.resolve("update-site");
        assertTrue(Files.isDirectory(root), "missing " + root + ": run mvn package first");
        items = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
                String name = root.relativize(f).toString().replace('\\', '/');
                items.put(name, item(name, Files.readAllBytes(f)));
            }
        }
        CACHE.put("site", items);
        return items;
    }

    /** What the site gives a user of a platform: the files the updater records for no platform or for that one. */
    static Map<String, Item> siteFor(String platform) throws IOException {
        Map<String, Item> items = new TreeMap<>();
        site().forEach((name, item) -> {
            String p = UpdaterNames.platform(name);
            if (p == null || p.equals(platform)) items.put(name, item);
        });
        return items;
    }

    static Item item(String name, byte[] bytes) throws IOException {
        List<String> natives = new ArrayList<>(), ort = new ArrayList<>();
        if (name.endsWith(".jar")) {
            if (name.equals(BOOT)) bootJar = bytes;
            try (ZipInputStream j = new ZipInputStream(new ByteArrayInputStream(bytes))) {
                for (ZipEntry f; (f = j.getNextEntry()) != null; ) {
                    if (NATIVE.matcher(f.getName()).find()) natives.add(f.getName());
                    if (f.getName().startsWith("ai/onnxruntime/native/") && !f.isDirectory()) ort.add(f.getName());
                }
            }
        }
        try {
            return new Item(bytes.length, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), natives, ort);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Each zip, and the site, as installations to check: name → files. */
    static Map<String, Map<String, Item>> installations() throws IOException {
        Map<String, Map<String, Item>> all = new TreeMap<>();
        for (String p : PLATFORMS) all.put("the " + p + " zip", zip(p));
        all.put("the update site", site());
        return all;
    }

    @Test
    void eachPlatformGetsItsOwnNativesOnlyFromTheZipAndFromTheSite() throws IOException {
        for (String platform : PLATFORMS)
            for (Map.Entry<String, Map<String, Item>> install : Map.of("zip", zip(platform), "site", siteFor(platform)).entrySet()) {
                String what = platform + " " + install.getKey();
                Set<String> kinds = new TreeSet<>();
                List<String> ort = new ArrayList<>();
                for (Map.Entry<String, Item> e : install.getValue().entrySet()) {
                    for (String lib : e.getValue().natives()) {
                        Matcher m = NATIVE.matcher(lib);
                        assertTrue(m.find());
                        assertTrue(ALL_JAVACPP.contains(m.group(1)), "unknown platform folder " + m.group(1) + " in " + e.getKey());
                        assertEquals(JAVACPP.get(platform), m.group(1), what + " holds a native for " + m.group(1) + ": " + e.getKey() + "!/" + lib);
                        kinds.add(lib.startsWith("org/nd4j/") ? "nd4j" : lib.startsWith("org/bytedeco/openblas/") ? "openblas"
                                : lib.startsWith("org/bytedeco/javacpp/") ? "javacpp" : lib);
                    }
                    ort.addAll(e.getValue().ortNatives());
                }
                assertEquals(Set.of("nd4j", "openblas", "javacpp"), kinds, what + " lacks a native library");
                // ONNX Runtime (foreign ONNX networks): its own platform's two libraries, no debug symbols
                assertEquals(2, ort.size(), what + ": ONNX Runtime natives " + ort);
                for (String lib : ort)
                    assertTrue(lib.startsWith("ai/onnxruntime/native/" + ORT.get(platform) + "/") && !lib.endsWith(".pdb"), what + ": " + lib);
            }
    }

    @Test
    void everyNativeIsInTheFolderOfAPlatformTheUpdaterKnows() throws IOException {
        Set<String> platformsWithNatives = new TreeSet<>();
        for (Map.Entry<String, Item> e : site().entrySet()) {
            String name = e.getKey();
            String platform = UpdaterNames.platform(name);
            if (name.startsWith("lib/"))
                assertTrue(name.startsWith("lib/super-resolve/") || platform != null && name.startsWith("lib/" + platform + "/super-resolve/"),
                        name + ": lib/ holds lib/super-resolve/ and lib/PLATFORM/super-resolve/ only, PLATFORM one the updater knows");
            boolean hasNatives = !e.getValue().natives().isEmpty() || !e.getValue().ortNatives().isEmpty();
            if (!hasNatives) continue;
            assertNotNull(platform, name + " holds natives but the updater would give it to every platform");
            assertTrue(UpdaterNames.KNOWN_PLATFORMS.contains(platform) && PLATFORMS.contains(platform), name);
            assertTrue(name.startsWith("lib/" + platform + "/super-resolve/"), name);
            platformsWithNatives.add(platform);
        }
        assertEquals(new TreeSet<>(PLATFORMS), platformsWithNatives);
        assertTrue(site().keySet().stream().anyMatch(n -> n.startsWith("lib/super-resolve/") && n.endsWith(".jar")));
    }

    @Test
    void onlyTheBootJarIsWhereFijiOrImageJLoadJarsAndEverythingIsScannedByTheUpdater() throws IOException {
        for (Map.Entry<String, Map<String, Item>> install : installations().entrySet()) {
            String what = install.getKey();
            for (String name : install.getValue().keySet()) {
                if (name.equals(BOOT)) continue;
                assertFalse(name.startsWith("plugins/") || name.startsWith("jars/"), what + ": " + name + " would be on Fiji's or ImageJ's class path");
                assertTrue(name.startsWith("lib/super-resolve/") || name.matches("lib/[a-z0-9-]+/super-resolve/[^/]+") || name.startsWith("macros/super-resolve/"),
                        what + ": unexpected " + name);
                // the updater uploads and installs only what its Checksummer scans
                String top = name.substring(0, name.indexOf('/'));
                Set<String> extensions = SCANNED.get(top);
                int dot = name.lastIndexOf('.');
                assertTrue(extensions != null && (extensions.contains("") || dot > name.lastIndexOf('/') && extensions.contains(name.substring(dot))),
                        what + ": the updater does not scan " + name);
            }
            assertTrue(install.getValue().containsKey(BOOT), what);
        }
        // the boot jar: plugins.config and Java 8 classes of the boot package, nothing else
        try (ZipInputStream j = new ZipInputStream(new ByteArrayInputStream(bootJar))) {
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

    @Test
    void baseNamesAreUniqueAndVersionsStripAsTheUpdaterStripsThem() throws IOException {
        for (Map.Entry<String, Map<String, Item>> install : installations().entrySet()) {
            Map<String, String> byBase = new HashMap<>();
            for (String name : install.getValue().keySet()) {
                String base = UpdaterNames.strip(name);
                String other = byBase.put(base, name);
                assertEquals(null, other, install.getKey() + ": " + name + " and " + other + " have one updater base name, " + base);
                // a new release replaces each jar by its next version only if the version strips
                if (name.endsWith(".jar") && !name.equals(BOOT))
                    assertNotEquals(name, base, install.getKey() + ": the updater keeps the version in the base name of " + name);
                // and an older Fiji (scijava-common 2.99.0, pom-scijava 40) names them the same
                assertEquals(base, FileUtils.stripFilenameVersion(name), name);
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
            fiji.add(UpdaterNames.strip("jars/" + a + "-1.2.3.jar"));
            fiji.add(UpdaterNames.strip("plugins/" + a + "-1.2.3.jar"));
        }
        // the check itself: the old Fiji.app layout (jars/guava-1.0.0-M2.1.jar ...) must be caught
        assertTrue(fiji.contains(UpdaterNames.strip("jars/guava-1.0.0-M2.1.jar")));
        assertTrue(fiji.contains(UpdaterNames.strip("jars/javacpp-1.5.7.jar")));
        for (Map.Entry<String, Map<String, Item>> install : installations().entrySet())
            for (String name : install.getValue().keySet())
                assertFalse(fiji.contains(UpdaterNames.strip(name)), install.getKey() + ": the updater would take " + name + " for another version of a Fiji component");
    }

    @Test
    void eachZipHoldsWhatTheSiteGivesItsPlatform() throws IOException {
        long common = 0;
        for (Map.Entry<String, Item> e : site().entrySet()) if (UpdaterNames.platform(e.getKey()) == null) common += e.getValue().size();
        System.out.printf("update site: %d files, %.1f MB; for every platform: %.1f MB%n", site().size(), mb(total(site())), mb(common));
        for (String platform : PLATFORMS) {
            Map<String, Item> zip = zip(platform), site = siteFor(platform);
            assertEquals(site.keySet(), zip.keySet(), platform + ": the zip's files are not the site's for " + platform);
            for (String name : zip.keySet()) assertEquals(site.get(name), zip.get(name), platform + ": " + name + " differs between the zip and the site");
            System.out.printf("  %s: %d files, %.1f MB from the site (%.1f MB of its own), zip %.1f MB%n", platform, site.size(), mb(total(site)),
                    mb(total(site) - common), mb(Files.size(ImageJInstallIT.zip(platform))));
        }
    }

    static long total(Map<String, Item> items) {
        return items.values().stream().mapToLong(Item::size).sum();
    }

    static double mb(long bytes) {
        return bytes / 1e6;
    }
}
