package io.github.superresolve.nn;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which native build each computer gets, over a table of (os.name, os.arch, CPU features, what is bundled). */
class NativeBackendTest {

    static final Set<String> NONE = Set.of();
    static final Set<String> AVX2 = Set.of("sse4_2", "avx", "avx2", "fma");
    static final Set<String> AVX512 = Set.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq");
    static final Set<String> OLD_X86 = Set.of("sse2", "sse4_2", "avx");

    /** What each install zip bundles (pom.xml, dist-natives). */
    static final Predicate<String> LINUX64_ZIP = Set.of("linux-x86_64-onednn")::contains;
    static final Predicate<String> WIN64_ZIP = Set.of("windows-x86_64-onednn")::contains;
    static final Predicate<String> MACOS64_ZIP = Set.of("macosx-x86_64-onednn")::contains;
    static final Predicate<String> MACOS_ARM64_ZIP = Set.of("macosx-arm64")::contains;
    static final Predicate<String> LINUX_ARM64_ZIP = Set.of("linux-arm64")::contains;
    /** A development class path with several x86-64 builds. */
    static final Predicate<String> ALL_LINUX_X86 = Set.of("linux-x86_64-onednn", "linux-x86_64-onednn-avx2", "linux-x86_64-onednn-avx512")::contains;

    static String choose(String os, String arch, Set<String> flags, Predicate<String> bundled) {
        return NativeBackend.choose(os, arch, flags, bundled).name();
    }

    @Test
    void eachZipsPlatformGetsItsBuild() {
        assertEquals("linux-x86_64-onednn", choose("Linux", "amd64", AVX512, LINUX64_ZIP));
        assertEquals("linux-x86_64-onednn", choose("Linux", "amd64", AVX2, LINUX64_ZIP));
        assertEquals("linux-x86_64-onednn", choose("Linux", "amd64", OLD_X86, LINUX64_ZIP), "a CPU without AVX2 runs the generic build");
        assertEquals("windows-x86_64-onednn", choose("Windows 11", "amd64", NONE, WIN64_ZIP));
        assertEquals("windows-x86_64-onednn", choose("Windows 10", "amd64", NONE, WIN64_ZIP));
        assertEquals("macosx-x86_64-onednn", choose("Mac OS X", "x86_64", NONE, MACOS64_ZIP));
        assertEquals("macosx-arm64", choose("Mac OS X", "aarch64", NONE, MACOS_ARM64_ZIP), "Apple Silicon");
        assertEquals("linux-arm64", choose("Linux", "aarch64", NONE, LINUX_ARM64_ZIP));
    }

    @Test
    void theMostSpecificBuildTheCpuCanRunWhenSeveralAreBundled() {
        assertEquals("linux-x86_64-onednn-avx512", choose("Linux", "amd64", AVX512, ALL_LINUX_X86));
        assertEquals("linux-x86_64-onednn-avx2", choose("Linux", "amd64", AVX2, ALL_LINUX_X86));
        assertEquals("linux-x86_64-onednn", choose("Linux", "amd64", OLD_X86, ALL_LINUX_X86), "never an AVX build on a CPU without it (SIGILL)");
        assertEquals("linux-x86_64", choose("Linux", "amd64", AVX2, Set.of("linux-x86_64")::contains), "the plain build when it is all there is");
    }

    @Test
    void unsupportedPlatformsGetOneSentence() {
        for (String[] p : new String[][]{{"Windows 10", "x86"}, {"Linux", "arm"}, {"Linux", "ppc64le"}, {"SunOS", "sparcv9"}, {"FreeBSD", "amd64"}}) {
            ModelException e = assertThrows(ModelException.class, () -> NativeBackend.choose(p[0], p[1], NONE, b -> true));
            assertTrue(e.getMessage().contains(p[0]) && e.getMessage().contains(p[1]) && e.getMessage().contains("Bicubic and Lanczos still work"), e.getMessage());
        }
    }

    @Test
    void theWrongZipNamesTheRightOne() {
        ModelException e = assertThrows(ModelException.class, () -> NativeBackend.choose("Mac OS X", "aarch64", NONE, WIN64_ZIP));
        assertTrue(e.getMessage().contains("macosx-arm64") && e.getMessage().contains("(macos-arm64)") && e.getMessage().contains("update site"), e.getMessage());
        e = assertThrows(ModelException.class, () -> NativeBackend.choose("Windows 11", "amd64", NONE, LINUX64_ZIP));
        assertTrue(e.getMessage().contains("(win64)"), e.getMessage());
        e = assertThrows(ModelException.class, () -> NativeBackend.choose("Mac OS X", "x86_64", NONE, LINUX64_ZIP));
        assertTrue(e.getMessage().contains("(macos64)"), "the updater's name of Intel Macs: " + e.getMessage());
    }

    @Test
    void thisMachineHasItsBuildOnTheClassPath() {
        NativeBackend.Build b = NativeBackend.chooseHere();
        assertTrue(NativeBackend.bundled(b.name()), b.name());
        assertEquals(b.name(), NativeBackend.nativeBuild());
    }

    @Test
    void aMissingSystemLibraryIsNamed() {
        // what JavaCPP threw on a Linux arm64 system without libgomp1 (measured under qemu)
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("/root/.javacpp/cache/nd4j-native-1.0.0-M2.1-linux-arm64.jar/org/nd4j/linalg/cpu/"
                + "nativecpu/bindings/linux-arm64/libjnind4jcpu.so: libgomp.so.1: cannot open shared object file: No such file or directory");
        RuntimeException thrown = new RuntimeException("ND4J is probably missing dependencies.", new UnsatisfiedLinkError("no jnind4jcpu in java.library.path"));
        thrown.getCause().initCause(cause);
        String m = NativeBackend.loadFailure(new NativeBackend.Build("linux-arm64", ""), new ExceptionInInitializerError(thrown));
        assertTrue(m.contains("linux-arm64") && m.contains("lacks libgomp.so.1") && m.contains("apt install libgomp1"), m);
        String other = NativeBackend.loadFailure(new NativeBackend.Build("linux-x86_64", "-onednn"), new UnsatisfiedLinkError("something else"));
        assertTrue(other.contains("(something else)") && other.contains("reinstall"), other);
    }
}
