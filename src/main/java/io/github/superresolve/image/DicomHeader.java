package io.github.superresolve.image;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

import static io.github.superresolve.image.ImageHeaders.checkPlane;
import static io.github.superresolve.image.ImageHeaders.cutShort;
import static io.github.superresolve.image.ImageHeaders.name;

/**
 * A DICOM file's elements walked before ImageJ's DICOM reader, which allocates every element's value
 * at the length its header declares: the walk follows that reader's own rules (after the 128-byte
 * preamble and "DICM" if present; explicit or implicit VR guessed element by element from the VR
 * letters; big-endian after a big-endian transfer syntax; sequences and items read as a flat list of
 * elements, as the reader does) and refuses an element whose value runs past the end of the file. It
 * stops at the pixel data, as the reader does, and checks it against the frames, rows, columns,
 * samples and bits the header declares. Compressed and deflated transfer syntaxes, which ImageJ cannot
 * read, are refused with a sentence.
 */
final class DicomHeader {

    private static final Set<String> LONG_VRS = Set.of("OB", "OW", "SQ", "UN", "UT", "OF", "OL", "OD", "UC", "UR", "OV", "SV", "UV");
    private static final Set<String> SHORT_VRS = Set.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "PN",
            "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US", "QQ");
    private static final int ITEM = 0xFFFEE000, ICON_SEQUENCE = 0x00880200, TRANSFER_SYNTAX = 0x00020010, SAMPLES = 0x00280002,
            PHOTOMETRIC = 0x00280004, FRAMES = 0x00280008, ROWS = 0x00280010, COLUMNS = 0x00280011,
            BITS = 0x00280100, PIXEL_DATA = 0x7FE00010, FLOAT_PIXEL_DATA = 0x7FE00008;

    private DicomHeader() {
    }

    static DeclaredImage read(Path file) throws IOException {
        try (FileBytes in = new FileBytes(file)) {
            long size = in.size();
            long pos = size >= 132 && "DICM".equals(new String(in.read(128, 4).array(), StandardCharsets.ISO_8859_1)) ? 132 : 0;
            boolean bigEndianSyntax = false;
            long rows = 0, columns = 0, frames = 1, samples = 1, bits = 16, pixelsAt = -1, pixelBytes = 0;
            String photometric = "";
            boolean floats = false;
            in.order(ByteOrder.LITTLE_ENDIAN);
            while (pixelsAt < 0) {
                if (pos >= size)
                    throw new IllegalArgumentException("Input " + name(file) + " holds no DICOM pixel data (a DICOMDIR, a report or a structure set?): give a DICOM image.");
                if (!in.holds(pos, 8)) throw cutShort(file, "it ends before its DICOM pixel data");
                int group = in.u16(pos);
                if (group == 0x0800 && bigEndianSyntax && in.order() == ByteOrder.LITTLE_ENDIAN) {
                    in.order(ByteOrder.BIG_ENDIAN); // as ImageJ: the data set turns big-endian at group 0008
                    group = 0x0008;
                }
                int tag = group << 16 | in.u16(pos + 2);
                byte[] b = in.read(pos + 4, 4).array();
                String vr = new String(b, 0, 2, StandardCharsets.ISO_8859_1);
                long length;
                long header = 8;
                if (group == 0xFFFE) {
                    length = in.u32(pos + 4);
                } else if (LONG_VRS.contains(vr) && (b[2] == 0 || b[3] == 0)) {
                    if (!in.holds(pos, 12)) throw cutShort(file, "it ends before its DICOM pixel data");
                    length = in.u32(pos + 8);
                    header = 12;
                } else if (SHORT_VRS.contains(vr)) {
                    length = in.u16(pos + 6);
                } else {
                    length = in.u32(pos + 4); // implicit VR
                }
                pos += header;
                boolean undefined = length == 0xFFFFFFFFL;
                if (tag == PIXEL_DATA || tag == FLOAT_PIXEL_DATA) {
                    if (undefined) throw compressed(file);
                    if (length == 0) continue;
                    pixelsAt = pos;
                    pixelBytes = length;
                    floats = tag == FLOAT_PIXEL_DATA;
                    break;
                }
                // ImageJ reads sequences and items as a flat list of elements: step into them
                if (group == 0xFFFE || undefined) continue;
                boolean sequence = vr.equals("SQ") && header == 12 || header == 8 && !SHORT_VRS.contains(vr) && length >= 8
                        && in.holds(pos, 4) && in.u16(pos) == 0xFFFE && in.u16(pos + 2) == 0xE000;
                boolean skippedWhole = (group & 1) == 1 || tag == ICON_SEQUENCE; // private and icon sequences ImageJ skips
                if (!in.holds(pos, length))
                    throw cutShort(file, "its DICOM element (" + hex(tag >>> 16) + "," + hex(tag & 0xffff) + ") declares " + length
                            + " bytes past the end of the file");
                if (sequence && !skippedWhole) continue;
                switch (tag) {
                    case TRANSFER_SYNTAX -> {
                        String uid = new String(in.read(pos, (int) Math.min(length, 256)).array(), StandardCharsets.ISO_8859_1).trim();
                        if (uid.contains("1.2.4") || uid.contains("1.2.5") || uid.startsWith("1.2.840.10008.1.2.1.99")) throw compressed(file);
                        bigEndianSyntax = uid.startsWith("1.2.840.10008.1.2.2");
                    }
                    case ROWS -> rows = in.u16(pos);
                    case COLUMNS -> columns = in.u16(pos);
                    case BITS -> bits = in.u16(pos);
                    case SAMPLES -> samples = in.u16(pos);
                    case PHOTOMETRIC -> photometric = text(in, pos, length);
                    case FRAMES -> {
                        try {
                            double f = Double.parseDouble(text(in, pos, length).replace("\\", ""));
                            if (f > 1) frames = (long) Math.min(f, Integer.MAX_VALUE);
                        } catch (NumberFormatException e) {
                            // ImageJ reads it as one frame
                        }
                    }
                    default -> {
                    }
                }
                pos += length;
            }
            checkPlane(file, columns, rows);
            boolean rgb = samples == 3 && photometric.startsWith("RGB");
            if (samples != 1 && !rgb)
                throw unreadable(file, "DICOM pixels of " + samples + " samples (" + photometric.trim() + ")");
            if (bits != 8 && bits != 16 && bits != 32 || rgb && bits != 8) throw unreadable(file, bits + "-bit DICOM pixels");
            long perPixel = rgb ? 3 : floats ? 4 : bits / 8;
            long needed = frames * rows * columns * perPixel;
            long available = Math.min(pixelBytes, size - pixelsAt);
            if (needed > available)
                throw cutShort(file, "its " + frames + (frames == 1 ? " frame" : " frames") + " of " + columns + "x" + rows
                        + " pixels need " + needed + " bytes but its pixel data holds " + available);
            int depth = rgb ? 24 : floats || bits == 32 ? 32 : (int) bits;
            String kind = rgb ? "RGB" : depth + "-bit";
            return new DeclaredImage("DICOM", columns, rows, frames, depth, kind, rows * columns * perPixel * 2, false);
        }
    }

    private static String hex(int v) {
        return String.format("%04X", v);
    }

    private static String text(FileBytes in, long pos, long length) throws IOException {
        return new String(in.read(pos, (int) Math.min(length, 64)).array(), StandardCharsets.ISO_8859_1).trim();
    }

    private static IllegalArgumentException compressed(Path file) {
        return new IllegalArgumentException("Input " + name(file) + " is a compressed DICOM, which ImageJ cannot read: "
                + "save it uncompressed first (e.g. gdcmconv --raw or dcmdjpeg).");
    }

    private static IllegalArgumentException unreadable(Path file, String what) {
        return new IllegalArgumentException("Input " + name(file) + " has " + what + ", which ImageJ cannot read: save it as TIFF first.");
    }
}
