package io.github.superresolve.hostile;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code super-resolve export srresnet-x2-gray -o FOLDER [--replace]} into places a careless user
 * (or a script) might give: folders holding their own files, {@code a/b/..}, a plain file, symbolic
 * links, zips that are not packages, and packages Super-Resolve wrote (with and without --replace).
 * The export writes only its own package: every refusal is one sentence and leaves every file as it was;
 * the successful exports change only their own folder and zip ({@link HostileRun}). A package written
 * before, to start from, is srresnet-x2-gray exported once ({@link PackageFuzzTest#basePackage}).
 */
public class ExportFuzzTest {

    @TempDir
    static Path dir;

    @TestFactory
    Stream<DynamicTest> exportWritesOnlyItsOwnFiles() throws IOException {
        List<HostileCase> cases = cases(dir);
        System.out.println("family, name, seconds, allocated MB");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            HostileRun.Measured m = HostileRun.check(c, dir);
            System.out.printf(Locale.ROOT, "%s, %s, %.2f, %d%n", c.family(), c.name(), m.seconds(), m.allocatedBytes() >> 20);
        }));
    }

    static final String MODEL = "srresnet-x2-gray";
    static final String NOT_OURS = ", which Super-Resolve did not write: choose another folder \\(nothing was changed\\)\\.";

    /** Writes the folders each case meets under {@code dir/caseN} and returns the command lines. */
    public static List<HostileCase> cases(Path dir) throws IOException {
        Path base = PackageFuzzTest.basePackage(dir.resolve("shared"));
        List<HostileCase> l = new ArrayList<>();

        Path fresh = Files.createDirectories(dir.resolve("c-new"));
        l.add(writes("new folder", fresh, "-o", fresh.resolve("pkg").toString()));
        Path empty = Files.createDirectories(dir.resolve("c-empty/pkg"));
        l.add(writes("empty folder", empty.getParent(), "-o", empty.toString()));

        for (boolean replace : new boolean[]{true, false}) {
            Path thesis = Files.createDirectories(dir.resolve("c-thesis-" + replace + "/pkg"));
            Files.writeString(thesis.resolve("thesis.txt"), "Chapter 1\n");
            Files.createDirectories(thesis.resolve("sub"));
            Files.writeString(thesis.resolve("sub/notes.txt"), "notes\n");
            l.add(refused("folder with thesis.txt and sub/" + (replace ? ", --replace" : ""), "pkg holds sub/" + NOT_OURS, thesis, replace));
        }
        Path a = Files.createDirectories(dir.resolve("c-dotdot/a/b"));
        Files.writeString(a.resolve("data.txt"), "precious\n");
        l.add(refused("a/b/.. with --replace", "contains '\\.\\.': give the package's folder by a path without '\\.\\.'", a.resolve(".."), true));
        Path file = Files.writeString(Files.createDirectories(dir.resolve("c-file")).resolve("results.csv"), "1,2,3\n");
        for (boolean replace : new boolean[]{true, false})
            l.add(refused("a plain file" + (replace ? ", --replace" : ""), "results\\.csv is a file, not a folder: choose another folder \\(nothing was changed\\)\\.",
                    file, replace));

        Path ours = copyPackage(base, dir.resolve("c-ours/pkg"));
        l.add(refused("our own package without --replace", "pkg exists: choose another folder, or replace it \\(--replace\\)\\.", ours, false));
        Path replaced = copyPackage(base, dir.resolve("c-replace/pkg"));
        l.add(writes("our own package with --replace", replaced.getParent(), "-o", replaced.toString(), "--replace"));
        Path zipOnly = copyPackage(base, dir.resolve("c-ziponly/pkg"));
        for (String f : packageFiles(zipOnly)) Files.delete(zipOnly.resolve(f));
        Files.delete(zipOnly);
        l.add(writes("our own zip, no folder, --replace", zipOnly.getParent(), "-o", zipOnly.toString(), "--replace"));

        Path added = copyPackage(base, dir.resolve("c-added/pkg"));
        Files.writeString(added.resolve("my-notes.txt"), "mine\n");
        l.add(refused("our package plus the user's file, --replace", "pkg holds my-notes\\.txt" + NOT_OURS, added, true));
        Path linked = copyPackage(base, dir.resolve("c-linkentry/pkg"));
        Path precious = Files.writeString(Files.createDirectories(dir.resolve("c-linkentry/elsewhere")).resolve("precious.md"), "precious\n");
        Files.delete(linked.resolve("README.md"));
        Files.createSymbolicLink(linked.resolve("README.md"), precious);
        l.add(refused("our package with README.md a symbolic link, --replace", "pkg holds README\\.md \\(a symbolic link\\)" + NOT_OURS, linked, true));
        Path real = copyPackage(base, dir.resolve("c-linkfolder/real"));
        Path linkFolder = Files.createSymbolicLink(dir.resolve("c-linkfolder/pkg"), real);
        l.add(refused("folder a symbolic link to our package, --replace", "pkg is a symbolic link", linkFolder, true));
        Path foreign = copyPackage(base, dir.resolve("c-foreign-rdf/pkg"));
        Files.writeString(foreign.resolve("rdf.yaml"), Files.readString(foreign.resolve("rdf.yaml")).replace("super_resolve:", "someone_else:"));
        l.add(refused("another tool's package with our file names, --replace", "pkg holds rdf\\.yaml" + NOT_OURS, foreign, true));

        Path zipForeign = Files.createDirectories(dir.resolve("c-zip-foreign")).resolve("pkg");
        try (OutputStream os = Files.newOutputStream(dir.resolve("c-zip-foreign/pkg.zip")); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("thesis.txt"));
            z.write("Chapter 1\n".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        l.add(refused("pkg.zip is the user's zip, --replace", "pkg\\.zip holds thesis\\.txt" + NOT_OURS, zipForeign, true));
        Path zipPlain = Files.createDirectories(dir.resolve("c-zip-plain")).resolve("pkg");
        Files.writeString(dir.resolve("c-zip-plain/pkg.zip"), "not a zip\n");
        l.add(refused("pkg.zip is a plain file, --replace", "pkg\\.zip exists and is not a package Super-Resolve wrote", zipPlain, true));
        Path zipDir = Files.createDirectories(dir.resolve("c-zip-dir/pkg.zip")).resolveSibling("pkg");
        Files.writeString(zipDir.resolveSibling("pkg.zip").resolve("inside.txt"), "kept\n");
        l.add(refused("pkg.zip is a folder, --replace", "pkg\\.zip exists and is not a file Super-Resolve wrote", zipDir, true));
        Path zipDup = Files.createDirectories(dir.resolve("c-zip-dup")).resolve("pkg");
        PackageFuzzTest.RawZip dup = new PackageFuzzTest.RawZip();
        dup.deflated("rdf.yaml", Files.readAllBytes(base.resolve("rdf.yaml"))).deflated("rdf.yaml", "name: other\n".getBytes(StandardCharsets.UTF_8));
        dup.write(dir.resolve("c-zip-dup/pkg.zip"));
        l.add(refused("pkg.zip holds rdf.yaml twice, --replace", "pkg\\.zip holds rdf\\.yaml twice" + NOT_OURS, zipDup, true));
        l.add(refused("the root folder, --replace", "cannot hold a package", Path.of("/"), true));
        return l;
    }

    private static HostileCase refused(String name, String regex, Path target, boolean replace) {
        List<String> args = new ArrayList<>(List.of("export", MODEL, "-o", target.toString()));
        if (replace) args.add("--replace");
        return HostileCase.refused("export", name, regex, args.toArray(String[]::new));
    }

    private static HostileCase writes(String name, Path output, String... rest) {
        List<String> args = new ArrayList<>(List.of("export", MODEL));
        args.addAll(List.of(rest));
        return new HostileCase("export", name, args, 0, Pattern.compile("Exported " + MODEL + " "), output);
    }

    /** The names of the files in a package's folder (what an export wrote there). */
    static List<String> packageFiles(Path folder) throws IOException {
        try (var s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A copy of a package Super-Resolve wrote (folder and zip), as if it had been exported to {@code to}. */
    static Path copyPackage(Path base, Path to) throws IOException {
        Files.createDirectories(to);
        for (String f : packageFiles(base)) Files.copy(base.resolve(f), to.resolve(f));
        Files.copy(base.resolveSibling(base.getFileName() + ".zip"), to.resolveSibling(to.getFileName() + ".zip"));
        return to;
    }
}
