package io.github.superresolve.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.github.superresolve.image.ImageHeaders.checkPlane;
import static io.github.superresolve.image.ImageHeaders.cutShort;
import static io.github.superresolve.image.ImageHeaders.damaged;

/**
 * A PBM, PGM or PPM header (P1 to P6) read before ImageJ's reader allocates the image it declares:
 * width, height and maximum value, then the pixel data checked against the file (binary data must be
 * there in full: ImageJ's reader leaves missing pixels black; ASCII data needs at least a character
 * per value and a separator between values).
 */
final class PgmHeader {

    /** Header text read at most (comments included). */
    static final int MAX_HEADER = 1 << 20;

    private PgmHeader() {
    }

    static DeclaredImage read(Path file) throws IOException {
        long size = Files.size(file);
        long[] values = new long[3];
        long pos;
        int kind;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            if (in.read() != 'P') throw damaged(file, "it does not start with a PBM/PGM/PPM magic number");
            kind = in.read() - '0';
            if (kind < 1 || kind > 6) throw damaged(file, "it does not start with a PBM/PGM/PPM magic number");
            pos = 2;
            int needed = kind == 1 || kind == 4 ? 2 : 3;
            int c = in.read();
            pos++;
            for (int v = 0; v < needed; v++) {
                while (c >= 0 && (c <= ' ' || c == '#')) { // whitespace and comments
                    if (c == '#') while (c >= 0 && c != '\n' && c != '\r') { c = in.read(); pos++; }
                    else { c = in.read(); pos++; }
                    if (pos > MAX_HEADER) throw damaged(file, "its PBM/PGM/PPM header is longer than " + MAX_HEADER + " bytes");
                }
                if (c < 0) throw cutShort(file, "it ends inside its PBM/PGM/PPM header");
                long n = 0;
                int digits = 0;
                while (c >= '0' && c <= '9') {
                    if (++digits > 12) throw damaged(file, "its PBM/PGM/PPM header holds a number of more than 12 digits");
                    n = n * 10 + (c - '0');
                    c = in.read();
                    pos++;
                }
                if (digits == 0 || c >= 0 && c > ' ' && c != '#') throw damaged(file, "its PBM/PGM/PPM header holds something that is not a number");
                values[v] = n;
            }
            // one whitespace character ends the header; pos is now just past it
        }
        long w = values[0], h = values[1], max = kind == 1 || kind == 4 ? 1 : values[2];
        checkPlane(file, w, h);
        if (max < 1 || max > 65535) throw damaged(file, "its PBM/PGM/PPM header declares a maximum value of " + max);
        boolean wide = max > 255, colour = kind == 3 || kind == 6;
        long samples = w * h * (colour ? 3 : 1);
        if (samples * (wide ? 2 : 1) > Integer.MAX_VALUE) // ImageJ sizes its buffer with an int
            throw new IllegalArgumentException("Input " + ImageHeaders.name(file) + " declares " + w + "x" + h + " pixels of "
                    + samples * (wide ? 2 : 1) / (w * h) + " bytes, more than ImageJ's PGM reader holds (2 GB a plane): save it as TIFF first.");
        long left = size - pos;
        long data = switch (kind) {
            case 4 -> (w + 7) / 8 * h;
            case 5, 6 -> samples * (wide ? 2 : 1);
            case 1 -> samples; // bits may be written without separators
            default -> 2 * samples - 1; // a digit per value and a separator between values
        };
        if (data > left) throw cutShort(file, "its pixel data needs " + (pos + data) + " bytes but the file holds " + size);
        long raw = samples * (wide ? 2 : 1);
        if (colour && wide) return new DeclaredImage("PGM", w, h, 3, 16, "48-bit RGB", 2 * raw, false);
        if (colour) return new DeclaredImage("PGM", w, h, 1, 24, "RGB", raw, false);
        if (wide) return new DeclaredImage("PGM", w, h, 1, 16, "16-bit", raw, false);
        return new DeclaredImage("PGM", w, h, 1, 8, kind == 1 || kind == 4 ? "1-bit" : "8-bit", raw, false);
    }
}
