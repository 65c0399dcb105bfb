package io.github.superresolve.nn;

import org.nd4j.linalg.factory.Nd4j;

/**
 * One-time set-up of ND4J: quiet logging of op execution, thread count, and a description of the
 * native backend for {@code bench} and bug reports.
 *
 * <p>Threads: ND4J, OpenBLAS and oneDNN read {@code OMP_NUM_THREADS} when the native library loads;
 * {@code bin/super-resolve} sets it to the number of cores. Inside Fiji, set it in the environment
 * before starting Fiji.
 */
public final class NativeBackend {

    private static volatile boolean initialised;

    private NativeBackend() {
    }

    static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    private static final String BINDINGS = "org/nd4j/linalg/cpu/nativecpu/bindings/";

    /**
     * Picks the native build of libnd4j for this CPU before ND4J loads: the plugin ships the oneDNN
     * builds for AVX-512 and AVX2 (linux-x86_64); JavaCPP loads the one named by the platform
     * extension. A user's own {@code -Dorg.bytedeco.javacpp.platform.extension} wins. Loading the
     * AVX-512 build on a CPU without AVX-512 kills the JVM (SIGILL), hence the check.
     */
    static void chooseNativeBuild() {
        if (System.getProperty(EXTENSION_PROPERTY) != null) return;
        String os = System.getProperty("os.name", "").toLowerCase();
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) return;
        java.util.Set<String> flags = cpuFlags();
        String ext = null;
        if (flags.containsAll(java.util.List.of("avx512f", "avx512bw", "avx512vl", "avx512dq")) && bundled("-onednn-avx512"))
            ext = "-onednn-avx512";
        else if (flags.contains("avx2") && flags.contains("fma") && bundled("-onednn-avx2"))
            ext = "-onednn-avx2";
        else if (bundled("-onednn"))
            ext = "-onednn";
        if (ext != null) System.setProperty(EXTENSION_PROPERTY, ext);
    }

    private static boolean bundled(String ext) {
        return NativeBackend.class.getClassLoader().getResource(BINDINGS + "linux-x86_64" + ext + "/libjnind4jcpu.so") != null;
    }

    static java.util.Set<String> cpuFlags() {
        java.util.Set<String> flags = new java.util.HashSet<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    int c = line.indexOf(':');
                    for (String f : line.substring(c + 1).trim().split("\\s+")) flags.add(f);
                    break;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // unknown CPU: leave the choice to JavaCPP
        }
        return flags;
    }

    /** The native build chosen, e.g. {@code linux-x86_64-onednn-avx2}. */
    public static String nativeBuild() {
        return org.bytedeco.javacpp.Loader.getPlatform() + System.getProperty(EXTENSION_PROPERTY, "");
    }

    /** Loads the backend (idempotent). */
    public static synchronized void init() {
        if (initialised) return;
        chooseNativeBuild();
        // ND4J logs every op of a new graph at INFO and warns about duplicate TF op mappings: quiet both.
        System.setProperty("org.slf4j.simpleLogger.log.org.nd4j", System.getProperty("org.slf4j.simpleLogger.log.org.nd4j", "warn"));
        System.setProperty("org.slf4j.simpleLogger.log.org.nd4j.imports", "error");
        Nd4j.getExecutioner();
        Nd4j.getEnvironment().setVerbose(false);
        Nd4j.getEnvironment().setDebug(false);
        initialised = true;
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
