package io.github.superresolve.boot;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the plugin's own folder, {@code <ImageJ>/super-resolve/<version>/}, and makes the one class
 * loader all of the plugin runs in (kept for the life of ImageJ: models and the SciJava context stay
 * loaded between macro calls). Java 8 source level.
 *
 * <p>The ImageJ folder is the one holding the {@code plugins/} folder this class's jar is in (or
 * {@code -Dsuperresolve.home=DIR}, or ImageJ's {@code ij.dir}). Run from a development class path
 * (the command-line tool, tests), where the plugin's classes are beside this one, no folder is needed.
 */
public final class PluginHome {

    /** The top-level folder of the installation that holds the plugin's jars, one sub-folder per version. */
    public static final String FOLDER = "super-resolve";
    /** A class that is only in the full plugin, not in the small jar in plugins/. */
    static final String PROBE = "io.github.superresolve.ij.CommandBridge";

    private static ClassLoader loader;

    private PluginHome() {
    }

    /** The loader the plugin runs in; built on first use. */
    public static synchronized ClassLoader loader() {
        if (loader != null) return loader;
        File dir = installedFolder();
        if (dir != null) {
            loader = new IsolatingClassLoader(jars(dir), hostLoader());
        } else if (visible(PluginHome.class.getClassLoader())) {
            loader = PluginHome.class.getClassLoader(); // development class path: everything is here already
        } else {
            throw new IllegalStateException("Super-Resolve is not installed completely: its folder " + FOLDER + File.separator
                    + version() + " was not found beside ImageJ's plugins folder (looked in " + candidates() + "). "
                    + "Unzip the whole Super-Resolve zip for your platform into the ImageJ or Fiji folder (the one that holds plugins), then restart ImageJ.");
        }
        return loader;
    }

    /** The version of this jar (its manifest), e.g. {@code 0.1.0}; null when run from classes. */
    public static String version() {
        return PluginHome.class.getPackage() == null ? null : PluginHome.class.getPackage().getImplementationVersion();
    }

    /** {@code <root>/super-resolve/<version>} holding jars, or null. */
    static File installedFolder() {
        String version = version();
        if (version == null) return null;
        for (File root : candidates()) {
            File d = new File(new File(root, FOLDER), version);
            File[] jars = d.listFiles();
            if (jars != null && jars.length > 0) return d;
        }
        return null;
    }

    /** Folders that may be the ImageJ folder, most specific first. */
    static List<File> candidates() {
        List<File> roots = new ArrayList<File>();
        String home = System.getProperty("superresolve.home");
        if (home != null) roots.add(new File(home));
        File jar = ownJar();
        // plugins/Super_Resolve.jar, or plugins/Some Folder/Super_Resolve.jar
        for (File d = jar == null ? null : jar.getParentFile(); d != null; d = d.getParentFile()) {
            if (d.getName().equals("plugins")) {
                roots.add(d.getParentFile());
                break;
            }
        }
        String ijDir = System.getProperty("ij.dir");
        if (ijDir != null) roots.add(new File(ijDir));
        String pluginsDir = System.getProperty("plugins.dir");
        if (pluginsDir != null) roots.add(new File(pluginsDir));
        return roots;
    }

    private static File ownJar() {
        try {
            URL u = PluginHome.class.getProtectionDomain().getCodeSource().getLocation();
            return u == null ? null : new File(u.toURI());
        } catch (URISyntaxException | SecurityException | IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    /** The folder's jars in name order (the order only matters for duplicates, which a release has none of). */
    static URL[] jars(File dir) {
        File[] files = dir.listFiles();
        if (files == null) files = new File[0];
        Arrays.sort(files);
        List<URL> urls = new ArrayList<URL>();
        for (File f : files) {
            if (!f.isFile() || !f.getName().endsWith(".jar")) continue;
            try {
                urls.add(f.toURI().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException("Cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        return urls.toArray(new URL[0]);
    }

    private static ClassLoader hostLoader() {
        ClassLoader ij = null;
        try {
            ij = Class.forName("ij.IJ").getClassLoader();
        } catch (ClassNotFoundException e) {
            // not inside ImageJ: the loader of this class must see ij.* then
        }
        return ij != null ? ij : PluginHome.class.getClassLoader();
    }

    static boolean visible(ClassLoader cl) {
        try {
            Class.forName(PROBE, false, cl);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
