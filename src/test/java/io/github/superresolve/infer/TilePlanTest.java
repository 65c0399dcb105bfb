package io.github.superresolve.infer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TilePlanTest {

    private static long padded(TilePlan p, int w, int h, int m) {
        TileGrid g = new TileGrid(w, h, p.tileW(), p.tileH(), m);
        return (long) g.tiles().size() * g.paddedWidth() * g.paddedHeight();
    }

    @Test
    void aPlaneThatFitsIsOneTile() {
        // 512^2 with margin 40: 592^2 padded pixels at 4 KB need 1.37 GB
        TilePlan p = TilePlan.choose(512, 512, 40, 4096, 1400L << 20, 1);
        assertEquals(new TilePlan(512, 512), p);
    }

    @Test
    void tightBudgetsGiveTheFewestPaddedPixelsThatFit() {
        long budget = 600L << 20;
        double bpp = 7700;
        TilePlan p = TilePlan.choose(512, 512, 40, bpp, budget, 1);
        assertTrue(p.paddedPixels(40) * bpp <= budget, "fits: " + p);
        long cost = padded(p, 512, 512, 40);
        // exhaustive: no other square or rectangular core that fits wastes fewer pixels
        for (int tw = 16; tw <= 512; tw++)
            for (int th = 16; th <= 512; th++) {
                TilePlan q = new TilePlan(tw, th);
                if (q.paddedPixels(40) * bpp <= budget)
                    assertTrue(padded(q, 512, 512, 40) >= cost, q + " would waste less than " + p);
            }
        // and it is far better than the old fixed 192 tiles (9 tiles of 272^2)
        assertTrue(cost < 9L * 272 * 272, "cost " + cost);
    }

    @ParameterizedTest
    @CsvSource({"4096,4096,40,7700,1610612736,1", "2048,300,20,2000,268435456,1", "1000,1000,40,7700,1073741824,4", "33,2000,9,900,67108864,2"})
    void batchesOfPlannedTilesFitTheBudget(int w, int h, int m, double bpp, long budget, int batch) {
        TilePlan p = TilePlan.choose(w, h, m, bpp, budget, batch);
        assertTrue(batch * p.paddedPixels(m) * bpp <= budget, p + " x" + batch + " over budget");
        assertTrue(p.tileW() <= w && p.tileH() <= h);
        TileGrid g = new TileGrid(w, h, p.tileW(), p.tileH(), m);
        long covered = 0;
        for (TileGrid.Tile t : g.tiles()) covered += (long) t.w() * t.h();
        assertTrue(covered >= (long) w * h);
    }

    @Test
    void aBudgetTooSmallForAnyTileGivesTheSmallestTiles() {
        assertEquals(new TilePlan(16, 16), TilePlan.choose(1000, 1000, 40, 8000, 1 << 20, 1));
        assertEquals(new TilePlan(5, 16), TilePlan.choose(5, 1000, 40, 8000, 1 << 20, 1));
    }

    @Test
    void retriesHalveTheAreaDownToTheSmallestTile() {
        assertEquals(new TilePlan(256, 512), NetworkUpscaler.halve(new TilePlan(512, 512)));
        assertEquals(new TilePlan(256, 256), NetworkUpscaler.halve(new TilePlan(256, 512)));
        assertEquals(new TilePlan(16, 16), NetworkUpscaler.halve(new TilePlan(16, 20)));
        assertNull(NetworkUpscaler.halve(new TilePlan(16, 16)));
    }

    @Test
    void defaultBudgetFollowsTheRam() {
        long gb = 1L << 30;
        assertEquals(MemoryBudget.DEFAULT_CAP, MemoryBudget.automatic(64 * gb, 40 * gb));
        assertEquals(MemoryBudget.DEFAULT_CAP, MemoryBudget.automatic(8 * gb, 4 * gb)); // an 8 GB laptop: 1 GB
        assertEquals(gb, MemoryBudget.automatic(4 * gb, 3 * gb)); // a quarter of a 4 GB machine
        assertEquals(gb / 2, MemoryBudget.automatic(16 * gb, gb)); // half of what is free
        assertEquals(MemoryBudget.FLOOR, MemoryBudget.automatic(16 * gb, gb / 8));
        assertEquals(MemoryBudget.DEFAULT_CAP, MemoryBudget.automatic(-1, -1));
        assertTrue(MemoryBudget.resolve(0) >= MemoryBudget.FLOOR);
        assertEquals(3 * gb, MemoryBudget.resolve(3 * gb));
    }

    @Test
    void memoryLimitsParse() {
        long mb = MemoryBudget.MB;
        assertEquals(0, MemoryBudget.parse("auto"));
        assertEquals(0, MemoryBudget.parse("0"));
        assertEquals(1500 * mb, MemoryBudget.parse("1500"));
        assertEquals(800 * mb, MemoryBudget.parse("800M"));
        assertEquals(1536 * mb, MemoryBudget.parse("1.5g"));
        assertEquals(2048 * mb, MemoryBudget.parse("2GB"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryBudget.parse("lots"));
        assertTrue(e.getMessage().contains("'lots'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MemoryBudget.parse("10M"));
        assertEquals("1.5 GB", MemoryBudget.describe(1536 * mb));
        assertEquals("800 MB", MemoryBudget.describe(800 * mb));
    }

    @Test
    void edgeCasesOfPlanesAndRam() {
        assertEquals(new TilePlan(1, 1), TilePlan.choose(1, 1, 40, 8000, 1L << 30, 1));
        assertThrows(IllegalArgumentException.class, () -> TilePlan.choose(0, 5, 4, 100, 1 << 20, 1));
        assertThrows(IllegalArgumentException.class, () -> TilePlan.choose(5, 0, 4, 100, 1 << 20, 1));
        // room for exactly 16 rows: 7 bands, spread evenly (15 rows each, not 6 of 16 and a shifted one)
        assertEquals(new TilePlan(16, 15), TilePlan.choose(16, 100, 0, 1, 16 * 16, 1));
        assertEquals(new TilePlan(16, 20), TilePlan.choose(16, 100, 0, 1, 16 * 20, 1));
        // unknown RAM (0 or negative): the cap
        assertEquals(MemoryBudget.DEFAULT_CAP, MemoryBudget.automatic(0, 0));
        long total = MemoryBudget.totalRam(), free = MemoryBudget.availableRam();
        if (System.getProperty("os.name").toLowerCase().startsWith("linux")) {
            assertTrue(total > 0 && free > 0 && free <= total, "RAM " + total + ", available " + free);
        }
    }
}
