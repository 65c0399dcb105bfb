package io.github.superresolve.image;

import io.github.superresolve.io.BoundedRead;

import java.util.Locale;

/**
 * What an image file's header says it holds, read before any pixel is decoded ({@link ImageHeaders}):
 * the plane size and count, the kind of pixel, and the Java heap ImageJ's reader will need for it.
 *
 * @param format      "TIFF", "PNG", "JPEG", "GIF", "BMP", "PGM" or "DICOM"
 * @param width       pixels per row
 * @param height      rows per plane
 * @param planes      planes ImageJ will make of it (slices, frames and channels together)
 * @param bitDepth    ImageJ's bit depth of those planes: 8, 16, 24 (RGB) or 32 (float)
 * @param kind        the pixels as the file has them: "8-bit", "16-bit", "32-bit", "RGB", "48-bit RGB"...
 * @param readerBytes heap the reader needs besides the planes, at most at any one time
 * @param indexed     whether ImageJ opens it as 8-bit indexed colour (pixels are palette entries)
 */
public record DeclaredImage(String format, long width, long height, long planes, int bitDepth, String kind, long readerBytes,
                            boolean indexed) {

    /** Heap bytes per pixel of an ImageJ plane of that bit depth (RGB is one int). */
    public static int bytesPerPixel(int bitDepth) {
        return bitDepth == 24 ? 4 : Math.max(1, bitDepth / 8);
    }

    /** Heap the planes hold once read. */
    public long pixelBytes() {
        return planes * width * height * bytesPerPixel(bitDepth);
    }

    /** Heap the reading needs at its peak. */
    public long readingBytes() {
        return pixelBytes() + readerBytes;
    }

    /** "4 planes of 30000x30000 16-bit pixels (6.7 GB)", or "one plane of ..." */
    public String describe() {
        String n = planes == 1 ? "one plane" : String.format(Locale.ROOT, "%d planes", planes);
        return n + " of " + width + "x" + height + " " + kind + " pixels (" + BoundedRead.human(pixelBytes()) + ")";
    }
}
