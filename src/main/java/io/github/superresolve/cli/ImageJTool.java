package io.github.superresolve.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * {@code super-resolve imagej [ARGS]}: starts ImageJ 1.x with the Super-Resolve menu entries, from the
 * development class path (an installed ImageJ or Fiji gets the plugin from the zip instead). ImageJ
 * only reads plugins.config from jars in its plugins folder, so a small jar holding just plugins.config
 * is put in a plugins folder (the classes come from the class path) and {@code plugins.dir} points
 * there, unless the caller already set it.
 */
final class ImageJTool {

    private ImageJTool() {
    }

    static int run(String[] args) throws IOException {
        if (System.getProperty("plugins.dir") == null) {
            Path dir = Files.createTempDirectory("super-resolve-imagej");
            writeMenuJar(dir.resolve("plugins"));
            System.setProperty("plugins.dir", dir.toString());
            dir.toFile().deleteOnExit();
        }
        ij.ImageJ.main(args);
        // with a window (no -batch), ImageJ.main returns at once while ImageJ runs on its own threads:
        // stay until the user quits ImageJ (File > Quit ends the JVM itself), instead of exiting now
        if (!java.util.Arrays.asList(args).contains("-batch") && !java.awt.GraphicsEnvironment.isHeadless()) {
            while (ij.IJ.getInstance() != null) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return 0;
    }

    /** Writes {@code plugins/Super_Resolve_menus.jar} holding this plugin's plugins.config. */
    static Path writeMenuJar(Path pluginsDir) throws IOException {
        Files.createDirectories(pluginsDir);
        Path jar = pluginsDir.resolve("Super_Resolve_menus.jar");
        try (var in = ImageJTool.class.getClassLoader().getResourceAsStream("plugins.config")) {
            if (in == null) throw new IOException("plugins.config is missing from the class path: rebuild Super-Resolve.");
            try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os)) {
                j.putNextEntry(new JarEntry("plugins.config"));
                in.transferTo(j);
                j.closeEntry();
            }
        }
        return jar;
    }
}
