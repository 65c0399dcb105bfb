package io.github.superresolve.image;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.github.superresolve.image.ImageHeaders.checkPlane;
import static io.github.superresolve.image.ImageHeaders.cutShort;
import static io.github.superresolve.image.ImageHeaders.damaged;

/**
 * A GIF's blocks walked in one pass before ImageJ decodes it: the logical screen, then every frame
 * and extension with its data sub-blocks, counting the frames ImageJ will make planes of. A block cut
 * off by the end of the file is refused; a file whose last complete block is not followed by the
 * trailer is accepted, as readers do.
 */
final class GifHeader {

    private GifHeader() {
    }

    static DeclaredImage read(Path file) throws IOException {
        long frames = 0, largestFrame = 0, screenW, screenH;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] head = in.readNBytes(13);
            if (head.length < 13) throw cutShort(file, "it ends inside its GIF header");
            screenW = u16(head, 6);
            screenH = u16(head, 8);
            int packed = head[10] & 0xff;
            if ((packed & 0x80) != 0) skip(in, 3L << ((packed & 7) + 1));
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (frames == 0) throw cutShort(file, "it ends before its first GIF frame");
                    break;
                }
                if (b == 0x3b) break; // trailer
                if (b == 0x21) { // extension: label, then sub-blocks
                    if (in.read() < 0) throw new EOFException();
                    subBlocks(in);
                } else if (b == 0x2c) { // a frame
                    byte[] d = in.readNBytes(9);
                    if (d.length < 9) throw new EOFException();
                    long w = u16(d, 4), h = u16(d, 6);
                    if ((d[8] & 0x80) != 0) skip(in, 3L << ((d[8] & 7) + 1));
                    int codeSize = in.read();
                    if (codeSize < 0) throw new EOFException();
                    if (codeSize < 1 || codeSize > 11) throw damaged(file, "its GIF frame " + (frames + 1) + " declares an LZW code size of " + codeSize);
                    subBlocks(in);
                    frames++;
                    checkPlane(file, Math.max(1, w), Math.max(1, h));
                    largestFrame = Math.max(largestFrame, w * h);
                } else {
                    throw damaged(file, "it holds an unknown GIF block (0x" + Integer.toHexString(b) + ") after frame " + frames);
                }
            }
        } catch (EOFException e) {
            throw cutShort(file, "it ends inside a GIF block");
        }
        checkPlane(file, screenW, screenH);
        // ImageJ makes one 8-bit plane of the logical screen per frame, decoding each frame in a buffer of its own size
        return new DeclaredImage("GIF", screenW, screenH, frames, 8, "8-bit indexed colour", 2 * largestFrame + (1 << 16), true);
    }

    private static void subBlocks(InputStream in) throws IOException {
        for (int n = in.read(); n != 0; n = in.read()) {
            if (n < 0) throw new EOFException();
            skip(in, n);
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        in.skipNBytes(n); // EOFException at the end of the file
    }

    private static long u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }
}
