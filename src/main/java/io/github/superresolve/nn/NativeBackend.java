package io.github.superresolve.nn;

import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One-time set-up of ND4J: the native build for this computer, quiet logging, and a description of
 * the backend for {@code bench} and bug reports.
 *
 * <p><b>Which build.</b> Each platform's folder {@code lib/<platform>/super-resolve/} (update site and
 * install zip alike, {@code boot.PluginHome}) carries libnd4j for that platform only: the oneDNN build
 * where ND4J 1.0.0-M2.1 has one (Linux and Windows x86-64, macOS Intel), the plain build elsewhere
 * (macOS Apple Silicon, Linux arm64). On x86-64 Linux the generic oneDNN build is as fast as the
 * AVX2 and AVX-512 ones for our networks, because oneDNN picks its convolution kernels for the CPU at
 * run time (measured, README "Native backends"), so one build serves CPUs with and without AVX2, and
 * a zip is half the size. When several builds are on the class path (a development build, or a user's
 * own), {@link #choose} takes the most specific one the CPU can run: loading an AVX-512 build on a CPU
 * without AVX-512 kills the JVM with SIGILL. A user's {@code -Dorg.bytedeco.javacpp.platform.extension}
 * wins. Any other platform gets one sentence, and interpolation keeps working.
 *
 * <p><b>Threads.</b> ND4J, OpenBLAS and oneDNN read {@code OMP_NUM_THREADS} when the native library
 * loads; {@code bin/super-resolve} sets it to the number of cores. Inside Fiji, set it in the
 * environment before starting Fiji.
 *
 * <p><b>Logging.</b> Inside ImageJ or Fiji the plugin has its own SLF4J (its own class loader, see
 * {@code boot.PluginHome}), so ND4J logs through the simple binding set here, at warning level,
 * whatever Fiji's logback is configured to do.
 */
public final class NativeBackend {

    private static volatile boolean initialised;

    private NativeBackend() {
    }

    static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    private static final String BINDINGS = "org/nd4j/linalg/cpu/nativecpu/bindings/";

    /** A native build of libnd4j: JavaCPP platform and extension ({@code linux-x86_64} + {@code -onednn}). */
    public record Build(String platform, String extension) {
        public String name() {
            return platform + extension;
        }
    }

    /**
     * The build to load on a computer, from what is bundled.
     *
     * @param osName  {@code os.name}
     * @param osArch  {@code os.arch}
     * @param cpuFlags CPU features (Linux {@code /proc/cpuinfo} flags; empty where unknown)
     * @param bundled whether the class path holds a build, by name ({@code linux-x86_64-onednn})
     * @throws ModelException with one sentence when the platform is not supported or its build is missing
     */
    public static Build choose(String osName, String osArch, Set<String> cpuFlags, Predicate<String> bundled) {
        String platform = platform(osName, osArch);
        if (platform == null)
            throw new ModelException("Super-Resolve's networks do not run on " + osName + " (" + osArch + "): ND4J has native code for "
                    + "Windows (x86-64), macOS (Intel and Apple Silicon) and Linux (x86-64 and arm64) only. Bicubic and Lanczos still work.");
        java.util.List<String> extensions = new java.util.ArrayList<>();
        if (platform.endsWith("x86_64")) {
            if (cpuFlags.containsAll(java.util.List.of("avx512f", "avx512bw", "avx512vl", "avx512dq"))) extensions.add("-onednn-avx512");
            if (cpuFlags.contains("avx2") && cpuFlags.contains("fma")) extensions.add("-onednn-avx2");
            extensions.add("-onednn");
        }
        extensions.add("");
        for (String ext : extensions)
            if (bundled.test(platform + ext)) return new Build(platform, ext);
        String updater = io.github.superresolve.boot.Platform.of(osName, osArch);
        throw new ModelException("This Super-Resolve has no native code for " + platform + ", the platform ImageJ runs on: install Super-Resolve from its update site"
                + " on this computer (the updater gives it the files of " + updater + ") or unzip the zip made for it (" + updater
                + ") into the ImageJ or Fiji folder, then restart. Bicubic and Lanczos still work.");
    }

    /** JavaCPP's name of a platform, or null if ND4J has no build for it. */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86-64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.startsWith("linux")) return x64 ? "linux-x86_64" : arm64 ? "linux-arm64" : null;
        if (os.startsWith("windows")) return x64 ? "windows-x86_64" : null;
        if (os.startsWith("mac")) return x64 ? "macosx-x86_64" : arm64 ? "macosx-arm64" : null;
        return null;
    }

    /** Whether the class path holds a build (the JNI library of libnd4j for it). */
    static boolean bundled(String build) {
        ClassLoader cl = NativeBackend.class.getClassLoader();
        String dir = BINDINGS + build + "/";
        for (String lib : new String[]{"libjnind4jcpu.so", "libjnind4jcpu.dylib", "jnind4jcpu.dll"})
            if (cl.getResource(dir + lib) != null) return true;
        return false;
    }

    /** The build for this JVM; a user's platform extension property wins. */
    static Build chooseHere() {
        Build b = choose(System.getProperty("os.name", ""), System.getProperty("os.arch", ""), cpuFlags(), NativeBackend::bundled);
        String user = System.getProperty(EXTENSION_PROPERTY);
        return user == null ? b : new Build(b.platform(), user);
    }

    /** The sentence of a failed {@link #init()}, repeated on later calls (ND4J cannot be retried). */
    private static String failure;

    static Set<String> cpuFlags() {
        Set<String> flags = new java.util.HashSet<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    int c = line.indexOf(':');
                    for (String f : line.substring(c + 1).trim().split("\\s+")) flags.add(f);
                    break;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or unknown CPU: the generic build
        }
        return flags;
    }

    /** The native build loaded, e.g. {@code linux-x86_64-onednn}. */
    public static String nativeBuild() {
        init();
        return chosen;
    }

    private static String chosen;

    /**
     * Loads the backend (idempotent), or fails with one sentence, the same one on every call (ND4J
     * cannot be retried). Call it where a network is first needed, so the user sees the sentence
     * rather than a class-initialisation error from a class whose static initialiser loads ND4J.
     */
    public static synchronized void init() {
        if (initialised) return;
        if (failure != null) throw new ModelException(failure);
        Build build;
        try {
            build = chooseHere();
        } catch (ModelException e) {
            failure = e.getMessage();
            throw e;
        }
        // ND4J logs every op of a new graph at INFO and warns about duplicate TF op mappings: quiet both.
        System.setProperty("org.slf4j.simpleLogger.log.org.nd4j", System.getProperty("org.slf4j.simpleLogger.log.org.nd4j", "warn"));
        System.setProperty("org.slf4j.simpleLogger.log.org.nd4j.imports", "error");
        // the extension is read when our JavaCPP loads libnd4j; put back what was there, so another
        // JavaCPP in the same JVM (other Fiji plugins) is not sent looking for our build's folder
        String before = System.getProperty(EXTENSION_PROPERTY);
        System.setProperty(EXTENSION_PROPERTY, build.extension());
        // ND4J finds its backend through ServiceLoader on this class loader (ours inside ImageJ)
        org.nd4j.common.config.ND4JClassLoading.setNd4jClassloader(NativeBackend.class.getClassLoader());
        try {
            Nd4j.getExecutioner();
        } catch (RuntimeException | LinkageError e) {
            failure = loadFailure(build, e);
            throw new ModelException(failure, e);
        } finally {
            if (before == null) System.clearProperty(EXTENSION_PROPERTY);
            else System.setProperty(EXTENSION_PROPERTY, before);
        }
        Nd4j.getEnvironment().setVerbose(false);
        Nd4j.getEnvironment().setDebug(false);
        chosen = build.name();
        initialised = true;
    }

    /**
     * The sentence for a native library that would not load: the system library it lacks (JavaCPP's
     * {@code UnsatisfiedLinkError} names it), and what to do. Measured: ND4J's Linux arm64 build needs
     * the system's GCC OpenMP runtime ({@code libgomp.so.1}, Debian/Ubuntu package {@code libgomp1});
     * the x86-64 builds bundle it, the macOS builds need only system libraries.
     */
    static String loadFailure(Build build, Throwable e) {
        String detail = null;
        for (Throwable c = e; c != null; c = c.getCause())
            if (c instanceof UnsatisfiedLinkError && c.getMessage() != null) detail = c.getMessage();
        String missing = null;
        if (detail != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(": ([^:]+): cannot open shared object file").matcher(detail);
            if (m.find()) missing = m.group(1).trim();
        }
        String advice = missing == null ? "reinstall Super-Resolve (update site, or the zip for this platform)"
                : missing.startsWith("libgomp") ? "install the GCC OpenMP runtime (Debian/Ubuntu: sudo apt install libgomp1; Fedora: sudo dnf install libgomp)"
                : "install the system library " + missing;
        return "Super-Resolve's native library (" + build.name() + ") could not be loaded"
                + (missing != null ? ": this system lacks " + missing : detail != null ? " (" + detail + ")" : "")
                + "; " + advice + ", then restart. Bicubic and Lanczos still work.";
    }

    /** One line naming the backend, its native build and thread count. */
    public static String describe() {
        init();
        Object info = Nd4j.getExecutioner().getEnvironmentInformation();
        String blas = String.valueOf(Nd4j.getExecutioner().getClass().getSimpleName());
        return nativeBuild() + ", " + Nd4j.getBackend().getClass().getSimpleName() + " (" + blas + "), "
                + "threads " + Nd4j.getEnvironment().maxMasterThreads() + ", "
                + "OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", " + info;
    }
}
