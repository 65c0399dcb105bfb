package io.github.superresolve.image;

import ij.io.FileInfo;
import ij.io.TiffDecoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;

import static io.github.superresolve.image.ImageHeaders.checkPlane;
import static io.github.superresolve.image.ImageHeaders.cutShort;
import static io.github.superresolve.image.ImageHeaders.damaged;
import static io.github.superresolve.image.ImageHeaders.name;

/**
 * A TIFF's directories, checked in three steps before ImageJ reads a pixel of it.
 * <ol>
 * <li>{@link #read}: the chain of image file directories (IFDs) is walked here first, so that
 * ImageJ's {@link TiffDecoder}, which trusts it, cannot loop or allocate what the file does not hold:
 * a directory seen twice (a loop), a directory, an entry's values or ImageJ's metadata past the end of
 * the file, more than {@link #MAX_DIRECTORIES} directories, and metadata counts that do not add up are
 * refused. Then {@link TiffDecoder} interprets the directories as ImageJ will (stacks, bit depths,
 * calibration), and its planes are checked: positive sizes, at most 2^31 pixels per plane, strips
 * present and as many byte counts as offsets, uncompressed pixel data inside the file.</li>
 * <li>The caller checks the declared pixels against the heap ({@link HeapBudget}).</li>
 * <li>{@link #checkCompressedStrips}: every distinct compressed strip (deflate, LZW, PackBits) is
 * decoded without keeping its output, as ImageJ will decode it; a strip that decodes to more than its
 * whole plane (a decompression bomb: ImageJ inflates a strip whole before cutting it to size), a plane
 * whose strips decode to fewer bytes than it declares (ImageJ would fill the rest with zeros without a
 * word), corrupt data and strips that overlap are refused. The work is bounded by the declared planes,
 * which step 2 bounded by the heap.</li>
 * </ol>
 */
final class TiffHeader {

    /** Directories read at most: ImageJ keeps a FileInfo of each, and legitimate stacks stay far below. */
    static final int MAX_DIRECTORIES = 1_000_000;
    /** Heap ImageJ holds per directory besides the pixels (a FileInfo, its strip arrays, a stack slot): generous. */
    static final long BYTES_PER_DIRECTORY = 2048;
    /** ImageJ reads at most this many entries per directory (it stops the chain at a directory with more). */
    static final int MAX_ENTRIES = 1000;

    private static final int STRIP_OFFSETS = 273, STRIP_BYTE_COUNTS = 279, META_DATA_BYTE_COUNTS = 50838, META_DATA = 50839;
    private static final long IJIJ = 0x494a494aL;

    private final Path file;
    private final long size;
    private final FileInfo[] opened;
    private final DeclaredImage declared;

    private TiffHeader(Path file, long size, FileInfo[] opened, DeclaredImage declared) {
        this.file = file;
        this.size = size;
        this.opened = opened;
        this.declared = declared;
    }

    DeclaredImage declared() {
        return declared;
    }

