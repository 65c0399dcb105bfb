package io.github.superresolve.boot;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java check and the isolating class loader of the boot package. */
class BootTest {

    @Test
    void javaVersions() {
        assertEquals(8, JavaVersion.major("1.8"));
        assertEquals(11, JavaVersion.major("11"));
        assertEquals(17, JavaVersion.major("17"));
        assertEquals(21, JavaVersion.major("21.0.2"));
        assertEquals(-1, JavaVersion.major("x"));
        assertNull(JavaVersion.problem("17", "/jdk"));
        assertNull(JavaVersion.problem("21", "/jdk"));
        String old = JavaVersion.problem("1.8", "/opt/Fiji.app/java/linux64/jdk1.8.0_172/jre");
        assertNotNull(old);
        assertTrue(old.contains("Java 17") && old.contains("1.8") && old.contains("jdk1.8.0_172") && old.contains("update Fiji"), old);
        assertNotNull(JavaVersion.problem("11", null));
        assertNull(JavaVersion.problem(), "this JVM runs the tests, so it is new enough");
    }

    /** The jars of the test class path that hold a class, as the plugin's folder would hold them. */
    static URL[] jarsOf(Class<?>... classes) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Class<?> c : classes) urls.add(c.getProtectionDomain().getCodeSource().getLocation());
        return urls.toArray(new URL[0]);
    }

    @Test
    void ownCopiesFirstOnlyImageJAndTheJdkFromOutside() throws Exception {
        URL[] jars = jarsOf(org.apache.commons.lang3.StringUtils.class, org.scijava.Context.class);
        // a host that has ImageJ and its own guava and SciJava (as Fiji has)
        ClassLoader host = getClass().getClassLoader();
        try (IsolatingClassLoader cl = new IsolatingClassLoader(jars, host)) {
            Class<?> lang = cl.loadClass("org.apache.commons.lang3.StringUtils");
            assertSame(cl, lang.getClassLoader(), "our commons-lang3, not the host's");
            assertNotSame(org.apache.commons.lang3.StringUtils.class, lang);
            assertSame(cl, cl.loadClass("org.scijava.Context").getClassLoader(), "our SciJava, not the host's");
            assertSame(ij.ImagePlus.class, cl.loadClass("ij.ImagePlus"), "ImageJ is the host's: images cross unchanged");
            assertSame(String.class, cl.loadClass("java.lang.String"));
            assertSame(javax.swing.JPanel.class, cl.loadClass("javax.swing.JPanel"));
            // nothing else leaks in from the host: our own classes are not in these jars
            try {
                cl.loadClass("io.github.superresolve.ij.CommandBridge");
                throw new AssertionError("a class of the host's class path was visible");
            } catch (ClassNotFoundException expected) {
                // right
            }
            // SciJava's plugin index: only what our jars hold
            List<URL> index = Collections.list(cl.getResources("META-INF/json/org.scijava.plugin.Plugin"));
            assertEquals(1, index.size(), "scijava-common's index only: " + index);
            assertTrue(index.get(0).toString().contains("scijava-common"), index.toString());
        }
    }

    @Test
    void developmentClassPathNeedsNoFolder() {
        // run from target/classes (no manifest version): the classes beside the boot package are used
        assertTrue(PluginHome.installedFolders().isEmpty());
        assertSame(PluginHome.class.getClassLoader(), PluginHome.loader());
    }

    @Test
    void jarsOfFoldersInNameOrderFolderAfterFolder() throws Exception {
        File dir = Files.createTempDirectory("boot-test").toFile();
        File a = new File(dir, "a"), b = new File(dir, "b");
        assertTrue(a.mkdir() && b.mkdir());
        for (String n : new String[]{"b.jar", "a.jar", "notes.txt", "README.txt"}) assertTrue(new File(a, n).createNewFile());
        assertTrue(new File(b, "0.jar").createNewFile());
        URL[] urls = PluginHome.jars(List.of(a, b));
        assertEquals(3, urls.length);
        assertTrue(urls[0].toString().endsWith("/a/a.jar") && urls[1].toString().endsWith("/a/b.jar") && urls[2].toString().endsWith("/b/0.jar"));
        delete(dir);
    }

    @Test
    void updaterPlatformNames() {
        assertEquals("linux64", Platform.of("Linux", "amd64"));
        assertEquals("linux-arm64", Platform.of("Linux", "aarch64"));
        assertEquals("macos64", Platform.of("Mac OS X", "x86_64"));
        assertEquals("macos-arm64", Platform.of("Mac OS X", "aarch64"));
        assertEquals("macos-arm64", Platform.of("Mac OS X", "arm64"));
        assertEquals("win64", Platform.of("Windows 11", "amd64"));
        assertEquals("win64", Platform.of("Windows 10", "x86_64"));
        assertEquals("win-arm64", Platform.of("Windows 11", "aarch64"));
        assertEquals("win32", Platform.of("Windows 10", "x86"));
        assertEquals("linux32", Platform.of("Linux", "i386"));
        assertEquals("linux-ppc64le", Platform.of("Linux", "ppc64le"));
        assertEquals(List.of("linux64", "linux-arm64", "macos64", "macos-arm64", "win64"), Platform.SUPPORTED);
        assertTrue(Platform.supported(Platform.current()), "the tests run on a supported platform: " + Platform.current());
        assertFalse(Platform.supported("win-arm64"));
    }

    /** An ImageJ folder with jars at the given relative paths. */
    static File imagejFolder(String... jars) throws IOException {
        File root = Files.createTempDirectory("boot-test ImageJ").toFile();
        for (String j : jars) {
            File f = new File(root, j);
            assertTrue(f.getParentFile().mkdirs() || f.getParentFile().isDirectory());
            assertTrue(f.createNewFile());
        }
        return root;
    }

    static List<String> relative(File root, List<File> folders) {
        List<String> r = new ArrayList<>();
        for (File f : folders) r.add(root.toPath().relativize(f.toPath()).toString().replace(File.separatorChar, '/'));
        return r;
    }

    @Test
    void theUpdateSitesLayoutCommonAndThisPlatformsNatives() throws IOException {
        File root = imagejFolder("plugins/Super_Resolve.jar", "lib/super-resolve/super-resolve-1.0.jar", "lib/super-resolve/README.txt",
                "lib/linux64/super-resolve/nd4j-native-linux-x86_64-onednn-1.0.0-M2.1.jar",
                "lib/win64/super-resolve/nd4j-native-windows-x86_64-onednn-1.0.0-M2.1.jar");
        assertEquals(List.of("lib/super-resolve", "lib/linux64/super-resolve"), relative(root, PluginHome.folders(List.of(root), "linux64", "1.0")));
        assertEquals(List.of("lib/super-resolve", "lib/win64/super-resolve"), relative(root, PluginHome.folders(List.of(root), "win64", "1.0")));
        delete(root);
    }

    @Test
    void theOldZipLayoutStillLoadsAndTheNewOneWinsWhenBothAreThere() throws IOException {
        File old = imagejFolder("plugins/Super_Resolve.jar", "super-resolve/0.1.0/super-resolve-0.1.0.jar", "super-resolve/0.1.0/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn.jar");
        assertEquals(List.of("super-resolve/0.1.0"), relative(old, PluginHome.folders(List.of(old), "linux64", "0.1.0")));
        assertTrue(PluginHome.folders(List.of(old), "linux64", "0.2.0").isEmpty(), "another version's folder is not this jar's");
        // upgraded from the old zip through the update site: both there, the new layout only
        File both = imagejFolder("plugins/Super_Resolve.jar", "super-resolve/0.1.0/super-resolve-0.1.0.jar",
                "lib/super-resolve/super-resolve-0.1.0.jar", "lib/linux64/super-resolve/javacpp-linux-x86_64-1.5.7.jar");
        assertEquals(List.of("lib/super-resolve", "lib/linux64/super-resolve"), relative(both, PluginHome.folders(List.of(both), "linux64", "0.1.0")));
        // the new layout without this platform's natives (the linux64 zip on a Mac): the complete old one first
        assertEquals(List.of("super-resolve/0.1.0"), relative(both, PluginHome.folders(List.of(both), "macos-arm64", "0.1.0")));
        delete(old);
        delete(both);
    }

    @Test
    void aPlatformWithoutNativesGetsTheCommonJarsOnly() throws IOException {
        File root = imagejFolder("lib/super-resolve/super-resolve-1.0.jar", "lib/linux64/super-resolve/onnxruntime-1.20.0.jar");
        assertEquals(List.of("lib/super-resolve"), relative(root, PluginHome.folders(List.of(root), "win-arm64", "1.0")));
        delete(root);
    }

    @Test
    void theFirstImageJFolderThatHasThePluginAndOneSentenceWhenNoneHas() throws IOException {
        File empty = imagejFolder("plugins/Super_Resolve.jar", "lib/linux64/other-plugin/x.jar", "lib/super-resolve/README.txt");
        File full = imagejFolder("lib/super-resolve/a.jar", "lib/linux64/super-resolve/b.jar");
        assertEquals(List.of("lib/super-resolve", "lib/linux64/super-resolve"), relative(full, PluginHome.folders(List.of(empty, full), "linux64", "1.0")));
        assertTrue(PluginHome.folders(List.of(empty), "linux64", "1.0").isEmpty(), "a folder without jars is no installation");
        String s = PluginHome.notInstalled(List.of(empty), "linux64", "1.0");
        String sep = File.separator;
        assertTrue(s.startsWith("Super-Resolve is not installed completely") && s.contains("lib" + sep + "super-resolve" + sep)
                && s.contains("lib" + sep + "linux64" + sep + "super-resolve" + sep) && s.contains("super-resolve" + sep + "1.0" + sep)
                && s.contains(empty.toString()) && s.contains("update site") && s.contains("zip for linux64") && s.endsWith("then restart ImageJ."), s);
        assertEquals(1, s.split("\\. ").length, "one sentence: " + s);
        assertTrue(PluginHome.notInstalled(List.of(empty), "win-arm64", "1.0").contains("zip for your platform"));
        delete(empty);
        delete(full);
    }

    static void delete(File f) {
        File[] in = f.listFiles();
        if (in != null) for (File c : in) delete(c);
        assertTrue(f.delete(), "could not delete " + f);
    }
}
