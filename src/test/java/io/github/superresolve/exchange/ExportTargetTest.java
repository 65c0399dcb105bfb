package io.github.superresolve.exchange;

import io.github.superresolve.TestData;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An export writes and deletes only its own files: the user's files in the folder survive byte for
 * byte, {@code a/b/..} and plain files are refused, and only a package Super-Resolve wrote is replaced,
 * and only when asked to (issue 28, finding 1).
 */
class ExportTargetTest {

    @TempDir
    static Path models;
    static Model model;

    @TempDir
    Path dir;

    @BeforeAll
    static void tinyModel() throws Exception {
        model = ModelFile.read(TestData.writeModel(models, "tiny-grey", TestData.tiny(1, 2)));
    }

    private BioImageIoExport.Result export(Path folder, boolean replace) throws Exception {
        return BioImageIoExport.export(model, folder, BioImageIoExport.InputData.UINT16, "MIT", replace);
    }

    /** Every file under {@code root} (links not followed) and its bytes, as a comparable text. */
    private static String contents(Path root) throws Exception {
        StringBuilder b = new StringBuilder();
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted().toList()) {
                b.append(root.relativize(p)).append(Files.isSymbolicLink(p) ? " -> " + Files.readSymbolicLink(p) : "");
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) b.append(' ').append(Arrays.hashCode(Files.readAllBytes(p)));
                b.append('\n');
            }
        }
        return b.toString();
    }

    @Test
    void theUsersFilesSurviveByteForByteWithAndWithoutReplace() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("thesis"));
        byte[] thesis = "Chapter 1: the cells\n".getBytes();
        Files.write(folder.resolve("thesis.txt"), thesis);
        Files.createDirectories(folder.resolve("sub"));
        Files.writeString(folder.resolve("sub/notes.txt"), "notes\n");
        String before = contents(dir);
        for (boolean replace : new boolean[]{false, true}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> export(folder, replace));
            assertEquals(folder + " holds sub/, which Super-Resolve did not write: choose another folder (nothing was changed).", e.getMessage());
            assertEquals(before, contents(dir));
            assertArrayEquals(thesis, Files.readAllBytes(folder.resolve("thesis.txt")));
        }
        Files.delete(folder.resolve("sub/notes.txt"));
        Files.delete(folder.resolve("sub"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> export(folder, true));
        assertTrue(e.getMessage().contains("holds thesis.txt, which Super-Resolve did not write"), e.getMessage());
        assertArrayEquals(thesis, Files.readAllBytes(folder.resolve("thesis.txt")));
        assertFalse(Files.exists(dir.resolve("thesis.zip")));
    }

    @Test
    void dotDotIsRefusedAndItsFolderKept() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(a.resolve("data.txt"), "precious\n");
        String before = contents(dir);
        Path given = dir.resolve("a/b/..");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> export(given, true));
        assertEquals("The output folder " + given + " contains '..': give the package's folder by a path without '..' (nothing was changed).", e.getMessage());
        assertEquals(before, contents(dir));
    }

    @Test
    void aPlainFileIsNeverReplaced() throws Exception {
        Path file = Files.writeString(dir.resolve("results"), "1,2,3\n");
        for (boolean replace : new boolean[]{false, true}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> export(file, replace));
            assertEquals(file + " is a file, not a folder: choose another folder (nothing was changed).", e.getMessage());
            assertEquals("1,2,3\n", Files.readString(file));
        }
        // FOLDER.zip that is not ours: a zip of the user's, or any other file
        Path folder = dir.resolve("pkg");
        Files.writeString(dir.resolve("pkg.zip"), "my own zip\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> export(folder, true));
        assertEquals(dir.resolve("pkg.zip") + " exists and is not a package Super-Resolve wrote: choose another folder (nothing was changed).", e.getMessage());
        assertEquals("my own zip\n", Files.readString(dir.resolve("pkg.zip")));
        assertFalse(Files.exists(folder));
    }

    @Test
    void anEmptyFolderIsWrittenInto() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("empty"));
        Object identity = Files.readAttributes(folder, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        BioImageIoExport.Result r = export(folder, false);
        assertEquals(identity, Files.readAttributes(folder, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                "the same folder, written into (not replaced)");
        assertEquals(folder, r.folder());
        for (String f : ExportTarget.FILES) assertTrue(Files.isRegularFile(folder.resolve(f)), f);
        try (var s = Files.list(dir)) {
            assertEquals(List.of("empty", "empty.zip"), s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }
    }

    @Test
    void ourOwnPackageIsReplacedOnlyWhenAsked() throws Exception {
        Path folder = dir.resolve("pkg"), zip = dir.resolve("pkg.zip");
        export(folder, false);
        assertTrue(Files.readString(folder.resolve("rdf.yaml")).contains("exported_by: Super-Resolve"), "the mark");
        String before = contents(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> export(folder, false));
        assertEquals(folder + " exists: choose another folder, or replace it (--replace).", e.getMessage());
        assertEquals(before, contents(dir));

        Files.writeString(folder.resolve("rdf.yaml"), Files.readString(folder.resolve("rdf.yaml")).replace("name: tiny-grey", "name: old"));
        export(folder, true);
        assertTrue(Files.readString(folder.resolve("rdf.yaml")).contains("name: tiny-grey"), "replaced");
        try (ZipFile z = new ZipFile(zip.toFile())) {
            assertEquals(ExportTarget.FILES.size(), z.size());
        }
        try (var s = Files.list(dir)) {
            assertEquals(List.of("pkg", "pkg.zip"), s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary or old folders left");
        }

        // a file of the user's put into our package keeps it from being replaced
        Files.writeString(folder.resolve("notes.txt"), "mine\n");
        e = assertThrows(IllegalArgumentException.class, () -> export(folder, true));
        assertEquals(folder + " holds notes.txt, which Super-Resolve did not write: choose another folder (nothing was changed).", e.getMessage());
        assertEquals("mine\n", Files.readString(folder.resolve("notes.txt")));
    }

    @Test
    void symbolicLinksAreNeverFollowed() throws Exception {
        Path pkg = dir.resolve("pkg");
        export(pkg, false);
        Path elsewhere = Files.writeString(Files.createDirectories(dir.resolve("elsewhere")).resolve("README.md"), "precious\n");
        Files.delete(pkg.resolve("README.md"));
        Files.createSymbolicLink(pkg.resolve("README.md"), elsewhere);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> export(pkg, true));
        assertEquals(pkg + " holds README.md (a symbolic link), which Super-Resolve did not write: choose another folder (nothing was changed).", e.getMessage());
        assertEquals("precious\n", Files.readString(elsewhere));

        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("elsewhere"));
        e = assertThrows(IllegalArgumentException.class, () -> export(link, true));
        assertTrue(e.getMessage().startsWith(link + " is a symbolic link"), e.getMessage());
        assertEquals("precious\n", Files.readString(elsewhere));
    }
}
