package io.github.superresolve.install;

import org.junit.jupiter.api.Test;
import org.scijava.util.FileUtils;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The updater's naming rules as the install tests apply them ({@link UpdaterNames}). */
class UpdaterNamesTest {

    @Test
    void versionsStripAsTheUpdaterStripsThem() {
        assertEquals("jars/guava.jar", UpdaterNames.strip("jars/guava-33.3.1-jre.jar"));
        assertEquals("lib/super-resolve/guava.jar", UpdaterNames.strip("lib/super-resolve/guava-1.0.0-M2.1.jar"));
        assertEquals("lib/super-resolve/super-resolve.jar", UpdaterNames.strip("lib/super-resolve/super-resolve-0.1.0-SNAPSHOT.jar"));
        assertEquals("lib/super-resolve/jackson-annotations.jar", UpdaterNames.strip("lib/super-resolve/jackson-annotations-2.22.jar"));
        assertEquals("jars/javacpp-linux-x86_64.jar", UpdaterNames.strip("jars/javacpp-1.5.10-linux-x86_64.jar"), "a known classifier stays");
        assertEquals("jars/foo.jar", UpdaterNames.strip("jars/foo-20120101.jar"), "a date of eight digits is a version");
        assertEquals("jars/foo-2012.jar", UpdaterNames.strip("jars/foo-2012.jar"), "digits without a dot are not");
        assertEquals("jars/bar.jar-old", UpdaterNames.strip("jars/bar-1.0.jar-old"), "'.jar-' then lowercase letters");
        assertEquals("jars/bar-1.0.jar-Old", UpdaterNames.strip("jars/bar-1.0.jar-Old"));
        assertEquals("plugins/Super_Resolve.jar", UpdaterNames.strip("plugins/Super_Resolve.jar"));
        assertEquals("lib/super-resolve/README.txt", UpdaterNames.strip("lib/super-resolve/README.txt"));
        // ND4J's own names: an extension after the classifier keeps the version in the base name
        assertEquals("lib/linux64/super-resolve/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn.jar",
                UpdaterNames.strip("lib/linux64/super-resolve/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn.jar"));
        // ours: ARTIFACT-CLASSIFIER-VERSION.jar strips
        assertEquals("lib/linux64/super-resolve/nd4j-native-linux-x86_64-onednn.jar",
                UpdaterNames.strip("lib/linux64/super-resolve/nd4j-native-linux-x86_64-onednn-1.0.0-M2.1.jar"));
        assertEquals("lib/linux64/super-resolve/nd4j-native-linux-x86_64-onednn.jar",
                UpdaterNames.strip("lib/linux64/super-resolve/nd4j-native-linux-x86_64-onednn-1.0.0-M3.jar"), "the next ND4J replaces it");
        assertEquals("lib/macos64/super-resolve/openblas-macosx-x86_64.jar",
                UpdaterNames.strip("lib/macos64/super-resolve/openblas-macosx-x86_64-0.3.19-1.5.7.jar"));
        // scijava-common 2.99.1 learned arm64: ND4J's own arm64 name keeps its classifier now
        assertEquals("lib/macos-arm64/super-resolve/nd4j-native-macosx-arm64.jar",
                UpdaterNames.strip("lib/macos-arm64/super-resolve/nd4j-native-1.0.0-M2.1-macosx-arm64.jar"));
    }

    /**
     * scijava-common 2.99.0 (pom-scijava 40, the Fiji of the install tests, on this class path) strips our
     * names the same way: a user on an older Fiji gets the same base names.
     */
    @Test
    void ourNamesStripTheSameWithScijavaCommon2990() {
        for (String n : List.of("lib/super-resolve/guava-1.0.0-M2.1.jar", "lib/super-resolve/super-resolve-0.1.0-SNAPSHOT.jar",
                "lib/linux64/super-resolve/nd4j-native-linux-x86_64-onednn-1.0.0-M2.1.jar",
                "lib/macos-arm64/super-resolve/nd4j-native-macosx-arm64-1.0.0-M2.1.jar",
                "lib/linux-arm64/super-resolve/javacpp-linux-arm64-1.5.7.jar",
                "lib/win64/super-resolve/openblas-windows-x86_64-0.3.19-1.5.7.jar", "lib/win64/super-resolve/onnxruntime-1.20.0.jar",
                "plugins/Super_Resolve.jar", "jars/guava-33.3.1-jre.jar", "jars/foo-20120101.jar", "jars/foo-2012.jar", "jars/bar-1.0.jar-old",
                "jars/bar-1.0.jar-Old", "lib/linux64/super-resolve/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn.jar"))
            assertEquals(FileUtils.stripFilenameVersion(n), UpdaterNames.strip(n), n);
        // where they differ (2.99.0 did not know arm64 and dropped it with the version)
        assertEquals("lib/macos-arm64/super-resolve/nd4j-native.jar",
                FileUtils.stripFilenameVersion("lib/macos-arm64/super-resolve/nd4j-native-1.0.0-M2.1-macosx-arm64.jar"));
    }

    @Test
    void platformsFromThePath() {
        assertEquals("linux64", UpdaterNames.platform("lib/linux64/super-resolve/javacpp-linux-x86_64-1.5.7.jar"));
        assertEquals("macos-arm64", UpdaterNames.platform("lib/macos-arm64/super-resolve/x.jar"));
        assertEquals("win64", UpdaterNames.platform("jars/win64/x.jar"));
        assertEquals("linux32", UpdaterNames.platform("lib/linux/x.so"));
        assertNull(UpdaterNames.platform("lib/super-resolve/guava-1.0.0-M2.1.jar"), "not a platform: every platform gets it");
        assertNull(UpdaterNames.platform("lib/macosx-x86_64/super-resolve/x.jar"), "JavaCPP's names are not the updater's");
        assertNull(UpdaterNames.platform("plugins/Super_Resolve.jar"));
        assertNull(UpdaterNames.platform("lib/x.jar"));
    }
}
