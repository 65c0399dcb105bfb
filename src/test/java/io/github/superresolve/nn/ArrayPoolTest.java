package io.github.superresolve.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.*;

/** Buffer reuse by length and the byte accounting the tile planner relies on. */
public class ArrayPoolTest {

    @Test
    void aBufferGivenBackIsReusedForAnyShapeOfItsLength() {
        ArrayPool pool = new ArrayPool();
        INDArray a = pool.take(2, 3, 4);
        assertArrayEquals(new long[]{2, 3, 4}, a.shape());
        assertEquals(DataType.FLOAT, a.dataType());
        assertEquals('c', a.ordering());
        assertEquals(96, pool.allocatedBytes());
        assertEquals(0, pool.pooledBytes());
        long address = a.data().address();
        pool.give(a);
        assertEquals(96, pool.pooledBytes());
        INDArray b = pool.take(4, 6);
        assertEquals(address, b.data().address(), "the same native buffer");
        assertArrayEquals(new long[]{4, 6}, b.shape());
        assertEquals(96, pool.allocatedBytes(), "nothing new allocated");
        assertEquals(0, pool.pooledBytes());
        INDArray c = pool.take(5); // another length: a new buffer
        assertNotEquals(address, c.data().address());
        assertEquals(116, pool.allocatedBytes());
        pool.give(b);
        pool.give(c);
        assertEquals(116, pool.pooledBytes());
        pool.clear();
        assertEquals(0, pool.pooledBytes());
        assertEquals(0, pool.allocatedBytes());
    }

    @Test
    void buffersStillInUseStayCountedAfterClear() {
        ArrayPool pool = new ArrayPool();
        INDArray held = pool.take(10);
        pool.give(pool.take(3));
        pool.clear();
        assertEquals(40, pool.allocatedBytes(), "the 10 floats still in use");
        pool.give(held);
        assertEquals(40, pool.pooledBytes());
        pool.give(null); // nothing to give
        assertEquals(40, pool.pooledBytes());
    }

    @Test
    void onlyWholeFloatArraysAreTaken() {
        ArrayPool pool = new ArrayPool();
        INDArray whole = pool.take(4, 4);
        assertThrows(IllegalArgumentException.class, () -> pool.give(whole.getRow(1)));
        assertThrows(IllegalArgumentException.class, () -> pool.give(Nd4j.zeros(DataType.DOUBLE, 3)));
        INDArray closed = Nd4j.zeros(DataType.FLOAT, 3);
        closed.close();
        pool.give(closed); // a closed array has no buffer to give: ignored
        assertEquals(0, pool.pooledBytes());
    }
}
