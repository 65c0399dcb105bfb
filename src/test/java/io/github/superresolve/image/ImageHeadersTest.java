package io.github.superresolve.image;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ShortProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static io.github.superresolve.image.HostileImages.*;
import static io.github.superresolve.image.TiffBytes.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an image file declares is checked before ImageJ decodes it ({@link ImageHeaders}): real files
 * pass with the size ImageJ then reads, and hostile headers (loops, offsets past the end, declared
 * sizes their data cannot hold, decompression bombs, damaged checksums) end in one sentence naming the
 * file, allocating little.
 */
class ImageHeadersTest {

    @TempDir
    Path tmp;

    Path file(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    /** The sentence for {@code f}, which must name it, with the heap it allocated to say so bounded. */
    static String refusal(Path f) {
        IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(IllegalArgumentException.class, () -> ImageFiles.inspect(f)));
        String m = e.getMessage();
        assertTrue(m.startsWith("Input " + f + " "), m);
        assertTrue(m.endsWith(".") && !m.contains("\n") && !m.contains("Exception"), m);
        return m;
    }

    static void allocatesLittle(Runnable r) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        r.run();
        long used = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(used < (64L << 20), "allocated " + (used >> 20) + " MB");
    }

    // ---- real files pass, declaring what ImageJ reads ----

    @Test
    void imageJsOwnTiffsPassWithTheirPlanes() throws IOException {
        ImageStack st = new ImageStack(40, 30);
        for (int p = 0; p < 3; p++) {
            ShortProcessor sp = new ShortProcessor(40, 30);
            for (int i = 0; i < 1200; i++) sp.set(i, i * 7 + p);
            st.addSlice(sp);
        }
        Path f = tmp.resolve("stack.tif");
        assertTrue(new FileSaver(new ImagePlus("s", st)).saveAsTiffStack(f.toString()));
        DeclaredImage d = ImageFiles.inspect(f);
        assertEquals(List3(40, 30, 3, 16), List3(d.width(), d.height(), d.planes(), d.bitDepth()));
        assertEquals(3, ImageFiles.read(f, d).getStackSize());
    }

    private static java.util.List<Long> List3(long... v) {
        return Arrays.stream(v).boxed().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Deflate", "LZW", "PackBits"})
    void compressedTiffsOfTheJdkPassAndReadAsWritten(String compression) throws IOException {
        for (int type : new int[]{BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_3BYTE_BGR}) {
            BufferedImage bi = picture(300, 201, type);
            Path f = file("c.tif", written(bi, "tiff", compression));
            DeclaredImage d = ImageFiles.inspect(f);
            assertEquals(List3(300, 201, 1), List3(d.width(), d.height(), d.planes()));
            ImagePlus imp = ImageFiles.read(f, d);
            assertEquals(type == BufferedImage.TYPE_3BYTE_BGR ? 24 : type == BufferedImage.TYPE_USHORT_GRAY ? 16 : 8, imp.getBitDepth());
            int rgb = bi.getRGB(123, 77), got = imp.getProcessor().getPixel(123, 77);
            if (type == BufferedImage.TYPE_3BYTE_BGR) assertEquals(rgb & 0xffffff, got & 0xffffff);
            else assertEquals(bi.getRaster().getSample(123, 77, 0), got);
        }
    }

    @Test
    void pngJpegGifBmpAndPgmOfRealWritersPass() throws IOException {
        BufferedImage grey = picture(70, 50, BufferedImage.TYPE_BYTE_GRAY), rgb = picture(70, 50, BufferedImage.TYPE_3BYTE_BGR);
        for (String[] c : new String[][]{{"g.png", "png", "8"}, {"c.png", "png", "24"}, {"w.png", "png", "16"}, {"c.jpg", "jpeg", "24"},
                {"g.jpg", "jpeg", "8"}, {"c.bmp", "bmp", "24"}, {"g.gif", "gif", "8"}}) {
            BufferedImage bi = c[2].equals("24") ? rgb : c[2].equals("16") ? picture(70, 50, BufferedImage.TYPE_USHORT_GRAY) : grey;
            Path f = file(c[0], written(bi, c[1], null));
            DeclaredImage d = ImageFiles.inspect(f);
            ImagePlus imp = ImageFiles.read(f, d);
            assertEquals(List3(70, 50, 1), List3(d.width(), d.height(), d.planes()), c[0]);
            assertEquals(List3(70, 50, 1), List3(imp.getWidth(), imp.getHeight(), imp.getStackSize()), c[0]);
        }
        byte[] head = "P5\n# a comment\n70 50\n255\n".getBytes();
        byte[] pgm = Arrays.copyOf(head, head.length + 3500);
        DeclaredImage d = ImageFiles.inspect(file("g.pgm", pgm));
        assertEquals(List3(70, 50, 8), List3(d.width(), d.height(), d.bitDepth()));
        assertEquals(70, ImageFiles.read(tmp.resolve("g.pgm"), d).getWidth());
    }

    @Test
    void dicomPassesWithItsFrames() throws IOException {
        byte[] px = new byte[3 * 20 * 10 * 2];
        for (int i = 0; i < px.length; i += 2) px[i] = (byte) i;
        Path f = file("mr.dcm", dicom(10, 20, 3, -1, px));
        DeclaredImage d = ImageFiles.inspect(f);
        assertEquals(List3(20, 10, 3, 16), List3(d.width(), d.height(), d.planes(), d.bitDepth()));
        assertEquals(3, ImageFiles.read(f, d).getStackSize());
    }

    // ---- TIFF directories ----

    @Test
    void tiffDirectoriesThatLoopAreRefusedAtOnce() throws IOException {
        TiffBytes t = new TiffBytes();
        long strip = t.append(new byte[64]);
        Entry[] e = grey(8, 8, 8, NONE, strip, 64);
        long a = t.ifd(0, e), b = t.ifd(a, e);
        t.next(a, e.length, b).first(a);
        Path f = file("loop.tif", t.bytes());
        assertEquals("Input " + f + " is damaged: its TIFF directories form a loop (directory 3 is directory 1 again): "
                + "save it again from the program that made it.", refusal(f));
        TiffBytes self = new TiffBytes();
        long s = self.append(new byte[64]);
        long only = self.ifd(0, grey(8, 8, 8, NONE, s, 64));
        self.next(only, 8, only).first(only);
        assertTrue(refusal(file("self.tif", self.bytes())).contains("loop (directory 2 is directory 1 again)"));
    }

    @Test
    void offsetsPastTheEndAreCutShort() throws IOException {
        TiffBytes t = new TiffBytes();
        long strip = t.append(new byte[64]);
        Entry[] e = grey(8, 8, 8, NONE, strip, 64);
        long a = t.ifd(0, e);
        t.next(a, e.length, 1 << 30).first(a);
        assertTrue(refusal(file("next.tif", t.bytes())).contains("is cut short: its first TIFF directory points to a next directory past the end"));

        Path first = file("first.tif", new TiffBytes().first(1 << 20).bytes());
        assertTrue(refusal(first).contains("cut short: its first TIFF directory starts past the end of the file"));

        // a billion strip offsets: ImageJ would allocate 4 GB for them before reading any
        TiffBytes big = new TiffBytes();
        long s = big.append(new byte[64]);
        big.first(big.ifd(0, e(WIDTH, 8), e(HEIGHT, 8), e(BITS, 8), e(STRIP_OFFSETS, LONG, 1_000_000_000L, s), e(STRIP_BYTE_COUNTS, LONG, 1, 64)));
        Path huge = file("offsets.tif", big.bytes());
        allocatesLittle(() -> assertTrue(refusal(huge).contains("points past the end of the file (tag 273"), refusal(huge)));
    }

    @Test
    void imageJMetadataCountsMustFitTheFile() throws IOException {
        TiffBytes t = new TiffBytes();
        long strip = t.append(new byte[64]);
        long counts = t.appendLongs(20, 0x7ffffff0L);
        long meta = t.append("IJIJinfo\0\0\0\1".getBytes());
        t.first(t.ifd(0, grey(8, 8, 8, NONE, strip, 64, e(50838, LONG, 2, counts), e(50839, BYTE, 20, meta))));
        Path f = file("meta.tif", t.bytes());
        allocatesLittle(() -> assertTrue(refusal(f).contains("its ImageJ metadata declares 2147483632 bytes"), refusal(f)));
    }

    @Test
    void impossibleSizesAndPixelKindsGiveSentences() throws IOException {
        assertTrue(refusal(file("zero.tif", single(0, 8, 8, NONE, new byte[64]))).contains("declares an image of 0x8 pixels"));
        TiffBytes t = new TiffBytes();
        long s = t.append(new byte[64]);
        t.first(t.ifd(0, grey(0xffffffffL, 8, 8, NONE, s, 64)));
        assertTrue(refusal(file("negative.tif", t.bytes())).contains("declares an image of -1x8 pixels"));
        for (int bits : new int[]{0, 7, 64}) {
            String m = refusal(file("bits" + bits + ".tif", single(8, 8, bits, NONE, new byte[512])));
            assertTrue(m.contains("is a TIFF that ImageJ cannot read (unsupported BitsPerSample: " + bits + ")"), m);
        }
        String planes = refusal(file("huge.tif", single(50000, 50000, 8, NONE, new byte[64])));
        assertTrue(planes.contains("declares planes of 50000x50000 pixels, more than ImageJ holds in one plane"), planes);
        TiffBytes m = new TiffBytes();
        long strip = m.append(new byte[64]);
        long offsets = m.appendLongs(strip, strip, strip);
        m.first(m.ifd(0, e(WIDTH, 8), e(HEIGHT, 8), e(BITS, 8), e(STRIP_OFFSETS, LONG, 3, offsets), e(ROWS_PER_STRIP, 3),
                e(STRIP_BYTE_COUNTS, LONG, 1, 24)));
        assertTrue(refusal(file("mismatch.tif", m.bytes())).contains("gives 3 strip offsets but 1 strip byte counts"));
    }

    @Test
    void compressedPlanesTheirStripsCannotHoldAreRefusedWithoutDecoding() throws IOException {
        byte[] strip = deflate(new byte[1000]);
        Path f = file("bomb.tif", tiffDirectories(4, 30000, 30000, DEFLATE, strip));
        allocatesLittle(() -> assertTrue(refusal(f).contains("is damaged: plane 1 declares 30000x30000 pixels (900000000 bytes), more than its "
                + "compressed strips (" + strip.length + " bytes) can hold"), refusal(f)));
    }

    @Test
    void aStripInflatingPastItsPlaneIsADecompressionBomb() throws IOException {
        byte[] strip = deflate(new byte[50 << 20]); // 50 MB of zeros in about 50 KB: ImageJ would inflate it whole
        Path f = file("inflate.tif", single(64, 64, 8, DEFLATE, strip));
        allocatesLittle(() -> assertTrue(refusal(f).contains("strip 1 of plane 1 decodes to more than the whole plane (4096 bytes; a decompression bomb?)"), refusal(f)));
    }

    @Test
    void deflateDataCutShortIsRefusedInsteadOfHangingImageJ() throws IOException {
        byte[] whole = deflate(HostileImages.written(picture(64, 64, BufferedImage.TYPE_BYTE_GRAY), "bmp", null));
        Path f = file("cut.tif", single(64, 64, 8, DEFLATE, Arrays.copyOf(whole, whole.length / 2)));
        assertTrue(refusal(f).contains("its compressed TIFF pixel data is corrupt or cut short"), refusal(f));
    }

    @Test
    void compressedStripsHoldingFewerPixelsThanDeclaredAreRefused() throws IOException {
        Path f = file("few.tif", single(64, 64, 8, DEFLATE, deflate(new byte[1000])));
        assertTrue(refusal(f).contains("plane 1 declares 64x64 pixels (4096 bytes) but its compressed strips hold only 1000"), refusal(f));
        byte[] packBits = new byte[7 * 2 + 17]; // seven runs of 128 bytes and a literal of 16: 912 bytes
        for (int i = 0; i < 7; i++) packBits[2 * i] = -127;
        packBits[14] = 15;
        assertTrue(refusal(file("pb.tif", single(32, 32, 8, PACKBITS, packBits))).contains("compressed strips hold only 912"));
    }

    @Test
    void directoriesAreCountedAndCapped() throws IOException {
        Path f = file("many.tif", tiffDirectories(3000, 8, 8, DEFLATE, deflate(new byte[64])));
        try (FileBytes in = new FileBytes(f)) {
            assertEquals(3000, TiffHeader.walk(f, in, 5000).directories());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TiffHeader.walk(f, in, 2000));
            assertEquals("Input " + f + " has more than 2000 TIFF directories, more than Super-Resolve reads: split it into smaller files.", e.getMessage());
        }
        assertEquals(3000, ImageFiles.inspect(f).planes());
    }

    @Test
    void uncompressedPlanesStoredOutOfOrderAreRefused() throws IOException {
        // ImageJ's reader stops at a plane stored before the end of the previous one: one plane of three, silently
        Path f = file("order.tif", tiffDirectories(3, 64, 64, NONE, new byte[64 * 64]));
        assertTrue(refusal(f).contains("is damaged: its plane 2 is stored before the end of plane 1, and ImageJ's reader would stop there"), refusal(f));
    }

    // ---- PNG ----

    @Test
    void aPngWithADamagedChunkFailsItsChecksum() throws IOException {
        byte[] png = written(picture(70, 50, BufferedImage.TYPE_BYTE_GRAY), "png", null);
        ImageFiles.inspect(file("ok.png", png));
        byte[] bad = png.clone();
        bad[chunkData(bad, "IDAT") + 20] ^= 0x10;
        Path f = file("bad.png", bad);
        assertEquals("Input " + f + " is damaged: its PNG chunk IDAT fails its checksum (an interrupted copy or download?): copy it again.", refusal(f));
        Path cut = file("cut.png", Arrays.copyOf(png, png.length - 30));
        assertTrue(refusal(cut).contains("is cut short"), refusal(cut));
        byte[] sig = png.clone();
        sig[4] = 10; // \r\n made \n\n, as a copy in text mode does
        assertTrue(refusal(file("sig.png", sig)).contains("its PNG signature is altered"));
    }

    @Test
    void pngHeadersDeclaringWhatTheirDataCannotHoldAreRefused() throws IOException {
        byte[] idat = deflate(new byte[100]);
        Path huge = file("huge.png", png(40000, 40000, idat));
        allocatesLittle(() -> assertTrue(refusal(huge).contains("is damaged: its compressed data (" + idat.length
                + " bytes) cannot hold the 40000x40000 pixels it declares"), refusal(huge)));
        assertTrue(refusal(file("zero.png", png(0, 10, idat))).contains("declares an image of 0x10 pixels"));
        assertTrue(refusal(file("wide.png", png(0x80000000L, 1, idat))).contains("declares an image of 2147483648x1 pixels"));
    }

    // ---- JPEG, GIF, BMP, PGM, DICOM ----

    @Test
    void jpegsCutShortOrDeclaringTooMuchAreRefused() throws IOException {
        byte[] jpg = written(picture(70, 50, BufferedImage.TYPE_3BYTE_BGR), "jpeg", null);
        assertTrue(refusal(file("cut.jpg", Arrays.copyOf(jpg, jpg.length - 100))).contains("cut short: it ends before its JPEG end marker"));
        Path huge = file("huge.jpg", jpegDeclaring(jpg, 60000, 30000));
        allocatesLittle(() -> assertTrue(refusal(huge).contains("cannot hold the 60000x30000 pixels it declares"), refusal(huge)));
    }

    @Test
    void gifsDeclaringMoreThanTheHeapAreRefusedBeforeReading() throws IOException {
        Path f = file("frames.gif", gif(40000, 40000, 200));
        String m = refusal(f);
        assertTrue(m.startsWith("Input " + f + " declares 200 planes of 40000x40000 8-bit indexed colour pixels (298.0 GB), more than the ")
                && m.endsWith(" Java may use here: " + HeapBudget.ADVICE + "."), m);
        ImagePlus small = ImageFiles.open(file("small.gif", gif(16, 16, 3)));
        assertEquals(3, small.getStackSize());
    }

    @Test
    void bmpsAreCheckedAsImageJReadsThem() throws IOException {
        assertTrue(refusal(file("big.bmp", bmp(30000, 30000, 24, 0, 0))).contains("is cut short: its pixel data needs 2700000054 bytes"));
        Path palette = file("palette.bmp", bmp(8, 8, 8, 0, 0x7fffffffL));
        allocatesLittle(() -> assertTrue(refusal(palette).contains("declares a palette of 2147483647 colours")));
        assertTrue(refusal(file("rle.bmp", bmp(8, 8, 8, 1, 0))).contains("is a compressed BMP, which ImageJ cannot read"));
    }

    @Test
    void pgmDeclaringMoreThanItHoldsIsCutShort() throws IOException {
        assertTrue(refusal(file("big.pgm", "P5 30000 30000 65535\n".getBytes())).contains("is cut short: its pixel data needs 1800000021 bytes"));
        assertTrue(refusal(file("wide.pgm", "P6 30000 30000 65535\n".getBytes())).contains("more than ImageJ's PGM reader holds (2 GB a plane)"));
    }

    @Test
    void dicomElementsAndPixelDataMustFitTheFile() throws IOException {
        byte[] ok = dicom(10, 20, 1, -1, new byte[400]);
        // an element declaring 2 GB: ImageJ's DICOM reader would allocate it before reading
        byte[] big = ok.clone();
        ByteBuffer b = ByteBuffer.wrap(big).order(ByteOrder.LITTLE_ENDIAN);
        int at = 132 + 8 + 20; // the modality element after the transfer syntax
        b.put(at + 4, (byte) 'U').put(at + 5, (byte) 'N').putShort(at + 6, (short) 0).putInt(at + 8, 0x7ffffff0);
        Path f = file("big.dcm", big);
        allocatesLittle(() -> assertTrue(refusal(f).contains("declares 2147483632 bytes past the end of the file"), refusal(f)));
        Path frames = file("frames.dcm", dicom(10, 20, 50, 400, new byte[400]));
        assertTrue(refusal(frames).contains("its 50 frames of 20x10 pixels need 20000 bytes but its pixel data holds 400"), refusal(frames));
    }

    @Test
    void formatsWhoseReadersCannotBeBoundedAreRefused() throws IOException {
        Path zip = file("stack.zip", new byte[]{'P', 'K', 3, 4, 0, 0, 0, 0});
        assertEquals("Input " + zip + " is a ZIP file, which Super-Resolve does not read: save it as TIFF (or PNG) first.", refusal(zip));
    }
}
