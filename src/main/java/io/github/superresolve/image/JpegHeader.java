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
import static io.github.superresolve.image.ImageHeaders.name;

/**
 * A JPEG's markers walked in one pass before ImageJ decodes it: every segment's length against the
 * file, the frame header (size and components), the entropy-coded data scanned to the end marker
 * (EOI). A JPEG that ends before its end marker is refused as cut short (the decoder would paint the
 * missing part grey with only a warning), and so is one whose Huffman-coded data is too short for the
 * blocks it declares (every 8x8 block of the first component costs at least one bit).
 */
final class JpegHeader {

    private JpegHeader() {
    }

    /** A counting reader: position in the file and one byte at a time (through a 64 KB buffer). */
    private static final class Bytes {
        final InputStream in;
        long pos;

        Bytes(InputStream in) {
            this.in = in;
        }

        int next() throws IOException {
            int b = in.read();
            if (b < 0) throw new EOFException();
            pos++;
            return b;
        }

        int u16() throws IOException {
            return next() << 8 | next();
        }

        void skip(long n) throws IOException {
            in.skipNBytes(n);
            pos += n;
        }
    }

    static DeclaredImage read(Path file) throws IOException {
        long size = Files.size(file);
        long width = -1, height = -1, entropy = 0;
        int components = 0, sof = -1;
        try (InputStream s = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Bytes in = new Bytes(s);
            if (in.next() != 0xff || in.next() != 0xd8) throw damaged(file, "it does not start with a JPEG start marker");
            int marker = -1; // a marker already read while scanning entropy-coded data
            while (true) {
                int m = marker;
                marker = -1;
                if (m < 0) {
                    int b = in.next();
                    while (b != 0xff) b = in.next(); // bytes between segments: decoders skip them too
                    m = in.next();
                    while (m == 0xff) m = in.next();
                }
                if (m == 0xd9) break; // EOI
                if (m == 0x01 || m >= 0xd0 && m <= 0xd7 || m == 0) continue; // markers without a segment
                int length = in.u16();
                if (length < 2) throw damaged(file, "its JPEG segment 0x" + Integer.toHexString(m) + " declares " + length + " bytes");
                if (length - 2 > size - in.pos) throw cutShort(file, "its JPEG segment 0x" + Integer.toHexString(m) + " runs past the end of the file");
                boolean frame = m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
                if (frame && sof < 0) {
                    if (length < 8) throw damaged(file, "its JPEG frame header has " + length + " bytes");
                    in.next(); // precision
                    height = in.u16();
                    width = in.u16();
                    components = in.next();
                    in.skip(length - 8);
                    sof = m;
                } else {
                    in.skip(length - 2);
                }
                if (m == 0xda) { // start of scan: entropy-coded data up to the next marker that is not a restart
                    while (marker < 0) {
                        int b = in.next();
                        if (b != 0xff) {
                            entropy++;
                            continue;
                        }
                        int c = in.next();
                        while (c == 0xff) c = in.next();
                        if (c == 0 || c >= 0xd0 && c <= 0xd7) entropy++;
                        else marker = c;
                    }
                }
            }
        } catch (EOFException e) {
            throw cutShort(file, "it ends before its JPEG end marker");
        }
        if (sof < 0) throw damaged(file, "it has no JPEG frame header");
        if (width == 0 || height == 0) throw damaged(file, "its JPEG frame header declares " + width + "x" + height + " pixels");
        checkPlane(file, width, height);
        if (components == 4) throw new IllegalArgumentException("Input " + name(file) + " is a CMYK JPEG, which ImageJ cannot read: save it as RGB first.");
        if (components != 1 && components != 3)
            throw damaged(file, "its JPEG frame header declares " + components + " colour components");
        boolean huffman = sof <= 0xc7; // arithmetic coding (SOF9 and up) can spend less than a bit per block
        long blocks = ((width + 7) / 8) * ((height + 7) / 8);
        if (huffman && entropy * 8 < blocks)
            throw damaged(file, "its JPEG data (" + entropy + " bytes) cannot hold the " + width + "x" + height + " pixels it declares");
        long rgb = width * height * 4; // the decoder's image and ImageJ's RGB copy; a grey JPEG is made 8-bit afterwards
        return components == 1
                ? new DeclaredImage("JPEG", width, height, 1, 8, "8-bit", 2 * rgb, false)
                : new DeclaredImage("JPEG", width, height, 1, 24, "RGB", rgb, false);
    }
}
