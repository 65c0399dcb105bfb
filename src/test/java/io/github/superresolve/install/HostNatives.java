package io.github.superresolve.install;

import java.lang.reflect.Method;

/**
 * Run inside ImageJ by the install test's macro ({@code call("io.github.superresolve.install.HostNatives.preload")})
 * on a Fiji-like class path: loads the host's own JavaCPP and OpenBLAS natives (pom-scijava 40:
 * javacpp 1.5.10, openblas 0.3.26) before Super-Resolve loads its javacpp 1.5.7 and openblas 0.3.19,
 * as another Fiji plugin (FFmpeg, OpenCV) would. Reflection only: compiled against our own versions,
 * it runs against whatever the host class path holds.
 */
public final class HostNatives {

    private HostNatives() {
    }

    public static String preload() {
        try {
            Class<?> loader = Class.forName("org.bytedeco.javacpp.Loader");
            Class<?> blas = Class.forName("org.bytedeco.openblas.global.openblas_nolapack");
            Method load = loader.getMethod("load", Class.class);
            String path = String.valueOf(load.invoke(null, blas));
            Object version = loader.getMethod("getVersion").invoke(null);
            // a call into the host's OpenBLAS, to be sure it is really loaded and working
            Object threads = blas.getMethod("blas_get_num_threads").invoke(null);
            return "javacpp " + version + " from " + loader.getProtectionDomain().getCodeSource().getLocation()
                    + ", openblas loaded from " + path + ", threads " + threads;
        } catch (ReflectiveOperationException | LinkageError e) {
            return "failed: " + e;
        }
    }
}
