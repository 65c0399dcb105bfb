package io.github.superresolve.boot;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Finds the plugin's own folders and makes the one class loader all of the plugin runs in (kept for
 * the life of ImageJ: models and the SciJava context stay loaded between macro calls). Java 8 source
 * level.
 *
 * <p>The folders, in the ImageJ folder (the one holding the {@code plugins/} folder this class's jar
 * is in, or {@code -Dsuperresolve.home=DIR}, or ImageJ's {@code ij.dir} or {@code plugins.dir}), in
 * this order of precedence:
 * <ol>
 * <li>the update site's layout, which the zips have too: {@code lib/super-resolve/} (the jars of
 * every platform) plus {@code lib/<platform>/super-resolve/} (this platform's natives; the
 * platform named as Fiji's updater names it, {@link Platform});</li>
 * <li>the layout of the zips of 0.1: {@code super-resolve/<version>/}, the version of this jar, so
 * installations from those zips keep working until they are upgraded (when both are there, as after
 * an upgrade, only the first is loaded);</li>
 * <li>{@code lib/super-resolve/} alone, on a platform we have no natives for (nothing for it in the
 * update site): the plugin runs, interpolation works and a network says why it cannot run.</li>
 * </ol>
 * Only jars are loaded ({@code lib/super-resolve/} also holds README.txt and LICENSE). Run from a
 * development class path (the command-line tool, tests), where the plugin's classes are beside this
 * one, no folder is needed.
 */
public final class PluginHome {

    /** The name of the plugin's folders: {@code lib/super-resolve/}, {@code lib/<platform>/super-resolve/}, {@code super-resolve/<version>/}. */
    public static final String FOLDER = "super-resolve";
    /** The folder of the ImageJ/Fiji installation the update site's layout is in; the updater scans it, no launcher puts it on a class path. */
    public static final String LIB = "lib";
    /** System property set to the folders the running plugin was loaded from (separated by {@link File#pathSeparator}). */
    public static final String LOADED_FROM = "superresolve.loaded.from";
    /** A class that is only in the full plugin, not in the small jar in plugins/. */
    static final String PROBE = "io.github.superresolve.ij.CommandBridge";

    private static ClassLoader loader;

    private PluginHome() {
    }

    /** The loader the plugin runs in; built on first use. */
    public static synchronized ClassLoader loader() {
        if (loader != null) return loader;
        List<File> folders = installedFolders();
        if (!folders.isEmpty()) {
            loader = new IsolatingClassLoader(jars(folders), hostLoader());
            System.setProperty(LOADED_FROM, join(folders));
        } else if (visible(PluginHome.class.getClassLoader())) {
            loader = PluginHome.class.getClassLoader(); // development class path: everything is here already
        } else {
            throw new IllegalStateException(notInstalled(candidates(), Platform.current(), version()));
        }
        return loader;
    }

    /** The version of this jar (its manifest), e.g. {@code 0.1.0}; null when run from classes. */
    public static String version() {
        return PluginHome.class.getPackage() == null ? null : PluginHome.class.getPackage().getImplementationVersion();
    }

    /** The folders to load the plugin from, for this JVM; empty when run from classes or when not installed. */
    static List<File> installedFolders() {
        String version = version();
        if (version == null) return Collections.emptyList();
        return folders(candidates(), Platform.current(), version);
    }

    /**
     * The folders to load the plugin from, in the first of the ImageJ folders {@code roots} that holds
     * them, by the precedence above; empty if none does.
     */
    static List<File> folders(List<File> roots, String platform, String version) {
        for (File root : roots) {
            File common = common(root), natives = natives(root, platform);
            if (hasJars(common) && hasJars(natives)) return Arrays.asList(common, natives);
        }
        for (File root : roots) {
            File old = legacy(root, version);
            if (hasJars(old)) return Collections.singletonList(old);
        }
        for (File root : roots) {
            File common = common(root);
            if (hasJars(common)) return Collections.singletonList(common);
        }
        return Collections.emptyList();
    }

    /** {@code <root>/lib/super-resolve}: the jars of every platform. */
    static File common(File root) {
        return new File(new File(root, LIB), FOLDER);
    }

    /** {@code <root>/lib/<platform>/super-resolve}: one platform's natives. */
    static File natives(File root, String platform) {
        return new File(new File(new File(root, LIB), platform), FOLDER);
    }

    /** {@code <root>/super-resolve/<version>}: the layout of the zips of 0.1. */
    static File legacy(File root, String version) {
        return new File(new File(root, FOLDER), version);
    }

    /** The sentence for an installation where none of the folders was found. */
    static String notInstalled(List<File> roots, String platform, String version) {
        String sep = File.separator;
        String zip = Platform.supported(platform) ? "the Super-Resolve zip for " + platform : "the Super-Resolve zip for your platform";
        return "Super-Resolve is not installed completely: its jars were found neither in " + LIB + sep + FOLDER + sep + " and "
                + LIB + sep + platform + sep + FOLDER + sep + " nor in an older " + FOLDER + sep + (version == null ? "VERSION" : version) + sep
                + " beside ImageJ's plugins folder (looked in " + roots + "); install it from the Super-Resolve update site"
                + " (Help > Update..., Manage Update Sites) or unzip " + zip + " into the ImageJ or Fiji folder (the one that holds plugins), then restart ImageJ.";
    }

    private static boolean hasJars(File dir) {
        File[] files = dir.listFiles();
        if (files == null) return false;
        for (File f : files) if (f.isFile() && f.getName().endsWith(".jar")) return true;
        return false;
    }

    private static String join(List<File> folders) {
        StringBuilder b = new StringBuilder();
        for (File f : folders) b.append(b.length() == 0 ? "" : File.pathSeparator).append(f.getAbsolutePath());
        return b.toString();
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

    /** The folders' jars, folder after folder, each folder's in name order (the order only matters for duplicates, which a release has none of). */
    static URL[] jars(List<File> dirs) {
        List<URL> urls = new ArrayList<URL>();
        for (File dir : dirs) {
            File[] files = dir.listFiles();
            if (files == null) files = new File[0];
            Arrays.sort(files);
            for (File f : files) {
                if (!f.isFile() || !f.getName().endsWith(".jar")) continue;
                try {
                    urls.add(f.toURI().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException("Cannot read " + f + ": " + e.getMessage(), e);
                }
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
