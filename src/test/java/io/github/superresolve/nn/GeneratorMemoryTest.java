package io.github.superresolve.nn;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a generator's native buffers are kept and when they are freed. */
class GeneratorMemoryTest {

    private static float[] random(int n) {
        Random r = new Random(n);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = r.nextFloat();
        return f;
    }

    private static Generator tiny(long seed) {
        GeneratorConfig c = new GeneratorConfig(1, 2, 2, 8, false, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL);
        return new Generator(c, ForwardPassTest.varied(c, seed, false));
    }

    @Test
    void buffersStayForTheNextTileOfTheSameSizeAndGoForAnotherSize() {
        Generator g = tiny(1);
        float[] in = random(30 * 20);
        float[] first = g.run(in, 1, 20, 30);
        long held = g.heldBytes();
        assertTrue(held > 0);
        assertArrayEquals(first, g.run(in, 1, 20, 30), 0f, "reused buffers give the same result");
        assertEquals(held, g.heldBytes(), "a second tile of the same size allocates nothing");
        g.run(random(10 * 10), 1, 10, 10);
        assertTrue(g.heldBytes() < held / 3, "a smaller tile frees the larger buffers: " + g.heldBytes() + " vs " + held);
    }

    @Test
    void anotherGeneratorRunningFreesTheFirstOnesBuffers() {
        Generator a = tiny(1), b = tiny(2);
        a.run(random(400), 1, 20, 20);
        assertTrue(a.heldBytes() > 0);
        b.run(random(400), 1, 20, 20);
        assertEquals(0, a.heldBytes(), "one model's buffers at a time");
        assertTrue(b.heldBytes() > 0);
        a.run(random(400), 1, 20, 20);
        assertEquals(0, b.heldBytes());
    }

    @Test
    void idleBuffersAreFreedAfterThePauseButNotWhileInUse() throws InterruptedException {
        Generator g = tiny(3);
        g.run(random(400), 1, 20, 20);
        g.releaseWhenIdle(60_000);
        g.run(random(400), 1, 20, 20); // a run cancels the pending release
        g.releaseWhenIdle(200);
        assertTrue(g.heldBytes() > 0, "kept during the pause");
        long deadline = System.currentTimeMillis() + 10_000;
        while (g.heldBytes() > 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertEquals(0, g.heldBytes(), "freed after the pause");
        assertTrue(g.run(random(400), 1, 20, 20).length == 1600, "usable afterwards");
    }
}
