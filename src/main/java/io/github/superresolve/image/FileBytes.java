package io.github.superresolve.image;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random access to a file's bytes for the header checks: every read names its position and length
 * and fails with {@link EOFException} past the end, so nothing is ever allocated for a length the
 * file does not hold. Multi-byte values in the byte order set by {@link #order(ByteOrder)}.
 */
final class FileBytes implements AutoCloseable {

    private final FileChannel channel;
    private final long size;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    FileBytes(Path file) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.READ);
        size = channel.size();
    }

    long size() {
        return size;
    }

    FileBytes order(ByteOrder o) {
        order = o;
        return this;
    }

    ByteOrder order() {
        return order;
    }

    /** Whether {@code length} bytes from {@code pos} are inside the file (no overflow for huge values). */
    boolean holds(long pos, long length) {
        return pos >= 0 && length >= 0 && pos <= size && length <= size - pos;
    }

    /** {@code length} bytes from {@code pos}, in the current byte order; EOF if the file ends first. */
    ByteBuffer read(long pos, int length) throws IOException {
        if (!holds(pos, length)) throw new EOFException("past the end");
        ByteBuffer b = ByteBuffer.allocate(length).order(order);
        while (b.hasRemaining()) {
            int n = channel.read(b, pos + b.position());
            if (n < 0) throw new EOFException("past the end");
        }
        return b.flip();
    }

    int u8(long pos) throws IOException {
        return read(pos, 1).get() & 0xff;
    }

    int u16(long pos) throws IOException {
        return read(pos, 2).getShort() & 0xffff;
    }

    long u32(long pos) throws IOException {
        return read(pos, 4).getInt() & 0xffffffffL;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
