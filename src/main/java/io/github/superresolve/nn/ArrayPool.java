package io.github.superresolve.nn;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Native float buffers reused by the ops of a {@link ForwardPass}, keyed by length: an op's output is
 * written into a buffer an earlier op gave back, so a pass over tiles of one size allocates its buffers
 * once. Measured why: on these (virtual) machines the first touch of freshly allocated memory is slow
 * and erratic: a pass that allocated every activation anew took 6.3-6.9 s where one on reused buffers
 * took 3.7-3.9 s (srresnet-x4 on a 272 x 272 tile, NCHW). Holds at most the buffers one pass needs at
 * once, as arrays of whatever shape the next op asks for; {@link #clear()} frees them.
 */
final class ArrayPool {

    private final Map<Long, Deque<DataBuffer>> free = new HashMap<>();
    private final DataType type;
    private final int width;
    private long pooledBytes, allocatedBytes;

    /** A pool of float buffers. */
    ArrayPool() {
        this(DataType.FLOAT);
    }

    /** A pool of buffers of this type (double for tests that need double precision). */
    ArrayPool(DataType type) {
        this.type = type;
        this.width = type.width();
    }

    /** An uninitialised c-order array (of the pool's type) of this shape, on a reused buffer when one of its length is free. */
    INDArray take(long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        Deque<DataBuffer> d = free.get(n);
        if (d == null || d.isEmpty()) {
            allocatedBytes += width * n;
            return Nd4j.createUninitialized(type, shape, 'c');
        }
        DataBuffer b = d.pop();
        pooledBytes -= width * n;
        return Nd4j.create(b, shape);
    }

    /** Gives an array's buffer back for reuse; the array must not be used afterwards. */
    void give(INDArray a) {
        if (a == null || a.wasClosed()) return;
        if (a.isView() || a.dataType() != type || a.data().length() != a.length()) {
            throw new IllegalArgumentException("Only whole " + type + " arrays from take() can be given back.");
        }
        free.computeIfAbsent(a.length(), k -> new ArrayDeque<>()).push(a.data());
        pooledBytes += width * a.length();
    }

    /** Bytes of the buffers kept for reuse. */
    long pooledBytes() {
        return pooledBytes;
    }

    /**
     * Bytes of the buffers this pool created and has not freed (given back or still in use): after a
     * pass, what the pass needed at most.
     */
    long allocatedBytes() {
        return allocatedBytes;
    }

    /** Frees every buffer kept for reuse. */
    void clear() {
        for (Deque<DataBuffer> d : free.values())
            for (DataBuffer b : d) b.close();
        free.clear();
        allocatedBytes -= pooledBytes;
        pooledBytes = 0;
    }
}
