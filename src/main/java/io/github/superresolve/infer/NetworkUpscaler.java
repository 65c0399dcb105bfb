package io.github.superresolve.infer;

import io.github.superresolve.image.TileSink;
import io.github.superresolve.image.TileSource;
import io.github.superresolve.nn.ModelException;
import io.github.superresolve.nn.Network;

import java.util.List;
import java.util.Locale;

/**
 * Runs a network over a plane in tiles: each tile is read with {@code overlap} pixels of mirrored or
 * real context on every side, tiles of equal size are run in batches, and only each tile's core is
 * written. With the default overlap (the network's receptive radius) the result equals a single pass
 * over the whole plane (padded the same way) to float rounding. A recursive network's stages each make
 * such a pass over the whole plane in turn ({@link #upscale}).
 *
 * <p>Tile size: by default ({@link #AUTO}) the plan with the fewest padded pixels whose batch fits the
 * memory budget ({@link TilePlan}, {@link MemoryBudget}), from the network's measured bytes per pixel;
 * or a fixed core size. If memory runs out anyway (other programs took it), the plane is started again
 * with tiles of half the area, down to {@link TilePlan#MIN_TILE}; only then does it fail, with one
 * sentence.
 */
public final class NetworkUpscaler implements Upscaler {

    /** Tile size value meaning: chosen from memory. */
    public static final int AUTO = 0;

    private final String name;
    private final Network network;
    private final int tile, fixedOverlap, batch;
    private final long budget;
    private IntensityRule rule;
    private TilePlan lastPlan;
    private int lastTileCount, retries;

    /** Tiles chosen from the default memory budget. */
    public NetworkUpscaler(String name, Network network) {
        this(name, network, AUTO, -1, 1, 0);
    }

    /** Fixed or automatic tiles within the default memory budget. */
    public NetworkUpscaler(String name, Network network, int tile, int overlap, int batch) {
        this(name, network, tile, overlap, batch, 0);
    }

