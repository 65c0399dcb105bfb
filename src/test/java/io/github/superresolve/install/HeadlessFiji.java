package io.github.superresolve.install;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Main class of a separate JVM ({@code java.awt.headless=true}) that runs a macro the way Fiji's
 * {@code --headless} mode runs ImageJ 1.x: ImageJ patched by ij1-patcher (pom-scijava 40's 1.2.8) in
 * headless mode, with ImageJ's own plugin class loader replaced by the class path
 * ({@code noPluginClassLoader()}, as imagej-legacy does in Fiji). Prints the Super-Resolve menu
 * entries ImageJ registered, then runs the macro file given as the first argument. Reflection only,
 * so the tests need no compile-time ij1-patcher.
 */
public final class HeadlessFiji {

    private HeadlessFiji() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> env = Class.forName("net.imagej.patcher.LegacyEnvironment");
        Object ij1 = env.getConstructor(ClassLoader.class, boolean.class).newInstance(Thread.currentThread().getContextClassLoader(), true);
        env.getMethod("noPluginClassLoader").invoke(ij1);
        env.getMethod("suppressIJ1ScriptDiscovery").invoke(ij1);
        env.getMethod("runMacro", String.class, String.class).invoke(ij1, Files.readString(Paths.get(args[0])), "");
        Map<?, ?> menus = (Map<?, ?>) env.getMethod("getMenuStructure").invoke(ij1);
        System.out.println("menu entries: " + menus.size());
        for (Map.Entry<?, ?> e : menus.entrySet())
            if (String.valueOf(e.getValue()).contains("io.github.superresolve")) System.out.println("menu: " + e.getKey() + " = " + e.getValue());
        System.out.println("headless macro returned");
        System.exit(0);
    }
}
