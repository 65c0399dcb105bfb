package io.github.superresolve.image;

import ij.io.BitBuffer;
import ij.io.ImageReader;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * How many bytes compressed TIFF strips decode to, as ImageJ's decoders decode them, counted without
 * keeping the bytes: deflate (refused if the stream ends before its end, where ImageJ's inflate loop
 * would wait for ever), PackBits and LZW (ImageJ's own algorithm, string lengths only). One inflater,
 * buffer and LZW table serve every strip of a file.
 */
final class StripLengths implements AutoCloseable {

    private final Inflater inflater = new Inflater();
    private final byte[] buffer = new byte[1 << 16];
    private final int[] lzwLengths = new int[16384];
    private int lzwWritten = lzwLengths.length - 1; // highest table entry that may differ from ImageJ's initial 1

    /** Bytes zlib {@code data} inflates to, up to {@code limit + 1}; a stream that ends early is corrupt. */
    long inflated(byte[] data, long limit) throws DataFormatException {
        inflater.reset();
        inflater.setInput(data);
        long n = 0;
        while (!inflater.finished() && n <= limit) {
            int k = inflater.inflate(buffer);
            if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) throw new DataFormatException("deflate data ends early");
            n += k;
        }
        return n;
    }

    /**
     * Bytes PackBits data decodes to, as ImageJ's decoder runs (it stops at {@code expected} bytes or
     * at the end of the data), counted up to {@code limit + 1}; a run past the end of the data is corrupt.
     */
    static long packBits(byte[] data, int expected, long limit) {
        long n = 0;
        int i = 0;
        while (n < expected && n <= limit && i < data.length) {
            int h = data[i++];
            if (h >= 0) {
                if (i + h + 1 > data.length) throw new IllegalStateException("literal run past the end");
                i += h + 1;
                n += h + 1;
            } else if (h != -128) {
                if (i >= data.length) throw new IllegalStateException("repeated byte past the end");
                i++;
                n += 1 - h;
            }
        }
        return n;
    }

    /**
     * Bytes TIFF LZW data decodes to, as ImageJ's decoder ({@link ImageReader#lzwUncompress}) runs: it
     * stops at {@code byteCount}, at an end code or at the end of the data, and fails when its table of
     * 16384 strings overflows. Only the lengths of the strings are kept.
     */
    long lzw(byte[] data, long byteCount) {
        if (data.length == 0) return 0;
        int[] len = lzwLengths;
        Arrays.fill(len, 0, lzwWritten + 1, 1); // ImageJ's table starts as 16384 strings of one byte
        lzwWritten = 257;
        BitBuffer bb = new BitBuffer(data);
        int bits = 9, next = 258, old = -1;
        long out = 0;
        while (out < byteCount) {
            int code = bb.getBits(bits);
            if (code == 257 || code == -1) break;
            if (code == 256) {
                next = 258;
                bits = 9;
                code = bb.getBits(bits);
                if (code == 257 || code == -1) break;
                out += len[code];
                old = code;
                continue;
            }
            if (old == -1) old = 0;
            if (next >= len.length) throw new IllegalStateException("LZW table overflow");
            out += code < next ? len[code] : len[old] + 1;
            len[next] = len[old] + 1;
            lzwWritten = Math.max(lzwWritten, next);
            old = code;
            next++;
            if (next == 511) bits = 10;
            if (next == 1023) bits = 11;
            if (next == 2047) bits = 12;
        }
        return out;
    }

    @Override
    public void close() {
        inflater.end();
    }
}
