package io.github.superresolve.exchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A state dict (named float32 tensors) in PyTorch's own file format, as {@code torch.save} writes it
 * since PyTorch 1.6 and {@code torch.load} reads it, also with {@code weights_only=True}: a zip, stored
 * without compression, of {@code ARCHIVE/data.pkl} (a pickle, protocol 2, of a
 * {@code collections.OrderedDict} whose values are {@code torch._utils._rebuild_tensor_v2(storage,
 * offset, size, stride, requires_grad, backward_hooks)}, each storage a persistent id
 * {@code ('storage', torch.FloatStorage, key, 'cpu', numel)}), one little-endian record per storage
 * under {@code ARCHIVE/data/KEY}, {@code ARCHIVE/byteorder} and {@code ARCHIVE/version} (3). The layout
 * was read off a file torch.save wrote (PyTorch 1.13) and is checked by loading ours with PyTorch.
 * Records start at multiples of 64 bytes as torch.save aligns them (PyTorch's mmap loading wants it).
 */
final class TorchStateDict {

    /** A tensor: its shape and its values in row-major order. */
    record Tensor(long[] shape, float[] values) {
        Tensor {
            long n = 1;
            for (long s : shape) n *= s;
            if (n != values.length) throw new IllegalArgumentException(values.length + " values for a tensor of " + n);
        }
    }

    private TorchStateDict() {
    }

    /**
     * The file's bytes.
     *
     * @param archive the name of the zip's top folder (torch.save uses the file's name without suffix)
     */
    static byte[] write(String archive, Map<String, Tensor> tensors) throws IOException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put(archive + "/data.pkl", pickle(tensors));
        records.put(archive + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        int key = 0;
        for (Tensor t : tensors.values()) {
            ByteBuffer b = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.values());
            records.put(archive + "/data/" + key++, b.array());
        }
        records.put(archive + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Counting counted = new Counting(bytes);
        try (ZipOutputStream z = new ZipOutputStream(counted)) {
            z.setMethod(ZipOutputStream.STORED);
            for (Map.Entry<String, byte[]> r : records.entrySet()) {
                byte[] name = r.getKey().getBytes(StandardCharsets.UTF_8);
                ZipEntry e = new ZipEntry(r.getKey());
                e.setMethod(ZipEntry.STORED);
                e.setSize(r.getValue().length);
                e.setCompressedSize(r.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(r.getValue());
                e.setCrc(crc.getValue());
                e.setTime(315532800000L + 86400000L); // a fixed time: the same model gives the same bytes
                // pad the local header's extra field so that the record starts at a multiple of 64, as torch.save does
                long start = counted.count + 30 + name.length + 4;
                int pad = (int) ((64 - start % 64) % 64);
                byte[] extra = new byte[4 + pad];
                extra[0] = 'F';
                extra[1] = 'B';
                extra[2] = (byte) pad;
                extra[3] = (byte) (pad >> 8);
                e.setExtra(extra);
                z.putNextEntry(e);
                z.write(r.getValue());
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A stream that counts what passes through it. */
    private static final class Counting extends java.io.FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    // ---------------------------------------------------------------- pickle (protocol 2)

    private static final int PROTO = 0x80, GLOBAL = 'c', EMPTY_TUPLE = ')', REDUCE = 'R', MARK = '(', BINUNICODE = 'X',
            BININT = 'J', TUPLE = 't', BINPERSID = 'Q', NEWFALSE = 0x89, SETITEMS = 'u', STOP = '.';

    /** The pickle of {@code OrderedDict([(name, tensor)...])}, with only the opcodes PyTorch's weights-only unpickler allows. */
    static byte[] pickle(Map<String, Tensor> tensors) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(PROTO);
        p.write(2);
        orderedDict(p);
        p.write(MARK);
        int key = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            text(p, e.getKey());
            global(p, "torch._utils", "_rebuild_tensor_v2");
            p.write(MARK);
            p.write(MARK); // the storage's persistent id
            text(p, "storage");
            global(p, "torch", "FloatStorage");
            text(p, Integer.toString(key++));
            text(p, "cpu");
            integer(p, t.values().length);
            p.write(TUPLE);
            p.write(BINPERSID);
            integer(p, 0); // storage offset
            p.write(MARK);
            for (long s : t.shape()) integer(p, s);
            p.write(TUPLE);
            p.write(MARK); // row-major strides
            long stride = 1;
            long[] strides = new long[t.shape().length];
            for (int i = strides.length - 1; i >= 0; i--) {
                strides[i] = stride;
                stride *= t.shape()[i];
            }
            for (long s : strides) integer(p, s);
            p.write(TUPLE);
            p.write(NEWFALSE); // requires_grad
            orderedDict(p); // backward hooks
            p.write(TUPLE);
            p.write(REDUCE);
        }
        p.write(SETITEMS);
        p.write(STOP);
        return p.toByteArray();
    }

    private static void orderedDict(ByteArrayOutputStream p) {
        global(p, "collections", "OrderedDict");
        p.write(EMPTY_TUPLE);
        p.write(REDUCE);
    }

    private static void global(ByteArrayOutputStream p, String module, String name) {
        p.write(GLOBAL);
        p.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void text(ByteArrayOutputStream p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.write(BINUNICODE);
        p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        p.writeBytes(b);
    }

    private static void integer(ByteArrayOutputStream p, long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new IllegalArgumentException("a size beyond 32 bits: " + v);
        p.write(BININT);
        p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    }
}
