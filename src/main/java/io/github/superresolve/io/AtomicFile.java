package io.github.superresolve.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Atomic file writes: the content goes to a hidden temporary file beside the target, which is then
 * renamed over it, so readers (and a crash) see either the old file or the new one, never half of it.
 * Used for models, checkpoints, logs and plots.
 */
public final class AtomicFile {

    /** Writes the content to the given (temporary) path. */
    @FunctionalInterface
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Writes {@code target} atomically. {@code suffix} ends the temporary file's name (some writers,
     * like ImageJ's, choose the format by extension).
     */
    public static void write(Path target, String suffix, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), suffix);
        readableByAll(tmp); // temporary files are created owner-only
        try {
            writer.write(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Deletes what {@link #write} left beside {@code target} when its process was killed between writing
     * and renaming ({@code kill -9}, a power cut): hidden files named {@code .NAME<digits>SUFFIX}. Call it
     * only where the caller owns {@code target} (a training run refuses to start on another run's files).
     *
     * @return how many were deleted
     */
    public static int removeStaleParts(Path target, String suffix) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) return 0;
        String prefix = "." + abs.getFileName();
        int n = 0;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length() <= prefix.length() + suffix.length()) continue;
                String middle = name.substring(prefix.length(), name.length() - suffix.length());
                if (!middle.chars().allMatch(Character::isDigit)) continue; // Files.createTempFile's random number
                if (Files.deleteIfExists(f)) n++;
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover costs disk space, not correctness
        }
        return n;
    }

    /**
     * Gives a file the usual rw-r--r-- permissions where the file system has POSIX permissions, so
     * models, logs and images stay readable by colleagues on a shared server.
     */
    public static void readableByAll(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: keep its defaults
        }
    }
}
