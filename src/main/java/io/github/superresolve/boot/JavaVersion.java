package io.github.superresolve.boot;

/** Checks the running Java before any Java 17 class is touched. Java 8 source level. */
public final class JavaVersion {

    /** The oldest Java the plugin's classes and ND4J 1.0.0-M2.1 run on. */
    public static final int REQUIRED = 17;

    private JavaVersion() {
    }

    /** Major version from a {@code java.specification.version} value: "1.8" is 8, "17" is 17; -1 if unreadable. */
    public static int major(String specificationVersion) {
        if (specificationVersion == null) return -1;
        String s = specificationVersion.trim();
        if (s.startsWith("1.")) s = s.substring(2);
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) end++;
        if (end == 0) return -1;
        try {
            return Integer.parseInt(s.substring(0, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A sentence for the user if {@code specificationVersion} is too old, else null. */
    public static String problem(String specificationVersion, String javaHome) {
        int major = major(specificationVersion);
        if (major >= REQUIRED) return null;
        return "Super-Resolve needs Java " + REQUIRED + " or newer, but this ImageJ runs on Java "
                + (specificationVersion == null ? "of an unknown version" : specificationVersion)
                + (javaHome == null ? "" : " (" + javaHome + ")")
                + ": update Fiji (Help > Update..., or download a current Fiji, which brings Java 21), or start ImageJ with Java "
                + REQUIRED + " or newer.";
    }

    /** {@link #problem(String, String)} for this JVM. */
    public static String problem() {
        return problem(System.getProperty("java.specification.version"), System.getProperty("java.home"));
    }
}
