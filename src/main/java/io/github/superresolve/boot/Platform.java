package io.github.superresolve.boot;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Platform names as Fiji's updater spells them: the folder {@code lib/<platform>/} whose files the
 * updater gives to that platform only, and the suffix of our install zips. The mapping follows the
 * updater's own ({@code net.imagej.updater.util.Platforms.current()} in imagej-updater): the
 * operating system ({@code linux}, {@code macos}, {@code win}) followed by {@code 64} for x86-64,
 * {@code -arm64} for arm64, {@code 32} for x86-32, else {@code -<os.arch>}. Java 8 source level.
 */
public final class Platform {

    /** The platforms Super-Resolve has native code for (ND4J 1.0.0-M2.1's builds), in the updater's names. */
    public static final List<String> SUPPORTED = Collections.unmodifiableList(Arrays.asList(
            "linux64", "linux-arm64", "macos64", "macos-arm64", "win64"));

    private Platform() {
    }

    /** The updater's name of the platform given by {@code os.name} and {@code os.arch}, e.g. {@code macos-arm64}. */
    public static String of(String osName, String osArch) {
        String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
        String arch = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macos" : os.startsWith("win") ? "win" : os;
        String a;
        if (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86-64") || arch.equals("x64")) a = "64";
        else if (arch.equals("aarch64") || arch.equals("arm64")) a = "-arm64";
        else if (arch.matches("i[3-6]86|x86|x86[_-]32")) a = "32";
        else a = "-" + arch;
        return o + a;
    }

    /** The updater's name of the platform this JVM runs on. */
    public static String current() {
        return of(System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    /** True if Super-Resolve has native code (and an install zip) for the platform. */
    public static boolean supported(String platform) {
        return SUPPORTED.contains(platform);
    }
}