    /**
     * @param tile        core size of a tile in input pixels, or {@link #AUTO}
     * @param overlap     context on each side in input pixels; negative = the receptive radius
     * @param batch       tiles per network call
     * @param memoryLimit bytes a batch of tiles may hold; {@code <= 0} for the default budget
     */
    public NetworkUpscaler(String name, Network network, int tile, int overlap, int batch, long memoryLimit) {
        this.name = name;
        this.network = network;
        this.tile = tile;
        this.fixedOverlap = overlap;
        this.batch = Math.max(1, batch);
        this.budget = MemoryBudget.resolve(memoryLimit);
        if (tile != AUTO && tile < 8) throw new IllegalArgumentException("Tile size must be at least 8 pixels (or 0 for automatic), not " + tile + ".");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int scale() {
        return network.scale();
    }

    @Override
    public int channels() {
        return network.channels();
    }

    /** Sets the network's own normalisation (a bioimage.io package's); null for Super-Resolve's. */
    public NetworkUpscaler withIntensityRule(IntensityRule rule) {
        this.rule = rule;
        return this;
    }

    @Override
    public IntensityRule intensityRule() {
        return rule;
    }

    /** Context of the first stage's tiles in input pixels. */
    public int overlap() {
        return margin(network.stages().get(0));
    }

    /** Bytes a batch of tiles may hold. */
    public long budget() {
        return budget;
    }

    /** The tiles of the last plane upscaled (its last stage's, after any retries), or null. */
    public TilePlan lastPlan() {
        return lastPlan;
    }

    /** Stages the network applies in turn, each tiled on its own (1 unless recursive). */
    public int stages() {
        return network.stages().size();
    }

    /** How many tiles {@link #lastPlan()} made of that plane (of its last stage's input). */
    public int lastTileCount() {
        return lastTileCount;
    }

    /** How often a plane was started again with smaller tiles after memory ran out. */
    public int retries() {
        return retries;
    }

    @Override
    public void release() {
        network.release();
    }

    @Override
    public void releaseLater() {
        network.releaseWhenIdle(IDLE_MILLIS);
    }

    /** The tiles this upscaler starts a {@code width x height} plane with (of a single-stage network). */
    public TilePlan plan(int width, int height) {
        return plan(network.stages().get(0), width, height);
    }

    private TilePlan plan(Network stage, int width, int height) {
        if (tile != AUTO) return new TilePlan(Math.min(tile, width), Math.min(tile, height));
        return TilePlan.choose(width, height, margin(stage), stage.bytesPerPixel(), Math.max(0, budget - stage.fixedBytes()), batch);
    }

    /** Context of a stage's tiles: the fixed overlap, or the stage's receptive radius. */
    private int margin(Network stage) {
        return fixedOverlap >= 0 ? fixedOverlap : stage.receptiveRadius();
    }

    /**
     * Java heap the intermediate float planes of a recursive network hold at most while a
     * {@code width x height} plane is upscaled (a stage's input and output planes together; 0 for a
     * network of one stage).
     */
    public long intermediateBytes(int width, int height) {
        List<Network> stages = network.stages();
        long w = width, h = height, previous = 0, most = 0;
        for (int i = 0; i < stages.size() - 1; i++) {
            w *= stages.get(i).scale();
            h *= stages.get(i).scale();
            long planes = w * h * 4L * channels();
            most = Math.max(most, previous + planes);
            previous = planes;
        }
        return most;
    }

    @Override
    public long workUnits(int width, int height) {
        long units = 0;
        for (Network st : network.stages()) {
            TilePlan p = plan(st, width, height);
            units += new TileGrid(width, height, p.tileW(), p.tileH(), margin(st)).tiles().size();
            width *= st.scale();
            height *= st.scale();
        }
        return units;
    }

    /**
     * Upscales a plane. A recursive network's stages run one after the other over the whole plane, each
     * tiled with its own context at its own resolution, the intermediate planes kept as floats: tiling
     * all stages at once would need the sum of their contexts around every tile at the input's
     * resolution (70 pixels for rgan-x4 at x8), tiles too small to be efficient, and the last stage's
     * buffers at 16x the tile's pixels.
     */
    @Override
    public void upscale(TileSource source, TileSink sink, Progress progress) {
        if (source.channels() != channels())
            throw new IllegalArgumentException("Network " + name + " takes " + channels() + " channels, got " + source.channels() + ".");
        List<Network> stages = network.stages();
        long total = workUnits(source.width(), source.height()), done = 0;
        TileSource in = source;
        for (int i = 0; i < stages.size(); i++) {
            Network st = stages.get(i);
            int w = in.width(), h = in.height();
            TilePlan p = plan(st, w, h);
            long units = new TileGrid(w, h, p.tileW(), p.tileH(), margin(st)).tiles().size();
            Progress part = progress.slice(done, units, total);
            if (i == stages.size() - 1) {
                upscaleStage(st, in, sink, p, part, units);
            } else {
                int c = channels(), W = w * st.scale(), H = h * st.scale();
                List<net.imglib2.img.array.ArrayImg<net.imglib2.type.numeric.real.FloatType, ?>> planes = new java.util.ArrayList<>();
                for (int k = 0; k < c; k++) planes.add(net.imglib2.img.array.ArrayImgs.floats(W, H));
                io.github.superresolve.image.IntensityMap[] identity = new io.github.superresolve.image.IntensityMap[c];
                java.util.Arrays.fill(identity, io.github.superresolve.image.IntensityMap.IDENTITY);
                upscaleStage(st, in, new io.github.superresolve.image.RaiTileSink(planes, identity), p, part, units);
                st.release(); // the next stage gets the memory
                in = new io.github.superresolve.image.RaiTileSource(planes, identity);
            }
            done += units;
        }
    }

    private void upscaleStage(Network st, TileSource source, TileSink sink, TilePlan first, Progress progress, long units) {
        TilePlan p = first;
        while (true) {
            try {
                lastTileCount = run(st, source, sink, p, progress, units);
                lastPlan = p;
                return;
            } catch (OutOfMemoryError | RuntimeException e) {
                if (!isOutOfMemory(e)) throw e;
                st.release();
                TilePlan smaller = halve(p);
                if (smaller == null)
                    throw new ModelException(String.format(Locale.ROOT,
                            "Not enough memory to run %s even on tiles of %dx%d pixels (about %s each): close other "
                                    + "programs, or choose a smaller model or a lower scale.", name, p.tileW(), p.tileH(),
                            MemoryBudget.describe((long) (st.bytesPerPixel() * p.paddedPixels(margin(st)) * batch) + st.fixedBytes())), e);
                retries++;
                p = smaller;
            }
        }
    }

    /** Tiles of half the area (the longer side halved), or null below {@link TilePlan#MIN_TILE}. */
    static TilePlan halve(TilePlan p) {
        if (p.tileW() <= TilePlan.MIN_TILE && p.tileH() <= TilePlan.MIN_TILE) return null;
        return p.tileW() >= p.tileH() ? new TilePlan(Math.max(TilePlan.MIN_TILE, (p.tileW() + 1) / 2), p.tileH())
                : new TilePlan(p.tileW(), Math.max(TilePlan.MIN_TILE, (p.tileH() + 1) / 2));
    }

    /** Whether a failure is memory running out: the JVM's, or a native allocation ND4J reports. */
    static boolean isOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) return true;
            String m = t.getMessage();
            if (m == null) continue;
            String l = m.toLowerCase(Locale.ROOT);
            if (l.contains("bad_alloc") || l.contains("out of memory") || l.contains("failed to allocate")
                    || l.contains("cannot allocate") || l.contains("allocation failed")) return true;
        }
        return false;
    }

    /** Runs a stage over a plane in the tiles of {@code p}; returns the number of tiles. */
    private int run(Network st, TileSource source, TileSink sink, TilePlan p, Progress progress, long units) {
        TileGrid grid = new TileGrid(source.width(), source.height(), p.tileW(), p.tileH(), margin(st));
        List<TileGrid.Tile> tiles = grid.tiles();
        int pw = grid.paddedWidth(), ph = grid.paddedHeight(), m = grid.margin();
        int c = channels(), s = st.scale();
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
            float[] out = st.run(in, n, ph, pw);
            float[] one = n == 1 ? out : new float[outPer];
            for (int k = 0; k < n; k++) {
                TileGrid.Tile t = tiles.get(i + k);
                if (n > 1) System.arraycopy(out, k * outPer, one, 0, outPer);
                sink.write((long) t.x() * s, (long) t.y() * s, t.w() * s, t.h() * s, one, outW, outH, m * s, m * s);
            }
            done += n;
            progress.report(Math.min(units, Math.round((double) units * done / tiles.size())), units);
        }
        return tiles.size();
    }
}
