package io.github.superresolve.image;

import java.io.IOException;
import java.nio.file.Path;

import static io.github.superresolve.image.ImageHeaders.checkPlane;
import static io.github.superresolve.image.ImageHeaders.cutShort;
import static io.github.superresolve.image.ImageHeaders.damaged;
import static io.github.superresolve.image.ImageHeaders.name;

/**
 * A BMP header read as ImageJ's BMP reader reads it (the 40-byte Windows header and its successors,
 * uncompressed, 1, 4, 8, 24 or 32 bits per pixel), checked before that reader allocates: positive
 * width, non-zero height, a palette of at most 256 colours (the reader allocates what the header says),
 * and every row of pixel data inside the file (the reader would fail on the first missing row).
 */
final class BmpHeader {

    private BmpHeader() {
    }

    static DeclaredImage read(Path file) throws IOException {
        try (FileBytes in = new FileBytes(file)) {
            if (in.size() < 54) throw cutShort(file, "it ends inside its BMP header");
            long offset = in.u32(10), header = in.u32(14);
            if (header < 40) throw new IllegalArgumentException("Input " + name(file) + " has an old (OS/2) BMP header, which ImageJ cannot read: save it as TIFF or PNG first.");
            long width = (int) in.u32(18), height = (int) in.u32(22);
            int bits = in.u16(28);
            long compression = in.u32(30), colours = in.u32(46);
            if (height < 0) height = -height; // rows stored top-down
            checkPlane(file, width, height);
            if (bits != 1 && bits != 4 && bits != 8 && bits != 24 && bits != 32)
                throw new IllegalArgumentException("Input " + name(file) + " has " + bits + "-bit BMP pixels, which ImageJ cannot read: save it as TIFF or PNG first.");
            if (compression != 0)
                throw new IllegalArgumentException("Input " + name(file) + " is a compressed BMP, which ImageJ cannot read: save it as TIFF or PNG first.");
            if (colours > 256) throw damaged(file, "its BMP header declares a palette of " + colours + " colours");
            if (width * bits + 31 > Integer.MAX_VALUE) throw ImageHeaders.planeTooLarge(file, width, height);
            long row = (width * bits + 31) / 32 * 4;
            if (offset > in.size() || row * height > in.size() - offset)
                throw cutShort(file, "its pixel data needs " + (offset + row * height) + " bytes but the file holds " + in.size());
            // the reader's raw rows, its pixel array, and the AWT image ImageJ makes of them
            long reader = row * height + 2 * width * height * 4;
            return bits <= 8
                    ? new DeclaredImage("BMP", width, height, 1, 8, bits + "-bit indexed colour", reader, true)
                    : new DeclaredImage("BMP", width, height, 1, 24, "RGB", reader, false);
        }
    }
}
