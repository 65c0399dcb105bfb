package io.github.superresolve.hostile;

import ij.IJ;
import ij.ImagePlus;
import io.github.superresolve.image.NonFinitePixels;
import io.github.superresolve.image.TiffBytes;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.github.superresolve.image.HostileImages.*;
import static io.github.superresolve.image.TiffBytes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Images from strangers through {@code super-resolve upscale IN -o OUT --model lanczos --scale 2} (and
 * the shipped srresnet-x2-gray for the values a network meets): TIFF headers (huge sizes, many planes,
 * compressed bombs, looping directories, offsets past the end, impossible sizes and bit depths,
 * mismatched strips), PNG (damaged checksums, cut short, huge or zero sizes), JPEG, GIF and BMP
 * declaring huge sizes, 32-bit values near 3e38, NaN and infinite pixels, and tiny or indexed images.
 * Each ends in one sentence or a correct result ({@link HostileRun}: bounded time and heap, nothing
 * outside its output folder changed); a written output is opened and may hold NaN or infinite values
 * only at the pixels its input's own NaN and infinite pixels became.
 */
class ImageFuzzTest {

    private static final String SCALE = "2";

    /** A refusal of {@code file}, through lanczos x2 into {@code dir/out-NAME}. */
    private static HostileCase refused(Path dir, String family, String name, String regex, Path file) {
        Path out = dir.resolve("out-" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        return HostileCase.refused(family, name, Pattern.quote("Input " + file) + ".*" + regex, "upscale", file.toString(), "-o", out.toString(),
                "--model", "lanczos", "--scale", SCALE).writing(out);
    }

    /** A correct result for {@code file} through {@code model} x2. */
    private static HostileCase upscaled(Path dir, String family, String name, Path file, String model) {
        Path out = dir.resolve("out-" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        return new HostileCase(family, name, List.of("upscale", file.toString(), "-o", out.toString(), "--model", model, "--scale", SCALE),
                0, Pattern.compile(Pattern.quote(file.toString()) + " -> "), out);
    }

    /** A refusal with a sentence that does not start with "Input X". */
    private static HostileCase refusedAs(Path dir, String family, String name, String regex, Path file, String model) {
        Path out = dir.resolve("out-" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        return HostileCase.refused(family, name, regex, "upscale", file.toString(), "-o", out.toString(), "--model", model, "--scale", SCALE)
                .writing(out);
    }

    private static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static float[] wave(int w, int h, double scale, double offset) {
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) v[i] = (float) (offset + scale * Math.sin(i % w * 0.4) * Math.cos(i / w * 0.3));
        return v;
    }

    /** The hostile files, written into {@code dir}, and the command lines that meet them. */
    static List<HostileCase> cases(Path dir) throws IOException {
        List<HostileCase> c = new ArrayList<>();
        // ---- TIFF headers ----
        c.add(refused(dir, "tiff", "huge uncompressed plane", "is cut short: its pixel data needs",
                write(dir, "huge.tif", single(30000, 30000, 16, NONE, new byte[64]))));
        byte[] zeros = deflate(new byte[1000]);
        c.add(refused(dir, "tiff", "four 30000x30000 deflate planes in 500 bytes", "is damaged: plane 1 declares 30000x30000 pixels",
                write(dir, "bomb4.tif", tiffDirectories(4, 30000, 30000, DEFLATE, zeros))));
        c.add(refused(dir, "tiff", "strip inflating past its plane", "a decompression bomb",
                write(dir, "inflate.tif", single(64, 64, 8, DEFLATE, deflate(new byte[64 << 20])))));
        byte[] half = deflate(written(picture(64, 64, BufferedImage.TYPE_BYTE_GRAY), "bmp", null));
        c.add(refused(dir, "tiff", "deflate strip cut short", "compressed TIFF pixel data is corrupt or cut short",
                write(dir, "deflatecut.tif", single(64, 64, 8, DEFLATE, Arrays.copyOf(half, half.length / 2)))));
        byte[] packBits = new byte[7 * 2 + 17]; // seven runs of 128 bytes and a literal of 16: 912 of the 1024 declared
        for (int i = 0; i < 7; i++) packBits[2 * i] = -127;
        packBits[14] = 15;
        c.add(refused(dir, "tiff", "packbits strips holding too little", "but its compressed strips hold only 912",
                write(dir, "packbits.tif", single(32, 32, 8, PACKBITS, packBits))));
        c.add(refused(dir, "tiff", "100000 directories of 2x2 pixels", "is 2x2 pixels; Super-Resolve needs at least 4x4 pixels",
                write(dir, "many.tif", tiffDirectories(100_000, 2, 2, DEFLATE, deflate(new byte[4])))));
        c.add(refused(dir, "tiff", "20000 deflate planes of 2000x2000", "declares 20000 planes of 2000x2000 8-bit pixels \\(74\\.5 GB\\), more than the .* Java may use here",
                write(dir, "planes.tif", tiffDirectories(20_000, 2000, 2000, DEFLATE, deflate(new byte[2000 * 2000])))));
        c.add(refused(dir, "tiff", "planes stored out of order", "its plane 2 is stored before the end of plane 1",
                write(dir, "order.tif", tiffDirectories(3, 64, 64, NONE, new byte[64 * 64]))));
        TiffBytes loop = new TiffBytes();
        long strip = loop.append(new byte[64]);
        Entry[] e8 = grey(8, 8, 8, NONE, strip, 64);
        long a = loop.ifd(0, e8), b = loop.ifd(a, e8);
        c.add(refused(dir, "tiff", "directories in a loop", "its TIFF directories form a loop",
                write(dir, "loop.tif", loop.next(a, e8.length, b).first(a).bytes())));
        TiffBytes self = new TiffBytes();
        long s = self.append(new byte[64]);
        long only = self.ifd(0, grey(8, 8, 8, NONE, s, 64));
        c.add(refused(dir, "tiff", "directory pointing to itself", "its TIFF directories form a loop",
                write(dir, "self.tif", self.next(only, 8, only).first(only).bytes())));
        c.add(refused(dir, "tiff", "first directory past the end", "is cut short: its first TIFF directory starts past the end",
                write(dir, "first.tif", new TiffBytes().first(1 << 30).bytes())));
        TiffBytes next = new TiffBytes();
        long n0 = next.ifd(0, grey(8, 8, 8, NONE, next.append(new byte[64]), 64));
        c.add(refused(dir, "tiff", "next directory past the end", "points to a next directory past the end",
                write(dir, "next.tif", next.next(n0, 8, 0x7fffffffL).first(n0).bytes())));
        TiffBytes offsets = new TiffBytes();
        long o = offsets.append(new byte[64]);
        offsets.first(offsets.ifd(0, e(WIDTH, 8), e(HEIGHT, 8), e(BITS, 8), e(STRIP_OFFSETS, LONG, 1_000_000_000L, o), e(STRIP_BYTE_COUNTS, LONG, 1, 64)));
        c.add(refused(dir, "tiff", "a billion strip offsets", "points past the end of the file \\(tag 273", write(dir, "offsets.tif", offsets.bytes())));
        TiffBytes meta = new TiffBytes();
        // ImageJ's own layout, little-endian: magic "IJIJ", one entry of type "info"; then a 2 GB info property
        long ms = meta.append(new byte[64]), counts = meta.appendLongs(12, 0x7ffffff0L), md = meta.append("JIJIofni\1\0\0\0".getBytes());
        meta.first(meta.ifd(0, grey(8, 8, 8, NONE, ms, 64, e(50838, LONG, 2, counts), e(50839, BYTE, 12, md))));
        c.add(refused(dir, "tiff", "ImageJ metadata of 2 GB", "its ImageJ metadata declares 2147483632 bytes", write(dir, "meta.tif", meta.bytes())));
        c.add(refused(dir, "tiff", "zero width", "declares an image of 0x8 pixels", write(dir, "zero.tif", single(0, 8, 8, NONE, new byte[64]))));
        TiffBytes neg = new TiffBytes();
        neg.first(neg.ifd(0, grey(8, 0xfffffff0L, 8, NONE, neg.append(new byte[64]), 64)));
        c.add(refused(dir, "tiff", "negative height", "declares an image of 8x-16 pixels", write(dir, "negative.tif", neg.bytes())));
        for (int bits : new int[]{0, 7, 64})
            c.add(refused(dir, "tiff", bits + " bits per sample", "is a TIFF that ImageJ cannot read \\(unsupported BitsPerSample: " + bits + "\\)",
                    write(dir, "bits" + bits + ".tif", single(8, 8, bits, NONE, new byte[512]))));
        TiffBytes mismatch = new TiffBytes();
        long ms2 = mismatch.append(new byte[64]), three = mismatch.appendLongs(ms2, ms2, ms2);
        mismatch.first(mismatch.ifd(0, e(WIDTH, 8), e(HEIGHT, 8), e(BITS, 8), e(STRIP_OFFSETS, LONG, 3, three), e(ROWS_PER_STRIP, 3),
                e(STRIP_BYTE_COUNTS, LONG, 1, 24)));
        c.add(refused(dir, "tiff", "3 strip offsets, 1 byte count", "gives 3 strip offsets but 1 strip byte counts", write(dir, "mismatch.tif", mismatch.bytes())));
        c.add(refused(dir, "tiff", "tiled", "is a TIFF that ImageJ cannot read \\(ImageJ cannot open tiled TIFFs; try using the Bio-Formats plugin\\)\\.",
                write(dir, "tiled.tif", single(8, 8, 8, NONE, new byte[64], e(322, 16), e(323, 16)))));
        c.add(refused(dir, "tiff", "no directory", "holds no TIFF image directory", write(dir, "empty.tif", new byte[]{'I', 'I', 42, 0, 0, 0, 0, 0})));
        // ---- PNG ----
        byte[] png = written(picture(40, 30, BufferedImage.TYPE_BYTE_GRAY), "png", null);
        byte[] crc = png.clone(); // the data intact, its checksum altered: Java's reader does not look
        int idat = chunkData(crc, "IDAT");
        crc[idat + java.nio.ByteBuffer.wrap(crc, idat - 8, 4).getInt() + 2] ^= 0x04;
        c.add(refused(dir, "png", "bad CRC", "is damaged: its PNG chunk IDAT fails its checksum \\(an interrupted copy or download\\?\\): copy it again\\.",
                write(dir, "crc.png", crc)));
        c.add(refused(dir, "png", "cut short", "is cut short", write(dir, "cut.png", Arrays.copyOf(png, png.length - 40))));
        c.add(refused(dir, "png", "40000x40000 in 20 bytes", "cannot hold the 40000x40000 pixels it declares", write(dir, "huge.png", png(40000, 40000, deflate(new byte[100])))));
        c.add(refused(dir, "png", "zero size", "declares an image of 0x0 pixels", write(dir, "zero.png", png(0, 0, deflate(new byte[10])))));
        // ---- JPEG, GIF, BMP ----
        byte[] jpg = written(picture(40, 30, BufferedImage.TYPE_3BYTE_BGR), "jpeg", null);
        c.add(refused(dir, "jpeg", "60000x30000 declared", "cannot hold the 60000x30000 pixels it declares", write(dir, "huge.jpg", jpegDeclaring(jpg, 60000, 30000))));
        c.add(refused(dir, "jpeg", "cut short", "is cut short: ", write(dir, "cut.jpg", Arrays.copyOf(jpg, jpg.length / 2))));
        c.add(refused(dir, "gif", "200 frames of 40000x40000", "declares 200 planes of 40000x40000 8-bit indexed colour pixels", write(dir, "huge.gif", gif(40000, 40000, 200))));
        c.add(refused(dir, "bmp", "30000x30000 declared", "is cut short: its pixel data needs", write(dir, "huge.bmp", bmp(30000, 30000, 24, 0, 0))));
        c.add(refused(dir, "bmp", "palette of 2^31 colours", "declares a palette of 2147483647 colours", write(dir, "palette.bmp", bmp(8, 8, 8, 0, 0x7fffffffL))));
        // ---- values ----
        c.add(upscaled(dir, "values", "32-bit near 3e38", write(dir, "e38.tif", float32(48, 40, wave(48, 40, 0.2e38, 3.1e38))), "lanczos"));
        float[] flat = new float[48 * 40];
        Arrays.fill(flat, 3e38f);
        c.add(upscaled(dir, "values", "flat 3e38", write(dir, "flat.tif", float32(48, 40, flat)), "bicubic"));
        float[] nan = wave(48, 40, 100, 500);
        for (int i = 0; i < nan.length; i += 37) nan[i] = Float.NaN;
        c.add(upscaled(dir, "values", "NaN pixels", write(dir, "nan.tif", float32(48, 40, nan)), "lanczos"));
        float[] inf = wave(48, 40, 100, 500);
        inf[5] = Float.POSITIVE_INFINITY;
        inf[400] = Float.NEGATIVE_INFINITY;
        c.add(upscaled(dir, "values", "infinite pixels", write(dir, "inf.tif", float32(48, 40, inf)), "lanczos"));
        c.add(upscaled(dir, "values", "network: 32-bit near 3e38", write(dir, "net-e38.tif", float32(48, 40, wave(48, 40, 0.2e38, 3.1e38))), "srresnet-x2-gray"));
        c.add(upscaled(dir, "values", "network: NaN pixels", write(dir, "net-nan.tif", float32(48, 40, nan)), "srresnet-x2-gray"));
        float[] spike = wave(48, 40, 1e-4, 1e-3);
        spike[300] = 3e38f;
        Path spiked = write(dir, "net-spike.tif", float32(48, 40, spike));
        c.add(refusedAs(dir, "values", "network: 3e38 beside values near 1e-3",
                Pattern.quote("Super-Resolve's output for " + spiked + " holds infinite or NaN values (its values, up to 3.0e38, overflow the network's arithmetic)"),
                spiked, "srresnet-x2-gray"));
        // ---- tiny and degenerate ----
        c.add(refused(dir, "tiny", "1x1 PNG", "is 1x1 pixels; Super-Resolve needs at least 4x4 pixels",
                write(dir, "dot.png", written(picture(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", null))));
        c.add(refused(dir, "tiny", "1x300 TIFF", "is 1x300 pixels", write(dir, "line.tif", single(1, 300, 8, NONE, new byte[300]))));
        c.add(upscaled(dir, "tiny", "8-bit indexed colour GIF", write(dir, "indexed.gif", written(picture(24, 20, BufferedImage.TYPE_BYTE_INDEXED), "gif", null)), "lanczos"));
        c.add(upscaled(dir, "tiny", "4x4 RGB JPEG", write(dir, "small.jpg", written(picture(4, 4, BufferedImage.TYPE_3BYTE_BGR), "jpeg", null)), "lanczos"));
        c.add(refused(dir, "tiny", "text named .tif", "is not an image ImageJ can read", write(dir, "text.tif", "hello, world\n".getBytes())));
        c.add(refused(dir, "tiny", "DICOM element of 2 GB", "declares 2147483632 bytes past the end of the file", write(dir, "big.dcm", dicomWithHugeElement())));
        return c;
    }

    /** A DICOM whose second element declares 2 GB (ImageJ's reader would allocate them). */
    private static byte[] dicomWithHugeElement() {
        byte[] d = dicom(10, 20, 1, -1, new byte[400]);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int at = 132 + 8 + 20;
        b.put(at + 4, (byte) 'U').put(at + 5, (byte) 'N').putShort(at + 6, (short) 0).putInt(at + 8, 0x7ffffff0);
        return d;
    }

    @TestFactory
    Stream<DynamicTest> everyImageEndsInASentenceOrACorrectResult(@TempDir Path dir) throws IOException {
        return cases(dir).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            HostileRun.Measured m = HostileRun.check(c, dir);
            System.out.printf(Locale.ROOT, "%s, %s, %.2f s, %d MB%n", c.family(), c.name(), m.seconds(), m.allocatedBytes() >> 20);
            if (c.exit() == 0) checkOutputs(c);
        }));
    }

    /** Every output opens, and holds NaN or infinite values exactly at the pixels its input's own became. */
    private static void checkOutputs(HostileCase c) throws IOException {
        Path input = Path.of(c.args().get(1));
        List<Path> outs;
        try (Stream<Path> s = Files.list(c.output())) {
            outs = s.toList();
        }
        assertEquals(1, outs.size(), c + ": outputs " + outs);
        ImagePlus in = IJ.openImage(input.toString()), out = IJ.openImage(outs.get(0).toString());
        assertEquals(in.getWidth() * 2, out.getWidth(), c.toString());
        long expected = 0, got = 0;
        for (int p = 1; p <= in.getStackSize(); p++)
            if (in.getStack().getPixels(p) instanceof float[] f) expected += 4 * NonFinitePixels.count(f);
        for (int p = 1; p <= out.getStackSize(); p++)
            if (out.getStack().getPixels(p) instanceof float[] f) got += NonFinitePixels.count(f);
        assertEquals(expected, got, c + ": NaN or infinite output pixels");
        if (input.getFileName().toString().equals("indexed.gif")) assertEquals(24, out.getBitDepth(), "indexed colour is upscaled as RGB");
    }

    /** Writes the files into a folder and prints the command lines (for measuring them one by one). */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "image-fuzz"));
        for (HostileCase c : cases(dir)) System.out.println(c.family() + "\t" + c.name() + "\t" + String.join(" ", c.args()));
    }
}
