package io.github.superresolve.nn;

import io.github.superresolve.io.BoundedRead;
import io.github.superresolve.io.Printable;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A model file opened for random access ({@link ZipFile}) with its card read and checked, and nothing
 * else read yet: the first step of reading a model ({@link ModelFile}) and all that listing one takes
 * ({@link ModelCatalog}). It does not load ND4J, so listing models stays light.
 *
 * <p>What it refuses, each as a {@link BadModelFile} (one sentence, and the reason as a clause): a file
 * that is missing, unreadable, not a zip, or a zip whose directory is damaged; a zip holding an entry
 * name twice (readers disagree on which copy counts: {@link BoundedRead#duplicateEntry}); a zip without
 * {@value ModelFile#CARD}; a card of more than {@link #MAX_CARD} bytes (counted while inflating, so a
 * card that inflates to gigabytes costs 1 MB); a card that {@link ModelCard#fromJson} refuses. Entries
 * are read through a CRC-32 check ({@link #open}), as a stream reader would, since {@link ZipFile} checks none.
 */
final class ModelZip implements Closeable {

    /** Largest model card read (counted while inflating). Shipped cards are 1 to 3 KB. */
    static final int MAX_CARD = 1 << 20;
    /** Longest stranger's name (zip entry, parameter) repeated in a message; longer ones are cut. */
    private static final int NAME_SHOWN = 120;

    private final ZipFile zip;
    private final String shown;
    private final ModelCard card;
    private final List<ZipEntry> entries;

    private ModelZip(ZipFile zip, String shown, ModelCard card, List<ZipEntry> entries) {
        this.zip = zip;
        this.shown = shown;
        this.card = card;
        this.entries = entries;
    }

    /** Opens a model file and reads its card; throws {@link BadModelFile} with a sentence naming it. */
    static ModelZip open(Path file) {
        String shown = Printable.escape(file);
        if (!Files.exists(file))
            throw new BadModelFile(shown, "it does not exist", "Model file " + shown + " does not exist: check the path or pick a model from the list.");
        if (!Files.isReadable(file) || Files.isDirectory(file))
            throw new BadModelFile(shown, "it cannot be read", "Model file " + shown + " cannot be read: check its permissions.");
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (NoSuchFileException e) {
            throw new BadModelFile(shown, "it does not exist", "Model file " + shown + " does not exist: check the path or pick a model from the list.");
        } catch (AccessDeniedException e) {
            throw new BadModelFile(shown, "it cannot be read", "Model file " + shown + " cannot be read: check its permissions.");
        } catch (IOException e) {
            if (startsLikeAZip(file))
                throw new BadModelFile(shown, "it is damaged or truncated (its zip directory is unreadable)",
                        "Model file " + shown + " is damaged or truncated (its zip directory is unreadable): copy the model again.");
            throw notAZip(shown);
        }
        try {
            String twice = BoundedRead.duplicateEntry(zip);
            if (twice != null)
                throw new BadModelFile(shown, "it holds the entry " + name(twice) + " twice",
                        "Model file " + shown + " is damaged: it holds the entry " + name(twice) + " twice. Copy the model again.");
            List<ZipEntry> entries = new ArrayList<>();
            for (var en = zip.entries(); en.hasMoreElements(); ) entries.add(en.nextElement());
            if (entries.isEmpty()) throw notAZip(shown);
            ZipEntry c = zip.getEntry(ModelFile.CARD);
            if (c == null || !c.getName().equals(ModelFile.CARD)) throw noCard(shown);
            ModelCard card;
            try (InputStream in = new Checked(zip.getInputStream(c), c.getCrc())) {
                card = card(in, shown);
            }
            return new ModelZip(zip, shown, card, entries);
        } catch (IOException e) {
            close(zip);
            throw damagedCard(shown);
        } catch (RuntimeException e) {
            close(zip);
            throw e;
        }
    }

    /**
     * Reads and checks a card from the stream of its entry, at most {@link #MAX_CARD} bytes of it.
     *
     * @throws BadModelFile   when it is too large or invalid
     * @throws IOException    when the zip's data is damaged (the caller says so for its own kind of stream)
     */
    static ModelCard card(InputStream in, String shown) throws IOException {
        byte[] bytes;
        try {
            bytes = BoundedRead.readAtMost(in, MAX_CARD);
        } catch (BoundedRead.TooLargeException e) {
            if (e.limit() != MAX_CARD) throw e; // a limit of the caller's stream
            String reason = "its " + ModelFile.CARD + " holds more than " + BoundedRead.human(MAX_CARD);
            throw new BadModelFile(shown, reason, "Model file " + shown + " has an invalid model card (" + ModelFile.CARD
                    + " holds more than " + BoundedRead.human(MAX_CARD) + "): copy the model again.");
        }
        try {
            return ModelCard.fromJson(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException bad) {
            String why = Printable.escape(bad.getMessage());
            if (why.endsWith(".")) why = why.substring(0, why.length() - 1);
            if (why.length() > 2 * NAME_SHOWN) why = why.substring(0, 2 * NAME_SHOWN) + "..."; // it may quote the card
            throw new BadModelFile(shown, "its model card is invalid (" + why + ")", "Model file " + shown + " has an invalid model card (" + why + ").");
        }
    }

    static BadModelFile notAZip(String shown) {
        return new BadModelFile(shown, "it is not a zip archive, or it is empty",
                "Model file " + shown + " is not a Super-Resolve model (not a zip archive, or empty): choose a .zip model file.");
    }

    static BadModelFile noCard(String shown) {
        return new BadModelFile(shown, "it has no " + ModelFile.CARD + " (it is not a Super-Resolve model)",
                "Model file " + shown + " is not a Super-Resolve model: it has no " + ModelFile.CARD + ".");
    }

    static BadModelFile damagedCard(String shown) {
        return new BadModelFile(shown, "its " + ModelFile.CARD + " is damaged (compressed data unreadable or cut short)",
                "Model file " + shown + " is damaged: its " + ModelFile.CARD + " is unreadable (compressed data damaged or cut short). Copy the model again.");
    }

    /** A stranger's name for a message: control characters escaped, cut after {@value #NAME_SHOWN} characters. */
    static String name(String s) {
        String e = Printable.escape(s);
        return e.length() <= NAME_SHOWN ? e : e.substring(0, NAME_SHOWN) + "...";
    }

    /** Whether an IOException is the zip's compressed data being damaged or cut short. */
    static boolean zipDamage(IOException e) {
        return e instanceof ZipException || e instanceof EOFException;
    }

    private static boolean startsLikeAZip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(2);
            return b.length == 2 && b[0] == 'P' && b[1] == 'K';
        } catch (IOException e) {
            return false;
        }
    }

    ModelCard card() {
        return card;
    }

    /** The file as shown in messages. */
    String shown() {
        return shown;
    }

    /** Every entry, in the zip's directory order. */
    List<ZipEntry> entries() {
        return entries;
    }

    ZipEntry entry(String name) {
        ZipEntry e = zip.getEntry(name);
        return e != null && e.getName().equals(name) ? e : null;
    }

    /** The inflated bytes of an entry, their CRC-32 checked against the zip's when the end is read ({@link ZipFile} does not). */
    InputStream open(ZipEntry e) throws IOException {
        return new Checked(zip.getInputStream(e), e.getCrc());
    }

    /** An entry's stream whose CRC-32 is compared with the expected one at its end: a mismatch is a {@link ZipException}. */
    private static final class Checked extends java.io.FilterInputStream {
        private final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        private final long expected;

        Checked(InputStream in, long expected) {
            super(in);
            this.expected = expected;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) crc.update(b);
            else atEnd();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) crc.update(b, off, n);
            else if (n < 0) atEnd();
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] b = new byte[(int) Math.min(n, 8192)];
            int r = read(b, 0, b.length);
            return Math.max(r, 0);
        }

        private void atEnd() throws ZipException {
            if (expected != -1 && crc.getValue() != expected) throw new ZipException("entry checksum mismatch");
        }
    }

    @Override
    public void close() {
        close(zip);
    }

    private static void close(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // read only: nothing lost
        }
    }
}
