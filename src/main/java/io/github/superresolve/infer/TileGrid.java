package io.github.superresolve.infer;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code width x height} plane into tiles of equal size (so they can be batched): cores of
 * {@code tileWidth x tileHeight} pixels cover the plane; the last row and column are shifted back inside the
 * plane (their cores overlap the previous ones) rather than made smaller. Each tile is read with
 * {@code margin} pixels of context on every side and only its core is kept, so with a margin at
 * least the network's receptive radius, tiled output equals a single pass.
 */
public final class TileGrid {

    /** A tile's core: input pixels [x, x+w) x [y, y+h). */
    public record Tile(int x, int y, int w, int h) {
    }

    private final int tileW, tileH, margin;
    private final List<Tile> tiles = new ArrayList<>();

    public TileGrid(int width, int height, int tile, int margin) {
        this(width, height, tile, tile, margin);
    }

    public TileGrid(int width, int height, int tileWidth, int tileHeight, int margin) {
        if (tileWidth < 1 || tileHeight < 1)
            throw new IllegalArgumentException("Tile size must be at least 1 pixel, not " + tileWidth + "x" + tileHeight + ".");
        if (margin < 0) throw new IllegalArgumentException("Overlap must not be negative, not " + margin + ".");
        this.tileW = Math.min(tileWidth, width);
        this.tileH = Math.min(tileHeight, height);
        this.margin = margin;
        for (int y : starts(height, tileH))
            for (int x : starts(width, tileW)) tiles.add(new Tile(x, y, tileW, tileH));
    }

    private static int[] starts(int size, int t) {
        int n = (size + t - 1) / t;
        int[] s = new int[n];
        for (int i = 0; i < n; i++) s[i] = Math.min(i * t, size - t);
        return s;
    }

    public List<Tile> tiles() {
        return tiles;
    }

    /** Width of a tile read with its margins. */
    public int paddedWidth() {
        return tileW + 2 * margin;
    }

    public int paddedHeight() {
        return tileH + 2 * margin;
    }

    public int margin() {
        return margin;
    }
}
