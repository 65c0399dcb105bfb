package io.github.superresolve.boot;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Loads the plugin and all of its libraries from its own jars, sharing only ImageJ 1.x ({@code ij.*},
 * from the host's loader) and the JDK (the platform loader) with the application around it.
 *
 * <p>So Fiji's versions of javacpp, openblas, guava, jackson, protobuf, SciJava or ImgLib2 never mix
 * with ours, whatever order the launcher put them in, and SciJava's plugin discovery
 * ({@code META-INF/json/...}) and Java's {@code ServiceLoader} see only our jars. Classes that cross
 * between the plugin and ImageJ are ImageJ's own ({@code ImagePlus}, {@code PlugIn}) or the JDK's.
 * Java 8 source level (see {@link JavaVersion}).
 */
public final class IsolatingClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    /** Packages taken from the host: ImageJ 1.x itself. */
    private static final String[] HOST_PACKAGES = {"ij."};

    private final ClassLoader host;

    /**
     * @param jars the plugin's jars, searched in this order
     * @param host the loader that has ImageJ 1.x ({@code ij.IJ}'s)
     */
    public IsolatingClassLoader(URL[] jars, ClassLoader host) {
        super(jars, platformLoader());
        this.host = host;
    }

    /** True for classes taken from the host application rather than the plugin's own jars. */
    public static boolean fromHost(String className) {
        for (String p : HOST_PACKAGES) if (className.startsWith(p)) return true;
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                if (fromHost(name)) {
                    c = host.loadClass(name);
                } else {
                    try {
                        c = getParent().loadClass(name); // the JDK only
                    } catch (ClassNotFoundException notJdk) {
                        c = findClass(name);
                    }
                }
            }
            if (resolve) resolveClass(c);
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL u = findResource(name);
        return u != null ? u : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> all = new ArrayList<URL>(Collections.list(findResources(name)));
        all.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(all);
    }

    /** The JDK's platform class loader (Java 9+); on Java 8 the extension loader. */
    private static ClassLoader platformLoader() {
        try {
            return (ClassLoader) ClassLoader.class.getMethod("getPlatformClassLoader").invoke(null);
        } catch (ReflectiveOperationException e) {
            return ClassLoader.getSystemClassLoader().getParent();
        }
    }
}