    /** Steps 1 of the class comment: the directories walked, decoded by ImageJ and checked. */
    static TiffHeader read(Path file) throws IOException {
        long size;
        Walk walk;
        try (FileBytes in = new FileBytes(file)) {
            size = in.size();
            walk = walk(file, in, MAX_DIRECTORIES);
        }
        int directories = walk.directories();
        FileInfo[] info = decode(file, walk.lastByte());
        FileInfo[] opened = opened(info);
        FileInfo fi = opened[0];
        checkPlane(file, fi.width, fi.height);
        int bpp = fi.getBytesPerPixel();
        if (bpp == 0) throw new IllegalArgumentException("Input " + name(file) + " has TIFF pixels of a kind ImageJ cannot read: save it as 8-, 16- or 32-bit or RGB.");
        for (FileInfo f : opened) checkStrips(file, f, size);
        checkComplete(file, info, size);
        for (int p = 0; p < opened.length; p++) checkRatio(file, opened[p], p);
        checkOrder(file, opened);

        // planes as ImageJ makes them: a stack of IFDs, or ImageJ's own stack (one IFD, n images)
        long planes = opened.length > 1 ? opened.length : Math.max(1, fi.nImages);
        int samples = Math.max(1, fi.samplesPerPixel);
        if (samples > 1 && !(bpp == 3 || bpp == 4 || bpp == 6)) planes *= samples; // read as channels
        int bitDepth;
        String kind;
        switch (fi.fileType) {
            case FileInfo.GRAY8, FileInfo.BITMAP -> {
                bitDepth = 8;
                kind = fi.fileType == FileInfo.BITMAP ? "1-bit" : "8-bit";
            }
            case FileInfo.COLOR8 -> {
                bitDepth = 8;
                kind = "8-bit indexed colour";
            }
            case FileInfo.GRAY16_SIGNED, FileInfo.GRAY16_UNSIGNED, FileInfo.GRAY12_UNSIGNED, FileInfo.GRAY10_UNSIGNED -> {
                bitDepth = 16;
                kind = "16-bit";
            }
            case FileInfo.RGB48, FileInfo.RGB48_PLANAR -> {
                bitDepth = 16;
                kind = "48-bit RGB";
                planes *= 3;
            }
            case FileInfo.RGB, FileInfo.RGB_PLANAR, FileInfo.BGR, FileInfo.ARGB, FileInfo.BARG, FileInfo.ABGR, FileInfo.CMYK -> {
                bitDepth = 24;
                kind = "RGB";
            }
            default -> {
                bitDepth = 32;
                kind = fi.fileType == FileInfo.GRAY64_FLOAT ? "64-bit" : "32-bit";
            }
        }
        long planeBytes = (long) fi.width * fi.height * bpp;
        // one plane's strips and decoded bytes at a time, and ImageJ's bookkeeping per directory
        long reader = 3 * planeBytes + BYTES_PER_DIRECTORY * directories;
        boolean indexed = fi.fileType == FileInfo.COLOR8 && fi.lutSize > 0;
        return new TiffHeader(file, size, opened,
                new DeclaredImage("TIFF", fi.width, fi.height, planes, bitDepth, kind, reader, indexed));
    }

    /** What a walk found: the directories, and the end of the last byte {@link TiffDecoder} will read. */
    record Walk(int directories, long lastByte) {
    }

