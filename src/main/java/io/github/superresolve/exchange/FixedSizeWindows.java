package io.github.superresolve.exchange;

/**
 * Runs a network that accepts only inputs of one size (a fixed height and width in its ONNX graph, as
 * many deepImageJ-era packages have) on a tile of any size: the tile is cut into windows of exactly
 * that size, each with {@code overlap} pixels of context on every side (the tile's own pixels, or its
 * edge pixels repeated beyond it), and only each window's core is kept. With an overlap of at least the
 * network's receptive radius, the result equals one run on the whole tile (with edges repeated).
 */
final class FixedSizeWindows {

    /** One call of the network on a single fixed-size input. */
    interface Call {
        float[] run(float[] window);
    }

    private FixedSizeWindows() {
    }

    /**
     * @param in       planar (channel, y, x) values of one tile, {@code h x w}
     * @param fh       the network's input height
     * @param fw       the network's input width
     * @param overlap  context on each side of a window's core, in input pixels; cores are at least 1 pixel
     * @return the tile's output, planar, {@code h x scale} by {@code w x scale}
     */
    static float[] run(Call network, float[] in, int channels, int h, int w, int fh, int fw, int scale, int overlap) {
        int coreH = fh - 2 * overlap, coreW = fw - 2 * overlap;
        if (coreH < 1 || coreW < 1) throw new IllegalArgumentException("windows of " + fw + "x" + fh + " leave no core with an overlap of " + overlap);
        int oh = h * scale, ow = w * scale, ofh = fh * scale, ofw = fw * scale;
        float[] out = new float[channels * oh * ow];
        float[] window = new float[channels * fh * fw];
        for (int y0 = 0; y0 < h; y0 += coreH)
            for (int x0 = 0; x0 < w; x0 += coreW) {
                // the window whose core starts at (x0, y0), edge pixels repeated beyond the tile
                for (int c = 0; c < channels; c++)
                    for (int y = 0; y < fh; y++) {
                        int sy = Math.max(0, Math.min(h - 1, y0 - overlap + y));
                        for (int x = 0; x < fw; x++) {
                            int sx = Math.max(0, Math.min(w - 1, x0 - overlap + x));
                            window[(c * fh + y) * fw + x] = in[(c * h + sy) * w + sx];
                        }
                    }
                float[] r = network.run(window);
                if (r.length != channels * ofh * ofw)
                    throw new IllegalStateException("the network gave " + r.length + " values for a window, not " + channels * ofh * ofw);
                int ch = Math.min(coreH, h - y0) * scale, cw = Math.min(coreW, w - x0) * scale;
                for (int c = 0; c < channels; c++)
                    for (int y = 0; y < ch; y++)
                        System.arraycopy(r, (c * ofh + overlap * scale + y) * ofw + overlap * scale,
                                out, (c * oh + y0 * scale + y) * ow + x0 * scale, cw);
            }
        return out;
    }
}
