package io.github.superresolve.infer;

/**
 * Tile core sizes for a plane, chosen from memory: the fewest padded pixels (each tile is read with
 * {@code margin} pixels of context on every side, so fewer, larger tiles waste less) such that a batch
 * of tiles fits the memory budget. Pure arithmetic, no native calls.
 *
 * <p>Why minimise padded pixels: a network's time per pixel is constant from ~192 x 192 up (measured,
 * see {@code nn.ForwardPass}), so the time of a plane is proportional to the pixels of its padded tiles.
 * At the x4 networks' margin of 40 pixels, a 512 x 512 image costs 2.16x its pixels in 3 x 3 tiles of
 * 192, 1.72x in 2 x 2 tiles of 256 and 1.34x as a single tile.
 *
 * @param tileW core width in input pixels
 * @param tileH core height in input pixels
 */
public record TilePlan(int tileW, int tileH) {

    /** Smallest core side a plan chooses (unless the plane is smaller). */
    public static final int MIN_TILE = 16;

    /**
     * @param bytesPerPixel native bytes per padded input pixel of a batch
     * @param budget        bytes a batch of tiles may hold
     * @param batch         tiles per network call
     */
    public static TilePlan choose(int width, int height, int margin, double bytesPerPixel, long budget, int batch) {
        if (width < 1 || height < 1) throw new IllegalArgumentException("Plane is empty: " + width + "x" + height + ".");
        double maxPadded = budget / (bytesPerPixel * Math.max(1, batch)); // padded pixels one tile may have
        long best = Long.MAX_VALUE;
        TilePlan plan = null;
        int maxNx = Math.max(1, (width + MIN_TILE - 1) / MIN_TILE);
        for (int nx = 1; nx <= maxNx; nx++) {
            int tw = (width + nx - 1) / nx;
            if (nx > 1 && (width + nx - 2) / (nx - 1) == tw) continue; // same width as fewer columns
            long pw = tw + 2L * margin;
            int maxH = (int) Math.min(height, Math.floor(maxPadded / pw) - 2L * margin);
            if (maxH < Math.min(MIN_TILE, height)) continue;
            int ny = (height + maxH - 1) / maxH;
            int th = (height + ny - 1) / ny; // rows spread evenly
            long cost = (long) nx * ny * pw * (th + 2L * margin);
            if (cost < best) {
                best = cost;
                plan = new TilePlan(tw, th);
            }
        }
        if (plan == null) plan = new TilePlan(Math.min(width, MIN_TILE), Math.min(height, MIN_TILE)); // over budget: retry decides
        return plan;
    }

    /** Padded input pixels of one tile. */
    public long paddedPixels(int margin) {
        return (tileW + 2L * margin) * (tileH + 2L * margin);
    }
}
