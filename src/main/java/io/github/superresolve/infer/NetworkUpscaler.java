package io.github.superresolve.infer;

import io.github.superresolve.image.TileSink;
import io.github.superresolve.image.TileSource;
import io.github.superresolve.nn.Generator;

import java.util.List;

/**
 * Runs a generator over a plane in tiles: each tile is read with {@code overlap} pixels of mirrored
 * or real context on every side, tiles of equal size are run in batches, and only each tile's core is
 * written. With the default overlap (the network's receptive radius) the result equals a single pass
 * over the whole plane (padded the same way) to float rounding.
 */
public final class NetworkUpscaler implements Upscaler {

    /** Default tile core size in input pixels: ~1 GB of activations for a 16x64 x4 network. */
    public static final int DEFAULT_TILE = 192;

    private final String name;
    private final Generator generator;
    private final int tile, overlap, batch;

    /**
     * @param tile    core size of a tile in input pixels
     * @param overlap context on each side in input pixels; negative = the receptive radius
     * @param batch   tiles per network call
     */
    public NetworkUpscaler(String name, Generator generator, int tile, int overlap, int batch) {
        this.name = name;
        this.generator = generator;
        this.tile = tile;
        this.overlap = overlap < 0 ? generator.receptiveRadius() : overlap;
        this.batch = Math.max(1, batch);
        if (tile < 8) throw new IllegalArgumentException("Tile size must be at least 8 pixels, not " + tile + ".");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int scale() {
        return generator.scale();
    }

    @Override
    public int channels() {
        return generator.channels();
    }

    public int overlap() {
        return overlap;
    }

    public int tile() {
        return tile;
    }

    @Override
    public void release() {
        generator.release();
    }

    @Override
    public long workUnits(int width, int height) {
        return new TileGrid(width, height, tile, overlap).tiles().size();
    }

    @Override
    public void upscale(TileSource source, TileSink sink, Progress progress) {
        if (source.channels() != channels())
            throw new IllegalArgumentException("Network " + name + " takes " + channels() + " channels, got " + source.channels() + ".");
        TileGrid grid = new TileGrid(source.width(), source.height(), tile, overlap);
        List<TileGrid.Tile> tiles = grid.tiles();
        int pw = grid.paddedWidth(), ph = grid.paddedHeight(), m = grid.margin();
        int c = channels(), s = scale();
        int per = c * pw * ph;
        int outW = pw * s, outH = ph * s, outPer = c * outW * outH;
        int done = 0;
        for (int i = 0; i < tiles.size(); i += batch) {
            progress.checkCancelled();
            int n = Math.min(batch, tiles.size() - i);
            float[] in = new float[n * per];
            for (int k = 0; k < n; k++) {
                TileGrid.Tile t = tiles.get(i + k);
                source.read(t.x() - m, t.y() - m, pw, ph, in, k * per);
            }
            float[] out = generator.run(in, n, ph, pw);
            float[] one = n == 1 ? out : new float[outPer];
            for (int k = 0; k < n; k++) {
                TileGrid.Tile t = tiles.get(i + k);
                if (n > 1) System.arraycopy(out, k * outPer, one, 0, outPer);
                sink.write((long) t.x() * s, (long) t.y() * s, t.w() * s, t.h() * s, one, outW, outH, m * s, m * s);
            }
            done += n;
            progress.report(done, tiles.size());
        }
    }
}
