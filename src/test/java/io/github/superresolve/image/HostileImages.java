package io.github.superresolve.image;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import static io.github.superresolve.image.TiffBytes.*;

/**
 * Image files for tests, well-formed and hostile, as bytes: real files written by the JDK's own
 * writers (then altered), and files built byte by byte ({@link TiffBytes}, PNG chunks, DICOM elements,
 * GIF blocks) declaring what their data cannot hold. Shared by the unit tests and the fuzz test.
 */
public final class HostileImages {

    private HostileImages() {
    }

    /** A small picture with texture: {@code bands} samples per pixel of {@code type}. */
    public static BufferedImage picture(int width, int height, int type) {
        BufferedImage bi = new BufferedImage(width, height, type);
        WritableRaster r = bi.getRaster();
        int max = type == BufferedImage.TYPE_USHORT_GRAY ? 65535 : 255;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int b = 0; b < r.getNumBands(); b++)
                    r.setSample(x, y, b, (int) ((Math.sin(x * 0.3 + b) * Math.cos(y * 0.2) * 0.5 + 0.5) * max));
        return bi;
    }

    /** {@code image} as the JDK writes it in {@code format} ("png", "jpeg", "gif", "bmp"; "tiff" with {@code compression}). */
    public static byte[] written(BufferedImage image, String format, String compression) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName(format).next();
        ImageWriteParam p = w.getDefaultWriteParam();
        if (compression != null) {
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionType(compression);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            w.setOutput(ios);
            w.write(null, new IIOImage(image, null, null), p);
        } finally {
            w.dispose();
        }
        return out.toByteArray();
    }

    // ---- PNG ----

    /** A PNG chunk with its length and CRC. */
    public static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 4, 4 + data.length);
        return b.putInt((int) crc.getValue()).array();
    }

    /** A PNG whose header declares {@code width x height} 8-bit grey pixels, with {@code idat} as its data. */
    public static byte[] png(long width, long height, byte[] idat) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt((int) width).putInt((int) height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[]{(byte) 137, 'P', 'N', 'G', 13, 10, 26, 10});
        o.writeBytes(chunk("IHDR", ihdr.array()));
        o.writeBytes(chunk("IDAT", idat));
        o.writeBytes(chunk("IEND", new byte[0]));
        return o.toByteArray();
    }

    /** Where chunk {@code type}'s data starts in a PNG (-1 if absent). */
    public static int chunkData(byte[] png, String type) {
        int at = 8;
        while (at + 8 <= png.length) {
            int len = ByteBuffer.wrap(png, at, 4).getInt();
            if (new String(png, at + 4, 4, StandardCharsets.ISO_8859_1).equals(type)) return at + 8;
            at += 12 + len;
        }
        return -1;
    }

    // ---- JPEG and GIF ----

    /** A JPEG with the frame header's height and width replaced. */
    public static byte[] jpegDeclaring(byte[] jpeg, int width, int height) {
        byte[] b = jpeg.clone();
        for (int i = 2; i + 9 < b.length; i++)
            if ((b[i] & 0xff) == 0xff && ((b[i + 1] & 0xff) == 0xc0 || (b[i + 1] & 0xff) == 0xc2)) {
                b[i + 5] = (byte) (height >> 8);
                b[i + 6] = (byte) height;
                b[i + 7] = (byte) (width >> 8);
                b[i + 8] = (byte) width;
                return b;
            }
        throw new IllegalArgumentException("no frame header");
    }

    /** A GIF whose logical screen is {@code width x height}, with {@code frames} frames of 1x1 pixel. */
    public static byte[] gif(int width, int height, int frames) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes("GIF89a".getBytes(StandardCharsets.ISO_8859_1));
        o.writeBytes(new byte[]{(byte) width, (byte) (width >> 8), (byte) height, (byte) (height >> 8), (byte) 0x80, 0, 0});
        o.writeBytes(new byte[]{0, 0, 0, (byte) 255, (byte) 255, (byte) 255}); // two colours
        for (int f = 0; f < frames; f++) {
            o.writeBytes(new byte[]{0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0}); // 1x1 at 0,0
            o.writeBytes(new byte[]{2, 2, 0x44, 0x01, 0}); // LZW (code size 2): clear, 0, end
        }
        o.write(0x3b);
        return o.toByteArray();
    }

    // ---- BMP ----

    /** A BMP header (40-byte info header) declaring {@code width x height} at {@code bits}, with no pixel data after it. */
    public static byte[] bmp(int width, int height, int bits, int compression, long colours) {
        ByteBuffer b = ByteBuffer.allocate(54).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(54).putInt(0).putInt(54);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) bits).putInt(compression).putInt(0)
                .putInt(2835).putInt(2835).putInt((int) colours).putInt(0);
        return b.array();
    }

    // ---- DICOM ----

    /**
     * A DICOM file (explicit VR little endian, with meta header) of one or more 16-bit frames:
     * {@code pixelLength} bytes of pixel data declared (-1: the frames' size) and {@code pixels} written.
     */
    public static byte[] dicom(int rows, int columns, int frames, long pixelLength, byte[] pixels) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[128]);
        o.writeBytes("DICM".getBytes(StandardCharsets.ISO_8859_1));
        element(o, 0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1\0".getBytes(StandardCharsets.ISO_8859_1));
        element(o, 0x0008, 0x0060, "CS", "MR".getBytes(StandardCharsets.ISO_8859_1));
        element(o, 0x0028, 0x0002, "US", u16(1));
        element(o, 0x0028, 0x0004, "CS", "MONOCHROME2 ".getBytes(StandardCharsets.ISO_8859_1));
        if (frames > 1) element(o, 0x0028, 0x0008, "IS", (frames + (String.valueOf(frames).length() % 2 == 1 ? " " : "")).getBytes(StandardCharsets.ISO_8859_1));
        element(o, 0x0028, 0x0010, "US", u16(rows));
        element(o, 0x0028, 0x0011, "US", u16(columns));
        element(o, 0x0028, 0x0100, "US", u16(16));
        element(o, 0x0028, 0x0101, "US", u16(16));
        ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort((short) 0x7FE0).putShort((short) 0x0010).put((byte) 'O').put((byte) 'W').putShort((short) 0)
                .putInt((int) (pixelLength < 0 ? (long) rows * columns * frames * 2 : pixelLength));
        o.writeBytes(h.array());
        o.writeBytes(pixels);
        return o.toByteArray();
    }

    /** An explicit-VR little-endian element with a 2-byte length. */
    public static void element(ByteArrayOutputStream o, int group, int element, String vr, byte[] value) {
        ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort((short) group).putShort((short) element).put(vr.getBytes(StandardCharsets.ISO_8859_1)).putShort((short) value.length);
        o.writeBytes(h.array());
        o.writeBytes(value);
    }

    private static byte[] u16(int v) {
        return new byte[]{(byte) v, (byte) (v >> 8)};
    }

    // ---- TIFF ----

    /** {@code n} directories of {@code width x height} 8-bit pixels all sharing one strip of {@code strip}. */
    public static byte[] tiffDirectories(int n, int width, int height, int compression, byte[] strip) {
        TiffBytes t = new TiffBytes();
        long at = t.append(strip);
        Entry[] entries = grey(width, height, 8, compression, at, strip.length);
        long first = 0, previous = -1;
        for (int i = 0; i < n; i++) {
            long ifd = t.ifd(0, entries);
            if (previous < 0) first = ifd;
            else t.next(previous, entries.length, ifd);
            previous = ifd;
        }
        return t.first(first).bytes();
    }
}
