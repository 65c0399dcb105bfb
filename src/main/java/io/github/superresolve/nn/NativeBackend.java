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

    /** Loads the backend (idempotent). */
    public static synchronized void init() {
        if (initialised) return;
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
        return Nd4j.getBackend().getClass().getSimpleName() + " (" + blas + "), "
                + "threads " + Nd4j.getEnvironment().maxMasterThreads() + ", "
                + "OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", " + info;
    }
}
