package io.github.superresolve.ij;

/** The plugin's version, from the jar manifest (or "development" when run from classes). */
public final class Version {
    private Version() {
    }

    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
