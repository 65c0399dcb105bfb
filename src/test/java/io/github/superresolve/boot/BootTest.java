package io.github.superresolve.boot;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertNull(PluginHome.installedFolder());
        assertSame(PluginHome.class.getClassLoader(), PluginHome.loader());
    }

    @Test
    void jarsOfAFolderInNameOrder() throws Exception {
        File dir = new File(System.getProperty("java.io.tmpdir"), "boot-test-" + System.nanoTime());
        assertTrue(dir.mkdirs());
        for (String n : new String[]{"b.jar", "a.jar", "notes.txt"}) assertTrue(new File(dir, n).createNewFile());
        URL[] urls = PluginHome.jars(dir);
        assertEquals(2, urls.length);
        assertTrue(urls[0].toString().endsWith("/a.jar") && urls[1].toString().endsWith("/b.jar"));
        for (File f : dir.listFiles()) f.delete();
        dir.delete();
    }
}
