package io.github.superresolve.image;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ShortProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A TIFF cut short (an interrupted copy) is refused with a sentence naming it, not read with zeros. */
class DamagedTiffTest {

    @TempDir
    Path tmp;

    static ImagePlus ramp(int planes) {
        ImageStack st = new ImageStack(64, 48);
        for (int p = 0; p < planes; p++) {
            ShortProcessor sp = new ShortProcessor(64, 48);
            for (int i = 0; i < 64 * 48; i++) sp.set(i, 1000 + i + 100 * p);
            st.addSlice(sp);
        }
        return new ImagePlus("ramp", st);
    }

    Path saved(ImagePlus imp, String name) {
        Path f = tmp.resolve(name);
        FileSaver fs = new FileSaver(imp);
        assertTrue(imp.getStackSize() > 1 ? fs.saveAsTiffStack(f.toString()) : fs.saveAsTiff(f.toString()));
        return f;
    }

    static void cut(Path f, long bytes) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(r.length() - bytes);
        }
    }

    @Test
    void completeTiffsOpen() {
        ImagePlus one = ImageFiles.open(saved(ramp(1), "one.tif"));
        assertArrayEquals((short[]) ramp(1).getProcessor().getPixels(), (short[]) one.getProcessor().getPixels());
        assertEquals(3, ImageFiles.open(saved(ramp(3), "stack.tif")).getStackSize());
    }

    @Test
    void aPlaneCutShortIsRefused() throws IOException {
        Path f = saved(ramp(1), "cells.tif");
        cut(f, 64 * 2 * 10); // the last ten rows
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageFiles.open(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("cut short") && e.getMessage().contains("copy it again"), e.getMessage());
    }

    @Test
    void aStackMissingItsLastPlaneIsRefused() throws IOException {
        Path f = saved(ramp(3), "stack.tif");
        assertEquals(3, ImageFiles.open(f).getStackSize());
        // ImageJ writes its metadata after the pixels: cut the file in the middle of the third plane
        ij.io.FileInfo fi = new ij.io.TiffDecoder(tmp + java.io.File.separator, "stack.tif").getTiffInfo()[0];
        long plane = 64 * 48 * 2;
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(fi.getOffset() + 2 * plane + plane / 2);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageFiles.open(f));
        assertTrue(e.getMessage().contains("cut short"), e.getMessage());
    }

    @Test
    void aBrokenPngGivesOurSentenceOnlyOnTheCommandLine() throws IOException {
        Path good = tmp.resolve("good.png");
        assertTrue(new FileSaver(new ImagePlus("g", ramp(1).getProcessor().convertToByte(true))).saveAsPng(good.toString()));
        byte[] bytes = java.nio.file.Files.readAllBytes(good);
        Path broken = java.nio.file.Files.write(tmp.resolve("broken.png"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        boolean before = ImageFiles.quietReaders;
        ImageFiles.quietReaders = true; // as cli.Main sets it
        try {
            System.setOut(new java.io.PrintStream(console, true));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageFiles.open(broken));
            assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
        } finally {
            System.setOut(out);
            ImageFiles.quietReaders = before;
        }
        assertEquals("", console.toString(), "ImageJ's reader printed its own line beside our sentence");
    }
}
