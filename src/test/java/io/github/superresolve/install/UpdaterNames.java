package io.github.superresolve.install;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Fiji's updater names and places a file of an installation, written for the tests from a reading
 * of its sources (imagej-updater at ea5f12e, Nov 2025; scijava-common at 041acb4, Mar 2026); the
 * updater is not on Maven Central, so it cannot be run here.
 * <ul>
 * <li>{@link #strip}: the updater's "unversioned" name of a file, its key for "multiple versions"
 * conflicts and for replacing a file by its next version: {@code FileObject.getFilename(path, true)},
 * which is scijava-common's {@code org.scijava.util.FileUtils.stripFilenameVersion} on the whole
 * relative path. Its rule: the name must read {@code BASE[-VERSION][-CLASSIFIER].jar[-x]} in full,
 * BASE as short as possible; VERSION starts with digits and at least one {@code .digits} (or seven
 * digits), may take one letter and one digit, then any number of {@code -QUALIFIER} parts of letters,
 * digits and dots (or {@code .GA}); CLASSIFIER is one of a fixed list (sources, javadoc, natives…,
 * and OS-architecture pairs such as {@code linux-x86_64}, {@code macosx-arm64}, {@code windows-x86_64}).
 * The result is BASE + CLASSIFIER + {@code .jar}; a name that does not read that way is its own base
 * name. So {@code nd4j-native-1.0.0-M2.1-linux-x86_64-onednn.jar} keeps its version (the
 * {@code -onednn} after the classifier fits nothing) and {@code nd4j-native-linux-x86_64-onednn-1.0.0-M2.1.jar}
 * strips to {@code nd4j-native-linux-x86_64-onednn.jar}. The classifier list grew in scijava-common
 * 2.99.1 ({@code macos}, {@code arm64}, {@code x86-64}…): under 2.99.0 (pom-scijava 40)
 * {@code -macosx-arm64} was read as a version qualifier and dropped.</li>
 * <li>{@link #platform}: the platform a file is recorded for, as {@code Checksummer.guessPlatform}
 * reads it from the path: the folder after {@code jars/}, {@code lib/} or {@code mm/}, if it is one of
 * {@link #KNOWN_PLATFORMS} ({@code util.Platforms.known()}); files of no platform go to every
 * platform, and a user's updater installs only the files of their active platforms.</li>
 * </ul>
 */
final class UpdaterNames {

    private UpdaterNames() {
    }

    /** Platform names the updater knows (imagej-updater's {@code Platforms}: OS × architecture, the groups ending in x, and the old launchers' ones). */
    static final List<String> KNOWN_PLATFORMS = List.of("linux32", "linux64", "linux-arm64", "linuxx", "macos64", "macos-arm64", "macosx",
            "win32", "win64", "win-arm64", "winx");

    private static final String VERSION = "\\d+(?:\\.\\d+|\\d{7})+[a-z]?\\d?(?:-[A-Za-z0-9.]+?|\\.GA)*?";
    private static final String CLASSIFIER = "swing|swt|shaded|sources|javadoc|natives?-?\\w*"
            + "|(?:natives-)?(?:android|linux|macosx|macos|solaris|windows)-(?:aarch64|amd64|arm64|armv6hf|armv6|arm|i386|i486|i586|i686|universal|x86[_-]32|x86[_-]64|x86)";
    private static final Pattern NAME = Pattern.compile("(?<base>.+?)(?:-" + VERSION + ")?(?<rest>(?:-(?:" + CLASSIFIER + "))?\\.jar(?:-[a-z]*)?)");

    /** The updater's unversioned name of a relative path, e.g. {@code lib/super-resolve/guava-1.0.0-M2.1.jar} gives {@code lib/super-resolve/guava.jar}. */
    static String strip(String path) {
        Matcher m = NAME.matcher(path);
        return m.matches() ? m.group("base") + m.group("rest") : path;
    }

    /** The platform the updater records a file for, or null for every platform. */
    static String platform(String path) {
        String rest;
        if (path.startsWith("jars/")) rest = path.substring(5);
        else if (path.startsWith("lib/")) rest = path.substring(4);
        else if (path.startsWith("mm/")) rest = path.substring(3);
        else return null;
        int slash = rest.indexOf('/');
        if (slash < 0) return null;
        String p = rest.substring(0, slash);
        if (p.equals("linux")) p = "linux32";
        return KNOWN_PLATFORMS.contains(p) ? p : null;
    }
}