    /**
     * Walks the directory chain as {@link TiffDecoder#getTiffInfo} will, checking what it will read
     * (at most {@code max} directories).
     */
    static Walk walk(Path file, FileBytes in, int max) throws IOException {
        long size = in.size();
        if (size < 8) throw cutShort(file, "it ends inside its TIFF header");
        in.order(in.u8(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        long at = in.u32(4);
        if (at == 0) throw damaged(file, "it holds no TIFF image directory");
        Map<Long, Integer> seen = new HashMap<>();
        int index = 0;
        long lastByte = 8;
        long[] metaCounts = null; // ImageJ keeps them from directory to directory
        while (at != 0) {
            index++;
            Integer before = seen.putIfAbsent(at, index);
            if (before != null)
                throw damaged(file, "its TIFF directories form a loop (directory " + index + " is directory " + before + " again)");
            if (index > max)
                throw new IllegalArgumentException("Input " + name(file) + " has more than " + max
                        + " TIFF directories, more than Super-Resolve reads: split it into smaller files.");
            if (!in.holds(at, 2)) throw cutShort(file, where(index) + " starts past the end of the file");
            int n = in.u16(at);
            if (n < 1 || n > MAX_ENTRIES) {
                if (index == 1) throw damaged(file, "its first TIFF directory declares " + n + " entries");
                break; // ImageJ ends the chain here
            }
            if (!in.holds(at + 2, 12L * n + 4)) throw cutShort(file, where(index) + " runs past the end of the file");
            ByteBuffer d = in.read(at + 2, 12 * n + 4);
            lastByte = Math.max(lastByte, at + 2 + 12L * n + 4);
            boolean last = false;
            for (int i = 0; i < n && !last; i++) {
                int tag = d.getShort(12 * i) & 0xffff, type = d.getShort(12 * i + 2) & 0xffff;
                long count = d.getInt(12 * i + 4) & 0xffffffffL, value = d.getInt(12 * i + 8) & 0xffffffffL;
                // ImageJ reads strip offsets, long strip byte counts and metadata counts as 4-byte values
                boolean asInts = tag == STRIP_OFFSETS || tag == META_DATA_BYTE_COUNTS || (tag == STRIP_BYTE_COUNTS && type != 3);
                long bytes = count * (asInts ? 4 : typeSize(type));
                if ((bytes > 4 || tag == META_DATA_BYTE_COUNTS) && !in.holds(value, bytes))
                    throw cutShort(file, where(index) + " points past the end of the file (tag " + tag + ": " + bytes + " bytes at " + value + ")");
                if (bytes > 4 || tag == META_DATA_BYTE_COUNTS) lastByte = Math.max(lastByte, value + bytes);
                if (tag == META_DATA_BYTE_COUNTS) metaCounts = metaCounts(file, in, count, value, size);
                if (tag == META_DATA && metaCounts != null) {
                    checkMetaData(file, in, value, metaCounts);
                    lastByte = Math.max(lastByte, value + java.util.Arrays.stream(metaCounts).sum());
                }
                if (tag > 10000 && tag < 32768 && index > 1) last = true; // ImageJ ends the chain at such a tag
            }
            if (last) break;
            long next = d.getInt(12 * n) & 0xffffffffL;
            if (next != 0 && next >= size) throw cutShort(file, where(index) + " points to a next directory past the end of the file");
            at = next;
        }
        return new Walk(index, lastByte);
    }

    private static String where(int index) {
        return index == 1 ? "its first TIFF directory" : "its TIFF directory " + index;
    }

    /** Bytes per value of a TIFF field type (unknown types as 1). */
    static int typeSize(int type) {
        return switch (type) {
            case 3, 8 -> 2;
            case 4, 9, 11, 13 -> 4;
            case 5, 10, 12, 16, 17, 18 -> 8;
            default -> 1;
        };
    }

    /**
     * ImageJ's metadata byte counts (read, as ImageJ reads them, at offset {@code value} even when there
     * is one): each must fit the file, and all of them together too.
     */
    private static long[] metaCounts(Path file, FileBytes in, long count, long value, long size) throws IOException {
        long[] c = new long[(int) count]; // count * 4 <= size was checked
        for (int i = 0; i < count; i += 16384) {
            int k = (int) Math.min(16384, count - i);
            ByteBuffer b = in.read(value + 4L * i, 4 * k);
            for (int j = 0; j < k; j++) c[i + j] = b.getInt(); // signed, as ImageJ reads them
        }
        long sum = 0;
        for (long v : c) {
            if (v < 0 || v > size) throw damaged(file, "its ImageJ metadata declares " + v + " bytes in a file of " + size);
            sum += v;
        }
        if (sum > size) throw damaged(file, "its ImageJ metadata declares " + sum + " bytes in a file of " + size);
        return c;
    }

    /** ImageJ's metadata header: entry counts per type must add up to the counts given. */
    private static void checkMetaData(Path file, FileBytes in, long at, long[] counts) throws IOException {
        if (counts == null || counts.length == 0) return;
        long header = counts[0];
        if (header < 12 || header > 804) return; // ImageJ ignores it
        if (!in.holds(at, header)) throw cutShort(file, "its ImageJ metadata lies past the end of the file");
        ByteBuffer b = in.read(at, (int) header);
        if ((b.getInt(0) & 0xffffffffL) != IJIJ) return; // ImageJ ignores it
        long entries = 0;
        for (int i = 0; i < (header - 4) / 8; i++) {
            int n = b.getInt(4 + 8 * i + 4);
            if (n < 0) throw damaged(file, "its ImageJ metadata declares " + n + " entries");
            entries += n;
        }
        if (entries > counts.length - 1)
            throw damaged(file, "its ImageJ metadata declares " + entries + " entries but gives the sizes of " + (counts.length - 1));
    }

    /** Bytes {@link TiffDecoder} may cache as a stream: 64 MB, or an eighth of the heap budget if more. */
    static long streamLimit() {
        return Math.max(64L << 20, HeapBudget.budget() / 8);
    }

    /**
     * ImageJ's reading of the directories (safe once {@link #walk} has passed). When what it reads
     * ends within {@link #streamLimit()} bytes of the start, it is given a buffered stream, which it
     * caches up to the last byte read and reads fast; otherwise the file, which it reads a byte per
     * system call (about 0.1 ms a directory: 100000 directories took 14 s that way, 1 s as a stream).
     */
    private static FileInfo[] decode(Path file, long lastByte) {
        FileInfo[] info;
        Path abs = file.toAbsolutePath();
        String name = abs.getFileName().toString();
        try {
            if (lastByte <= streamLimit()) {
                try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                    info = new TiffDecoder(in, name).getTiffInfo();
                }
            } else {
                info = new TiffDecoder(abs.getParent().toString() + java.io.File.separator, name).getTiffInfo();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Input " + name(file) + " is a TIFF that ImageJ cannot read (" + clause(e.getMessage()) + ").");
        } catch (RuntimeException e) {
            throw damaged(file, "its TIFF directories cannot be decoded");
        }
        if (info == null || info.length == 0) throw damaged(file, "it holds no TIFF image directory ImageJ can read");
        return info;
    }

    /** A library's message as one clause: one line, its sentences joined by semicolons. */
    static String clause(String message) {
        String[] sentences = ImageHeaders.oneLine(message).split("\\.\\s+(?=\\p{L})");
        StringBuilder b = new StringBuilder();
        for (String t : sentences) b.append(b.length() == 0 ? "" : "; ").append(lowerFirst(t));
        String s = b.toString();
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** "Unsupported" becomes "unsupported"; a name such as "ImageJ" or "TIFF" stays as it is. */
    private static String lowerFirst(String sentence) {
        int end = sentence.indexOf(' ');
        String word = end < 0 ? sentence : sentence.substring(0, end);
        boolean ordinary = word.length() > 1 && word.substring(1).chars().noneMatch(Character::isUpperCase);
        return ordinary ? Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1) : sentence;
    }

    /** The directories ImageJ's Opener reads: all when they are alike (a stack), else the first. */
    static FileInfo[] opened(FileInfo[] info) {
        if (info.length == 1) return info;
        for (FileInfo f : info)
            if (f.fileType != info[0].fileType || f.width != info[0].width || f.height != info[0].height) return new FileInfo[]{info[0]};
        return info;
    }

    /** Strips present, as many byte counts as offsets, and a compressed plane's byte counts given. */
    private static void checkStrips(Path file, FileInfo fi, long size) {
        int[] off = fi.stripOffsets, len = fi.stripLengths;
        if (off == null || off.length == 0) throw damaged(file, "its TIFF directory gives no strip offsets (no pixel data)");
        boolean compressed = fi.compression > FileInfo.COMPRESSION_NONE;
        if (len == null) {
            if (compressed || off.length > 1) throw damaged(file, "its TIFF directory gives no strip byte counts");
            return;
        }
        if (len.length != off.length)
            throw damaged(file, "its TIFF directory gives " + off.length + " strip offsets but " + len.length + " strip byte counts");
        for (int i = 0; i < off.length; i++) {
            long o = off[i] & 0xffffffffL, l = len[i];
            if (l < 0 || o + l > size) throw cutShort(file, "its pixel data needs " + (o + Math.max(0, l)) + " bytes but the file holds " + size);
        }
    }

    /**
     * Refuses a TIFF whose pixel data runs past the end of the file (an interrupted copy or download):
     * ImageJ's reader fills the missing rows with zeros without a word. The end of the data is taken
     * from the TIFF's own directory: the end of its last strip, and for an uncompressed ImageJ stack
     * (one directory for all planes) the offset plus every plane and the gaps between them.
     */
    static void checkComplete(Path file, FileInfo[] info, long size) {
        long needed = 0;
        for (FileInfo fi : info) {
            if (fi.stripOffsets != null && fi.stripLengths != null)
                for (int i = 0; i < Math.min(fi.stripOffsets.length, fi.stripLengths.length); i++)
                    needed = Math.max(needed, (fi.stripOffsets[i] & 0xffffffffL) + (fi.stripLengths[i] & 0xffffffffL));
            if (fi.compression <= FileInfo.COMPRESSION_NONE && fi.width > 0 && fi.height > 0) {
                long plane = (long) fi.width * fi.height * Math.max(1, fi.getBytesPerPixel());
                long n = Math.max(1, fi.nImages);
                needed = Math.max(needed, fi.getOffset() + n * plane + (n - 1) * (long) Math.max(0, fi.gapBetweenImages));
            }
        }
        if (needed > size)
            throw cutShort(file, "its pixel data needs " + needed + " bytes but the file holds " + size);
    }

    /**
     * Refuses an uncompressed stack of directories whose planes ImageJ's reader cannot follow: it reads
     * them forwards through the file and, at a plane stored before the end of the previous one, stops
     * with a line in the Log, giving a stack of the planes read so far (one plane of 20000, silently).
     * Contiguous stacks and compressed planes are read otherwise and pass.
     */
    private static void checkOrder(Path file, FileInfo[] opened) {
        if (opened.length < 2) return;
        FileInfo fi = opened[0];
        int bpp = fi.getBytesPerPixel();
        long imageSize = (long) fi.width * fi.height * bpp;
        boolean contiguous = true;
        for (int i = 1; i < opened.length; i++) contiguous &= opened[i].getOffset() == fi.getOffset() + i * imageSize;
        if (contiguous && fi.fileType != FileInfo.RGB48) return; // read as one block
        if (fi.fileType == FileInfo.GRAY12_UNSIGNED) imageSize = (long) (fi.width * fi.height * 1.5) + 1 & ~1L;
        else if (fi.fileType == FileInfo.GRAY10_UNSIGNED) imageSize = (long) (fi.width * fi.height * 1.25) + 1 & ~1L;
        else if (fi.fileType == FileInfo.BITMAP) imageSize = (fi.width + 7L) / 8 * fi.height;
        int channels = fi.samplesPerPixel > 1 && !(bpp == 3 || bpp == 4 || bpp == 6) ? fi.samplesPerPixel : 1;
        long skip = fi.getOffset(), loc = 0;
        for (int i = 0; i < opened.length - 1; i++) {
            loc += imageSize * channels + skip;
            skip = opened[i + 1].compression >= FileInfo.LZW ? 0 : opened[i + 1].getOffset() - loc;
            if (skip < 0)
                throw damaged(file, "its plane " + (i + 2) + " is stored before the end of plane " + (i + 1)
                        + ", and ImageJ's reader would stop there");
        }
    }

    /**
     * Refuses, without decoding anything, a compressed plane that declares more bytes than its strips
     * can expand to: deflate expands at most 1032 times (a 258-byte match in two bits), ImageJ's
     * PackBits decoder 64 times (two bytes give at most 128), its LZW decoder 14564 times (a code of
     * at least 9 bits gives at most one 16384-byte string of its table).
     */
    private static void checkRatio(Path file, FileInfo fi, int p) {
        long ratio = switch (fi.compression) {
            case FileInfo.ZIP, FileInfo.ZIP_WITH_DIFFERENCING -> PngHeader.DEFLATE_MAX_RATIO;
            case FileInfo.PACK_BITS -> 64;
            case FileInfo.LZW, FileInfo.LZW_WITH_DIFFERENCING -> 14564;
            default -> 0;
        };
        int bpp = fi.getBytesPerPixel();
        if (ratio == 0 || !(fi.samplesPerPixel <= 1 || bpp == 3 || bpp == 4 || bpp == 6)) return;
        long stored = 0;
        for (int l : fi.stripLengths) stored += l;
        long plane = fi.fileType == FileInfo.BITMAP ? (fi.width + 7L) / 8 * fi.height : (long) fi.width * fi.height * bpp;
        if (plane > ratio * stored + ratio)
            throw damaged(file, "plane " + (p + 1) + " declares " + fi.width + "x" + fi.height + " pixels (" + plane
                    + " bytes), more than its compressed strips (" + stored + " bytes) can hold");
    }

    /** Bytes a strip decodes to as ImageJ decodes it, counted up to {@code plane + 1}; corrupt data is refused. */
    private long decodedLength(StripLengths lengths, FileInfo fi, Strip strip, byte[] data, long plane) {
        try {
            return switch (fi.compression) {
                case FileInfo.ZIP, FileInfo.ZIP_WITH_DIFFERENCING -> lengths.inflated(data, plane);
                case FileInfo.PACK_BITS -> StripLengths.packBits(data, strip.perStrip() == 0 ? Integer.MAX_VALUE : strip.perStrip(), plane);
                case FileInfo.LZW, FileInfo.LZW_WITH_DIFFERENCING -> Math.min(plane, lengths.lzw(data, plane)); // ImageJ stops at a plane
                default -> plane; // ImageJ refused other compressions when it read the directory
            };
        } catch (DataFormatException | RuntimeException e) {
            throw ImageHeaders.corrupted(file, "its compressed TIFF pixel data is corrupt or cut short");
        }
    }

    /** A strip as stored: where, how long, how compressed (identical strips are decoded once). */
    private record Strip(long offset, int length, int compression, int perStrip) {
    }

    /** Step 3 of the class comment. */
    void checkCompressedStrips() throws IOException {
        Map<Strip, Long> decoded = new HashMap<>();
        long distinct = 0;
        try (FileBytes in = new FileBytes(file); StripLengths lengths = new StripLengths()) {
            for (int p = 0; p < opened.length; p++) {
                FileInfo fi = opened[p];
                if (fi.compression <= FileInfo.COMPRESSION_NONE) continue;
                int bpp = fi.getBytesPerPixel();
                long plane = fi.fileType == FileInfo.BITMAP ? (fi.width + 7L) / 8 * fi.height : (long) fi.width * fi.height * bpp;
                boolean oneSample = fi.samplesPerPixel <= 1 || bpp == 3 || bpp == 4 || bpp == 6;
                int perStrip = fi.rowsPerStrip * fi.width * bpp; // int, as ImageJ's PackBits decoder computes it
                long total = 0;
                for (int s = 0; s < fi.stripOffsets.length && total < plane; s++) { // ImageJ reads no further than a plane
                    Strip key = new Strip(fi.stripOffsets[s] & 0xffffffffL, fi.stripLengths[s], fi.compression, perStrip);
                    Long n = decoded.get(key);
                    if (n == null) {
                        distinct += key.length();
                        if (distinct > size) throw damaged(file, "its compressed TIFF strips overlap");
                        n = decodedLength(lengths, fi, key, in.read(key.offset(), key.length()).array(), plane);
                        decoded.put(key, n);
                    }
                    if (n > plane)
                        throw damaged(file, "strip " + (s + 1) + " of plane " + (p + 1) + " decodes to more than the whole plane ("
                                + plane + " bytes; a decompression bomb?)");
                    total += n;
                }
                if (oneSample && total < plane)
                    throw damaged(file, "plane " + (p + 1) + " declares " + fi.width + "x" + fi.height + " pixels (" + plane
                            + " bytes) but its compressed strips hold only " + total);
            }
        }
    }

}
