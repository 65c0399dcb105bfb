package io.github.superresolve.exchange;

import io.github.superresolve.io.BoundedRead;
import io.github.superresolve.io.Printable;
import io.github.superresolve.nn.ModelException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A bioimage.io package read as a closed world: a folder (its {@code rdf.yaml} and the files beside
 * it) or a zip. A name the description gives must be a relative path inside the package: no
 * absolute path, no drive letter, no {@code ..}, no backslash; in a folder the file it names, with
 * every symbolic link resolved, must still lie under the package's own folder. Every read is bounded
 * before memory is taken: a folder's file by its size, a zip's entry by the bytes counted while it is
 * inflated (its header's size is not trusted); a zip holding a name twice is refused. A file the
 * description gives a {@code sha256} for is checked against it.
 */
abstract class PackageFiles implements Closeable {

    /** How messages name the package's description ("/p/rdf.yaml", "/p/pkg.zip's rdf.yaml"), escaped. */
    final String label;

    private PackageFiles(String label) {
        this.label = label;
    }

    /** The package of a description file ({@code rdf.yaml}, {@code *.rdf.yaml}) in a folder. */
    static PackageFiles folder(Path rdf) {
        return new Folder(rdf);
    }

    /**
     * The package in a zip.
     *
     * @throws ModelException when it is not a readable zip, holds a name twice or holds no description
     */
    static PackageFiles zip(Path zip) {
        return new Zip(zip);
    }

    /** The description's bytes, at most {@link RdfYaml#MAX_BYTES}. */
    abstract byte[] description();

    /**
     * A file the description names, checked and read within {@code limit} bytes.
     *
     * @param name   the name as the description gives it
     * @param what   what the file is, for messages ("its ONNX weights")
     * @param limit  the most bytes read
     * @param tooBig the sentence's end when the file holds more than {@code limit} (what to do)
     * @param sha256 the digest the description gives, or null
     */
    final byte[] read(String name, String what, long limit, String tooBig, String sha256) {
        List<String> parts = parts(name, what);
        byte[] b = readInside(String.join("/", parts), name, what, limit, tooBig);
        if (sha256 != null && !sha256.equalsIgnoreCase(sha256(b)))
            throw new ModelException(where(name) + " does not match the sha256 its rdf.yaml gives: the package was changed or damaged; download it again.");
        return b;
    }

    /** How messages name a file of the package ("/p/weights.onnx", "weights.onnx in /p/pkg.zip"). */
    abstract String where(String name);

    abstract byte[] readInside(String relative, String name, String what, long limit, String tooBig);

    @Override
    public void close() throws IOException {
    }

    /** The components of a name the description gives, refused unless it is a relative path that stays inside. */
    private List<String> parts(String name, String what) {
        String shown = Printable.escape(name);
        if (name.isBlank() || name.indexOf('\0') >= 0)
            throw new ModelException(label + " gives an empty name as " + what + ": the package is damaged; download it again.");
        boolean absolute = name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*");
        if (absolute || name.contains("\\"))
            throw new ModelException(label + " names " + what + " by the path " + shown + ", which is not a relative path inside the package:"
                    + " a package's files must be beside its rdf.yaml; Super-Resolve does not read files outside it.");
        List<String> parts = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals(".."))
                throw new ModelException(label + " names " + what + " by the path " + shown + ", which leads out of the package (..):"
                        + " a package's files must be beside its rdf.yaml; Super-Resolve does not read files outside it.");
            parts.add(p);
        }
        if (parts.isEmpty()) throw new ModelException(label + " gives an empty name as " + what + ": the package is damaged; download it again.");
        return parts;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A package in a folder: the description's folder, its real path the bound of every file read. */
    private static final class Folder extends PackageFiles {
        private final Path rdf, root;

        Folder(Path rdf) {
            super(Printable.escape(rdf));
            this.rdf = rdf;
            Path dir = rdf.toAbsolutePath().getParent();
            try {
                this.root = dir.toRealPath();
            } catch (IOException e) {
                throw new ModelException("The folder of " + label + " cannot be read: check the path.");
            }
        }

        @Override
        byte[] description() {
            try {
                if (Files.size(rdf) > RdfYaml.MAX_BYTES) throw RdfYaml.tooLarge(label);
                return exactly(rdf, RdfYaml.MAX_BYTES);
            } catch (BoundedRead.TooLargeException e) {
                throw RdfYaml.tooLarge(label);
            } catch (IOException e) {
                throw new ModelException(label + " cannot be read: check that the file exists and is readable.");
            }
        }

        @Override
        String where(String name) {
            return Printable.escape(root.resolve(name));
        }

        @Override
        byte[] readInside(String relative, String name, String what, long limit, String tooBig) {
            Path file = root.resolve(relative), real;
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS))
                throw new ModelException(label + " names " + Printable.escape(name) + " as " + what + ", but the package's folder does not hold it: copy the whole package.");
            try {
                real = file.toRealPath();
            } catch (IOException e) {
                throw new ModelException(label + " names " + Printable.escape(name) + " as " + what + ", but " + Printable.escape(file)
                        + " leads nowhere (a broken symbolic link): copy the whole package.");
            }
            if (!real.startsWith(root))
                throw new ModelException(label + " names " + Printable.escape(name) + " as " + what + ", but " + Printable.escape(file)
                        + " is a symbolic link out of the package: Super-Resolve does not read files outside a package; copy the file into it.");
            if (!Files.isRegularFile(real))
                throw new ModelException(label + " names " + Printable.escape(name) + " as " + what + ", but " + Printable.escape(file)
                        + " is not a file: the package is damaged; download it again.");
            try {
                long size = Files.size(real);
                if (size > limit)
                    throw new ModelException(Printable.escape(file) + " (" + what + ") is " + BoundedRead.human(size) + ", " + tooBig);
                return exactly(real, size);
            } catch (BoundedRead.TooLargeException e) {
                throw new ModelException(Printable.escape(file) + " (" + what + ") grew while it was read: copy the package again when it is complete.");
            } catch (IOException e) {
                throw new ModelException(Printable.escape(file) + " (" + what + ") cannot be read: check that it is readable.");
            }
        }
    }

    /**
     * A file of known size, read into an array of that size (no growing buffer); a file holding more
     * than {@code size} bytes when read is refused.
     */
    static byte[] exactly(Path file, long size) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = new byte[(int) Math.min(size, Integer.MAX_VALUE - 8)];
            int n = in.readNBytes(b, 0, b.length);
            if (in.read() != -1) throw new BoundedRead.TooLargeException(size);
            return n == b.length ? b : java.util.Arrays.copyOf(b, n); // shrank while read
        }
    }

    /** A package in a zip: entries read by name, never extracted; the description's folder inside it the root of its names. */
    private static final class Zip extends PackageFiles {
        private final Path path;
        private final ZipFile zip;
        private final ZipEntry rdf;
        private final String dir;

        Zip(Path path) {
            super(Printable.escape(path) + "'s rdf.yaml");
            this.path = path;
            try {
                zip = new ZipFile(path.toFile());
            } catch (IOException e) {
                throw new ModelException(Printable.escape(path) + " is not a zip file Super-Resolve can read (it is damaged or not a zip): download it again.");
            }
            try {
                String twice = BoundedRead.duplicateEntry(zip);
                if (twice != null)
                    throw new ModelException(Printable.escape(path) + " holds " + Printable.escape(twice) + " twice: readers disagree on which copy counts,"
                            + " so Super-Resolve does not read it; download the package again or ask its authors for a corrected one.");
                rdf = ForeignModels.rdfEntry(zip);
                if (rdf == null) throw new ModelException(Printable.escape(path) + " holds no rdf.yaml: it is not a bioimage.io package.");
            } catch (RuntimeException e) {
                closeQuietly();
                throw e;
            }
            String n = rdf.getName();
            dir = n.contains("/") ? n.substring(0, n.lastIndexOf('/') + 1) : "";
        }

        private void closeQuietly() {
            try {
                zip.close();
            } catch (IOException ignored) {
                // nothing was written
            }
        }

        @Override
        byte[] description() {
            String entry = Printable.escape(rdf.getName());
            try (InputStream in = zip.getInputStream(rdf)) {
                return BoundedRead.readAtMost(in, RdfYaml.MAX_BYTES);
            } catch (BoundedRead.TooLargeException e) {
                throw RdfYaml.tooLarge(entry + " in " + Printable.escape(path));
            } catch (IOException e) {
                throw damaged(entry);
            }
        }

        private ModelException damaged(String entry) {
            return new ModelException(entry + " in " + Printable.escape(path) + " cannot be read (the zip is damaged): download the package again.");
        }

        @Override
        String where(String name) {
            return Printable.escape(dir + name) + " in " + Printable.escape(path);
        }

        @Override
        byte[] readInside(String relative, String name, String what, long limit, String tooBig) {
            ZipEntry e = zip.getEntry(dir + relative);
            if (e == null || e.isDirectory())
                throw new ModelException("The package " + Printable.escape(path) + " names " + Printable.escape(name) + " as " + what + ", but does not hold it.");
            if (e.getSize() > limit) // a header may understate an entry's size, never make it larger than it is
                throw new ModelException(where(relative) + " (" + what + ") is " + BoundedRead.human(e.getSize()) + ", " + tooBig);
            try {
                // counted while inflating, nothing kept; then read into an array of exactly that size
                long n;
                CRC32 crc = new CRC32();
                try (InputStream in = zip.getInputStream(e)) {
                    n = count(in, limit, crc);
                }
                if (n > limit) throw new ModelException(where(relative) + " (" + what + ") holds more than " + BoundedRead.human(limit) + ", " + tooBig);
                if ((e.getSize() >= 0 && n != e.getSize()) || (e.getCrc() >= 0 && crc.getValue() != e.getCrc()))
                    throw damaged(Printable.escape(dir + relative)); // not what its headers say: changed or cut
                try (InputStream in = zip.getInputStream(e)) {
                    byte[] b = new byte[(int) n];
                    if (in.readNBytes(b, 0, b.length) != n || in.read() != -1) throw damaged(Printable.escape(dir + relative));
                    return b;
                }
            } catch (IOException x) {
                throw damaged(Printable.escape(dir + relative));
            }
        }

        /**
         * The bytes a stream holds, counted (and their CRC taken) without keeping them; {@code limit + 1}
         * as soon as there are more than {@code limit}.
         */
        private static long count(InputStream in, long limit, CRC32 crc) throws IOException {
            byte[] buf = new byte[1 << 16];
            long n = 0;
            for (int r; (r = in.read(buf)) > 0; ) {
                n += r;
                if (n > limit) return limit + 1;
                crc.update(buf, 0, r);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }
}
