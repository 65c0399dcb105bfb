package io.github.superresolve.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import static io.github.superresolve.image.ImageHeaders.checkPlane;
import static io.github.superresolve.image.ImageHeaders.corrupted;
import static io.github.superresolve.image.ImageHeaders.cutShort;
import static io.github.superresolve.image.ImageHeaders.damaged;

/**
 * A PNG checked in one pass before Java's reader decodes it (that reader accepts chunks whose
 * checksums fail, and allocates the declared image before decoding): the signature, every chunk's
 * length against the file, every chunk's CRC-32, a valid IHDR first (size, bit depth and colour type),
 * image data present, and the end chunk (IEND) reached. A declared size that its compressed data
 * cannot hold is refused: deflate, PNG's compression, expands at most {@link #DEFLATE_MAX_RATIO} times.
 * Reads the file once, holding one 64 KB buffer.
 */
final class PngHeader {

    private static final byte[] SIGNATURE = {(byte) 137, 'P', 'N', 'G', 13, 10, 26, 10};
    /** Deflate's largest expansion: a 258-byte match coded in 2 bits; no zlib stream inflates to more than this times its size. */
    static final long DEFLATE_MAX_RATIO = 1032;

    private PngHeader() {
    }

    static DeclaredImage read(Path file) throws IOException {
        long size = Files.size(file);
        long width = 0, height = 0, idat = 0;
        int depth = 0, colour = -1;
        boolean transparency = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] sig = in.readNBytes(8);
            if (sig.length < 8) throw cutShort(file, "it ends inside its PNG signature");
            if (!Arrays.equals(sig, SIGNATURE)) throw corrupted(file, "its PNG signature is altered (a copy in text mode?)");
            long pos = 8;
            CRC32 crc = new CRC32();
            byte[] buf = new byte[1 << 16];
            for (int chunk = 1; ; chunk++) {
                byte[] head = in.readNBytes(8);
                if (head.length == 0) throw cutShort(file, "it ends before its PNG end chunk (IEND)");
                if (head.length < 8) throw cutShort(file, "it ends inside a PNG chunk header");
                long length = u32(head, 0);
                String type = new String(head, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (!type.chars().allMatch(Character::isLetter) || type.chars().anyMatch(c -> c > 'z'))
                    throw corrupted(file, "its PNG chunk " + chunk + " has no valid type");
                if (length > Integer.MAX_VALUE) throw corrupted(file, "its PNG chunk " + type + " declares " + length + " bytes");
                if (length + 4 > size - pos - 8) throw cutShort(file, "its PNG chunk " + type + " runs past the end of the file");
                if (chunk == 1 && !type.equals("IHDR")) throw damaged(file, "its first PNG chunk is " + type + ", not the header IHDR");
                crc.reset();
                crc.update(head, 4, 4);
                byte[] ihdr = null;
                if (type.equals("IHDR")) {
                    if (length != 13) throw damaged(file, "its PNG header (IHDR) has " + length + " bytes, not 13");
                    ihdr = in.readNBytes(13);
                    crc.update(ihdr);
                } else {
                    for (long left = length; left > 0; ) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) throw cutShort(file, "its PNG chunk " + type + " runs past the end of the file");
                        crc.update(buf, 0, n);
                        left -= n;
                    }
                }
                byte[] stored = in.readNBytes(4);
                if (stored.length < 4) throw cutShort(file, "it ends inside its PNG chunk " + type);
                if (crc.getValue() != u32(stored, 0)) throw corrupted(file, "its PNG chunk " + type + " fails its checksum");
                pos += 12 + length;
                if (ihdr != null) {
                    width = u32(ihdr, 0);
                    height = u32(ihdr, 4);
                    depth = ihdr[8];
                    colour = ihdr[9];
                    if (!validDepth(colour, depth) || ihdr[10] != 0 || ihdr[11] != 0 || (ihdr[12] != 0 && ihdr[12] != 1))
                        throw damaged(file, "its PNG header declares bit depth " + depth + ", colour type " + colour
                                + ", compression " + ihdr[10] + ", filter " + ihdr[11] + " and interlace " + ihdr[12]);
                }
                if (type.equals("IDAT")) idat += length;
                if (type.equals("tRNS")) transparency = true;
                if (type.equals("IEND")) break; // what follows is not read by anyone
            }
        }
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE)
            throw damaged(file, "its PNG header declares an image of " + width + "x" + height + " pixels");
        checkPlane(file, width, height);
        if (idat == 0) throw damaged(file, "it holds no PNG image data (IDAT)");
        int channels = switch (colour) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
        long pixelBits = width * height * channels * depth;
        if (pixelBits / 8 > DEFLATE_MAX_RATIO * idat + DEFLATE_MAX_RATIO)
            throw damaged(file, "its compressed data (" + idat + " bytes) cannot hold the " + width + "x" + height
                    + " pixels it declares (deflate expands at most 1032 times)");
        boolean alpha = colour == 4 || colour == 6 || transparency;
        long raster = width * height * channels * Math.max(1, depth / 8);
        long reader = raster + (alpha || depth < 8 ? width * height * 4 : 0); // ImageJ redraws alpha and packed pixels as ARGB
        if (colour == 3 && (alpha || depth < 8) || colour == 4) // made RGB by ImageJ
            return new DeclaredImage("PNG", width, height, 1, 24, "RGB", reader, false);
        if (colour == 0 && depth == 16) return new DeclaredImage("PNG", width, height, 1, 16, "16-bit", reader, false);
        if (colour == 2 && depth == 16 || colour == 6 && depth == 16)
            return new DeclaredImage("PNG", width, height, 3, 16, "48-bit RGB", reader, false);
        if (colour == 0) return new DeclaredImage("PNG", width, height, 1, 8, depth + "-bit", reader, false);
        if (colour == 3) return new DeclaredImage("PNG", width, height, 1, 8, "8-bit indexed colour", reader, true);
        return new DeclaredImage("PNG", width, height, 1, 24, "RGB", reader, false);
    }

    /** Bit depths PNG allows per colour type. */
    static boolean validDepth(int colour, int depth) {
        return switch (colour) {
            case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
            case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
            case 2, 4, 6 -> depth == 8 || depth == 16;
            default -> false;
        };
    }

    static long u32(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
    }
}
