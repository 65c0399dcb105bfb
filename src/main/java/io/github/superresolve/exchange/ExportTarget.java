package io.github.superresolve.exchange;

import io.github.superresolve.io.Printable;
import io.github.superresolve.nn.ModelException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Where an export writes a package (a folder and the zip beside it), checked before anything is
 * written, so that an export writes and deletes only its own files:
 * <ul>
 * <li>a path with a {@code ..} component is refused (the folder it names is not the one typed);</li>
 * <li>a folder that does not exist is created, and an empty one is written into;</li>
 * <li>a folder that holds anything is refused unless it is a package Super-Resolve wrote: its
 * {@code rdf.yaml} carries Super-Resolve's mark ({@code config: super_resolve: exported_by}, or the
 * model card earlier versions wrote there) and it holds only the {@link #FILES} an export writes; any
 * other file or folder is named in the refusal;</li>
 * <li>such a package, and a zip that is one (the same mark, only those entries), are replaced only when
 * asked to, and without asking are refused;</li>
 * <li>symbolic links (the folder, the zip, an entry) and plain files in the folder's place are
 * refused, with or without replacing.</li>
 * </ul>
 * The package is built under a hidden temporary name beside the folder and renamed into place (an
 * empty folder keeps its identity: the files are moved into it, rdf.yaml last); the replaced package
 * is renamed aside and then only its known file names are deleted (no recursive walk, no link
 * followed), so a file that appears in it meanwhile survives.
 */
final class ExportTarget {

    /** The files a package holds, in its folder and its zip: nothing else is written or deleted. */
    static final List<String> FILES = List.of("rdf.yaml", "weights.onnx", "test_input.npy", "test_output.npy", "cover.png", "README.md",
            "sample_input.png", "sample_output.png", "weights.pt", "super_resolve_net.py");
    /** How the mark in rdf.yaml begins. */
    static final String MARK = "Super-Resolve";

    private enum State {ABSENT, EMPTY, OURS}

    final Path folder, zip;
    private final State folderState, zipState;

    private ExportTarget(Path folder, Path zip, State folderState, State zipState) {
        this.folder = folder;
        this.zip = zip;
        this.folderState = folderState;
        this.zipState = zipState;
    }

    /**
     * Checks where a package may go.
     *
     * @param given   the folder as the user gave it
     * @param replace whether a package Super-Resolve wrote there may be replaced
     * @throws IllegalArgumentException one sentence naming the folder (or zip) and what is in the way
     */
    static ExportTarget check(Path given, boolean replace) {
        for (Path part : given)
            if (part.toString().equals(".."))
                throw new IllegalArgumentException("The output folder " + Printable.escape(given) + " contains '..': give the package's folder"
                        + " by a path without '..' (nothing was changed).");
        Path folder = given.toAbsolutePath().normalize();
        if (folder.getFileName() == null || folder.getParent() == null)
            throw new IllegalArgumentException(Printable.escape(folder) + " cannot hold a package: give a new folder for it, such as ./my-model (nothing was changed).");
        Path zip = folder.resolveSibling(folder.getFileName() + ".zip");
        String f = Printable.escape(folder), z = Printable.escape(zip);

        State fs = folderState(folder, f);
        State zs = zipState(zip, z);
        if (fs == State.OURS && !replace) throw new IllegalArgumentException(f + " exists: choose another folder, or replace it (--replace).");
        if (zs == State.OURS && !replace) throw new IllegalArgumentException(z + " exists: choose another folder, or replace it (--replace).");
        return new ExportTarget(folder, zip, fs, zs);
    }

    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null; // does not exist
        }
    }

    private static State folderState(Path folder, String f) {
        BasicFileAttributes a = attributes(folder);
        if (a == null) return State.ABSENT;
        if (a.isSymbolicLink())
            throw new IllegalArgumentException(f + " is a symbolic link: give the folder it leads to, or another folder (nothing was changed).");
        if (!a.isDirectory()) throw new IllegalArgumentException(f + " is a file, not a folder: choose another folder (nothing was changed).");
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(folder)) {
            for (Path p : s) names.add(p.getFileName().toString());
        } catch (IOException e) {
            throw new IllegalArgumentException(f + " cannot be read: choose another folder (nothing was changed).");
        }
        if (names.isEmpty()) return State.EMPTY;
        for (String n : names) {
            BasicFileAttributes e = attributes(folder.resolve(n));
            String shown = Printable.escape(n) + (e != null && e.isDirectory() ? "/" : "");
            if (!FILES.contains(n) || e == null || !e.isRegularFile())
                throw new IllegalArgumentException(f + " holds " + shown + (e != null && e.isSymbolicLink() ? " (a symbolic link)" : "")
                        + ", which Super-Resolve did not write: choose another folder (nothing was changed).");
        }
        if (!names.contains("rdf.yaml"))
            throw new IllegalArgumentException(f + " holds " + Printable.escape(names.iterator().next())
                    + " but no rdf.yaml: it is not a package Super-Resolve wrote; choose another folder (nothing was changed).");
        Path rdf = folder.resolve("rdf.yaml");
        if (!marked(() -> Files.size(rdf) > RdfYaml.MAX_BYTES ? new byte[0] : PackageFiles.exactly(rdf, Files.size(rdf))))
            throw new IllegalArgumentException(f + " holds rdf.yaml, which Super-Resolve did not write: choose another folder (nothing was changed).");
        return State.OURS;
    }

    private static State zipState(Path zip, String z) {
        BasicFileAttributes a = attributes(zip);
        if (a == null) return State.ABSENT;
        if (a.isSymbolicLink())
            throw new IllegalArgumentException(z + " is a symbolic link: Super-Resolve does not replace it; choose another folder (nothing was changed).");
        if (!a.isRegularFile())
            throw new IllegalArgumentException(z + " exists and is not a file Super-Resolve wrote: choose another folder (nothing was changed).");
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            Set<String> seen = new TreeSet<>();
            for (var en = zf.entries(); en.hasMoreElements(); ) {
                String n = en.nextElement().getName();
                if (!FILES.contains(n) || !seen.add(n))
                    throw new IllegalArgumentException(z + " holds " + Printable.escape(n) + (FILES.contains(n) ? " twice" : "")
                            + ", which Super-Resolve did not write: choose another folder (nothing was changed).");
            }
            ZipEntry rdf = zf.getEntry("rdf.yaml");
            if (rdf != null && marked(() -> {
                try (var in = zf.getInputStream(rdf)) {
                    return io.github.superresolve.io.BoundedRead.readAtMost(in, RdfYaml.MAX_BYTES);
                }
            })) return State.OURS;
        } catch (IOException e) {
            // not a zip, or a damaged one: not ours
        }
        throw new IllegalArgumentException(z + " exists and is not a package Super-Resolve wrote: choose another folder (nothing was changed).");
    }

    private interface Bytes {
        byte[] read() throws IOException;
    }

    /** Whether a description carries Super-Resolve's mark; any description that cannot be read does not. */
    private static boolean marked(Bytes rdf) {
        try {
            Map<String, Object> d = RdfYaml.parse(rdf.read(), "rdf.yaml");
            if (!(d.get("config") instanceof Map<?, ?> config) || !(config.get("super_resolve") instanceof Map<?, ?> ours)) return false;
            return ours.get("exported_by") instanceof String by && by.startsWith(MARK)
                    || ours.get("card") instanceof Map && ours.get("receptive_radius") instanceof Number; // written before the mark
        } catch (IOException | ModelException e) {
            return false;
        }
    }

    /**
     * Writes the package: {@code files} (names from {@link #FILES}) into a hidden temporary folder and
     * zip beside the target, then renamed into place, the folder first; what was there is checked
     * again just before, so a file put there while the package was being made is not lost.
     *
     * @throws IOException one sentence naming the folder when it cannot be written
     */
    void write(Map<String, byte[]> files, boolean replace) throws IOException {
        for (String n : files.keySet()) if (!FILES.contains(n)) throw new IllegalStateException("not a package file: " + n);
        Path parent = folder.getParent();
        Path tmp = null, tmpZip = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + folder.getFileName() + ".");
            permissions(tmp, folderState == State.OURS ? folder : null, "rwxr-xr-x");
            for (Map.Entry<String, byte[]> e : files.entrySet()) Files.write(tmp.resolve(e.getKey()), e.getValue());
            tmpZip = Files.createTempFile(parent, "." + zip.getFileName() + ".", ".tmp");
            permissions(tmpZip, zipState == State.ABSENT ? null : zip, "rw-r--r--");
            try (OutputStream os = Files.newOutputStream(tmpZip); ZipOutputStream z = new ZipOutputStream(os)) {
                for (Map.Entry<String, byte[]> e : files.entrySet()) {
                    z.putNextEntry(new ZipEntry(e.getKey()));
                    z.write(e.getValue());
                    z.closeEntry();
                }
            }
            ExportTarget now = check(folder, replace); // the user may have put something there meanwhile
            if (now.folderState != folderState || now.zipState != zipState)
                throw new IllegalArgumentException(Printable.escape(folder) + " changed while the package was being made: export again (nothing was changed).");
            swapFolder(tmp);
            tmp = null;
            move(tmpZip, zip);
            tmpZip = null;
        } catch (IOException e) {
            throw new IOException("Could not write the package to " + Printable.escape(folder) + " (" + reason(e) + "): check that its folder is writable and has space.", e);
        } finally {
            if (tmp != null) removeKnown(tmp);
            if (tmpZip != null) Files.deleteIfExists(tmpZip);
        }
    }

    /**
     * Puts the built folder in place of the target: renamed to a new name, its files moved into an empty
     * folder (which keeps its own permissions, owner and place; rdf.yaml last, so that the package is
     * whole once its description appears), or replacing our package.
     */
    private void swapFolder(Path tmp) throws IOException {
        if (folderState == State.ABSENT) {
            Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        if (folderState == State.EMPTY) {
            List<String> moved = new ArrayList<>();
            try {
                for (String n : FILES)
                    if (!n.equals("rdf.yaml") && Files.exists(tmp.resolve(n))) {
                        Files.move(tmp.resolve(n), folder.resolve(n)); // refused if a file of that name appeared meanwhile
                        moved.add(n);
                    }
                Files.move(tmp.resolve("rdf.yaml"), folder.resolve("rdf.yaml"));
            } catch (IOException e) {
                for (String n : moved) Files.deleteIfExists(folder.resolve(n));
                throw e;
            }
            Files.deleteIfExists(tmp);
            return;
        }
        Path old = folder.resolveSibling("." + folder.getFileName() + ".old");
        for (int i = 1; Files.exists(old, LinkOption.NOFOLLOW_LINKS); i++)
            old = folder.resolveSibling("." + folder.getFileName() + ".old" + i);
        Files.move(folder, old, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.move(old, folder, StandardCopyOption.ATOMIC_MOVE);
            throw e;
        }
        removeKnown(old);
    }

    /**
     * Deletes a package folder this class wrote or checked: its known file names only, then the folder
     * if that left it empty (a file someone put there keeps it, and is not lost).
     */
    private static void removeKnown(Path dir) {
        try {
            for (String n : FILES) Files.deleteIfExists(dir.resolve(n)); // deletes a link, never what it leads to
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // left beside the package under a hidden name: nothing of the user's is lost
        }
    }

    /** Gives a new file the permissions of the one it replaces, or {@code otherwise} (temporary files are owner-only). */
    private static void permissions(Path tmp, Path like, String otherwise) throws IOException {
        try {
            Set<PosixFilePermission> p = like == null ? PosixFilePermissions.fromString(otherwise) : Files.getPosixFilePermissions(like, LinkOption.NOFOLLOW_LINKS);
            Files.setPosixFilePermissions(tmp, p);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the folder keeps the default permissions
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return Printable.escape(f.getReason());
        return "a file system error";
    }
}
