package io.github.superresolve.image;

import ij.io.Opener;
import io.github.superresolve.io.Printable;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads what an image file declares before ImageJ decodes a pixel of it, so that a stranger's file is
 * refused with one sentence instead of filling the heap or looping: TIFF ({@link TiffHeader}: every
 * directory walked with loops and offsets checked, strips checked against the declared pixels), PNG
 * ({@link PngHeader}: signature, chunk lengths and checksums), JPEG, GIF, BMP, PGM and DICOM (their
 * headers, and their data against the declared size). Each reads the file once at most, in time linear
 * in its size, holding no more than a header in memory; compressed TIFF strips are inflated (counted,
 * not kept) only after the declared pixels are known to fit the heap ({@link HeapBudget}).
 *
 * <p>Other formats ImageJ opens (ZIP, AVI, FITS, lookup tables, raw...) are refused: their readers
 * cannot be bounded before they allocate.
 */
public final class ImageHeaders {

    private ImageHeaders() {
    }

    /**
     * What {@code file}, of ImageJ's type {@code type} ({@link Opener#getFileType}), declares.
     *
     * @throws IllegalArgumentException with one sentence naming the file: damaged, cut short, declaring
     *                                  what it cannot hold, or of a format not read here
     */
    public static DeclaredImage read(Path file, int type) {
        try {
            if (type == Opener.TIFF) {
                TiffHeader tiff = TiffHeader.read(file);
                requireHeap(file, tiff.declared());
                tiff.checkCompressedStrips(); // work bounded by the planes just checked
                return tiff.declared();
            }
            DeclaredImage d = switch (type) {
                case Opener.PNG -> PngHeader.read(file);
                case Opener.JPEG -> JpegHeader.read(file);
                case Opener.GIF -> GifHeader.read(file);
                case Opener.BMP -> BmpHeader.read(file);
                case Opener.PGM -> PgmHeader.read(file);
                case Opener.DICOM, Opener.TIFF_AND_DICOM -> DicomHeader.read(file);
                default -> throw new IllegalArgumentException("Input " + name(file) + " is " + formatName(type)
                        + ", which Super-Resolve does not read: save it as TIFF (or PNG) first.");
            };
            requireHeap(file, d);
            return d;
        } catch (EOFException e) {
            throw cutShort(file, "it ends inside its header");
        } catch (IOException e) {
            throw new IllegalArgumentException("Input " + name(file) + " cannot be read: " + oneLine(e.getMessage()) + ".");
        }
    }

    /**
     * Refuses an image whose reading would not fit the heap ({@link HeapBudget}): "Input X declares 4
     * planes of 30000x30000 16-bit pixels (6.7 GB), more than the 5.9 GB Java may use here: ...".
     */
    static void requireHeap(Path file, DeclaredImage d) {
        if (HeapBudget.fits(d.readingBytes())) return;
        String budget = HeapBudget.describe();
        if (d.pixelBytes() > HeapBudget.budget())
            throw new IllegalArgumentException("Input " + name(file) + " declares " + d.describe() + ", more than the " + budget
                    + " Java may use here: " + HeapBudget.ADVICE + ".");
        throw new IllegalArgumentException("Input " + name(file) + " declares " + d.describe() + "; reading it needs "
                + io.github.superresolve.io.BoundedRead.human(d.readingBytes()) + ", more than the " + budget + " Java may use here: "
                + HeapBudget.ADVICE + ".");
    }

    private static String formatName(int type) {
        return switch (type) {
            case Opener.FITS -> "a FITS file";
            case Opener.ZIP -> "a ZIP file";
            case Opener.AVI -> "an AVI movie";
            case Opener.LUT -> "a lookup table";
            case Opener.ROI -> "an ImageJ selection (ROI)";
            case Opener.RAW -> "a raw file";
            case Opener.TABLE -> "a table";
            default -> "a file of type " + Opener.types[Math.max(0, Math.min(type, Opener.types.length - 1))];
        };
    }

    /** The file as sentences name it: control characters escaped. */
    static String name(Path file) {
        return Printable.escape(file);
    }

    /** "Input X is damaged: WHY: save it again from the program that made it." (a writer's fault) */
    static IllegalArgumentException damaged(Path file, String why) {
        return new IllegalArgumentException("Input " + name(file) + " is damaged: " + why + ": save it again from the program that made it.");
    }

    /** "Input X is damaged: WHY (an interrupted copy or download?): copy it again." (a transfer's fault) */
    static IllegalArgumentException corrupted(Path file, String why) {
        return new IllegalArgumentException("Input " + name(file) + " is damaged: " + why + " (an interrupted copy or download?): copy it again.");
    }

    /** "Input X is cut short: WHY (an interrupted copy or download?): copy it again." */
    static IllegalArgumentException cutShort(Path file, String why) {
        return new IllegalArgumentException("Input " + name(file) + " is cut short: " + why + " (an interrupted copy or download?): copy it again.");
    }

    /** A plane of more than 2^31 - 1 pixels, which no ImageJ processor holds. */
    static IllegalArgumentException planeTooLarge(Path file, long width, long height) {
        return new IllegalArgumentException("Input " + name(file) + " declares planes of " + width + "x" + height
                + " pixels, more than ImageJ holds in one plane (2^31): crop or split it with a tool made for such images.");
    }

    /** Refuses sizes that are not positive or do not fit one ImageJ plane. */
    static void checkPlane(Path file, long width, long height) {
        if (width <= 0 || height <= 0) throw damaged(file, "it declares an image of " + width + "x" + height + " pixels");
        if (width * height > Integer.MAX_VALUE) throw planeTooLarge(file, width, height);
    }

    /** Text from a file or a library, on one line and without control characters. */
    static String oneLine(String s) {
        if (s == null || s.isBlank()) return "the file may be damaged";
        return Printable.escape(s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " "));
    }
}
