package io.github.superresolve.infer;

import ij.ImagePlus;
import ij.process.ShortProcessor;
import io.github.superresolve.TestData;
import io.github.superresolve.nn.Generator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory bound of the issue: x4 of an 8192 x 8192 16-bit image in a 4 GB heap (surefire runs with
 * -Xmx4g). The 2 GB 16-bit output is the floor; everything else must stay tile- or band-sized. Slow:
 * run with {@code mvn verify -Pslow}.
 */
@Tag("slow")
class LargeImageMemoryTest {

    @Test
    void x4Of8192SquaredSixteenBitFitsIn4GbHeap() {
        long max = Runtime.getRuntime().maxMemory();
        assertTrue(max <= 4L * 1024 * 1024 * 1024 + (64 << 20), "run with -Xmx4g, not " + (max >> 20) + " MB");
        int n = 8192;
        short[] px = new short[n * n];
        for (int i = 0; i < px.length; i++) px[i] = (short) ((i % n) * 7 + (i / n) * 3);
        ImagePlus imp = new ImagePlus("big", new ShortProcessor(n, n, px, null));
        ImagePlus out = ImageUpscaler.upscale(imp, new InterpolationUpscaler(io.github.superresolve.image.Kernel.LANCZOS3, 4),
                new ImageUpscaler.Options(ImageUpscaler.BitDepth.SAME, ImageUpscaler.Normalization.AUTO, 0.1, 99.9), Progress.NONE);
        assertEquals(4 * n, out.getWidth());
        assertEquals(16, out.getBitDepth());
        imp = null;
        out = null;
        // a network upscaler over a large image holds only tiles: 2048^2 x4 through a tiny network
        ImagePlus mid = new ImagePlus("mid", new ShortProcessor(2048, 2048));
        Generator g = new Generator(TestData.tiny(1, 4), TestData.tinyParams(TestData.tiny(1, 4)));
        ImagePlus up = ImageUpscaler.upscale(mid, new NetworkUpscaler("tiny", g, 192, -1, 1),
                new ImageUpscaler.Options(ImageUpscaler.BitDepth.SAME, ImageUpscaler.Normalization.AUTO, 0.1, 99.9), Progress.NONE);
        assertEquals(8192, up.getWidth());
    }
}
