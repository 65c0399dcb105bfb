package io.github.superresolve.image;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.AbstractIntegerType;
import net.imglib2.view.Views;

import java.util.ArrayList;
import java.util.List;

/**
 * Tile sink into ImgLib2 images (one 2-D image per channel): values are denormalised per channel,
 * clipped to the type's range (for float, to the largest finite float: an interpolation's overshoot
 * or a network's output past 3.4e38 is stored as 3.4e38, as a 16-bit one past 65535 is stored as
 * 65535) and, for integer types, rounded to the nearest integer. Values the upscaler gives as NaN or
 * infinite are counted ({@link #nonFinite()}): the caller refuses such an output rather than write it.
 */
public final class RaiTileSink implements TileSink {

    private final List<RandomAccessibleInterval<? extends RealType<?>>> channels;
    private final IntensityMap[] maps;
    private final double min, max;
    private final boolean integer;
    private long nonFinite;

    public RaiTileSink(List<? extends RandomAccessibleInterval<? extends RealType<?>>> channels, IntensityMap[] maps) {
        if (maps.length != channels.size()) throw new IllegalArgumentException("One intensity map per channel.");
        this.channels = new ArrayList<>(channels);
        this.maps = maps.clone();
        RealType<?> t = channels.get(0).getType();
        this.integer = t instanceof AbstractIntegerType;
        this.min = integer ? t.getMinValue() : -Float.MAX_VALUE;
        this.max = integer ? t.getMaxValue() : Float.MAX_VALUE;
    }

    /** How many values written so far were NaN or infinite as the upscaler gave them. */
    public long nonFinite() {
        return nonFinite;
    }

    @Override
    public long width() {
        return channels.get(0).dimension(0);
    }

    @Override
    public long height() {
        return channels.get(0).dimension(1);
    }

    @Override
    public int channels() {
        return channels.size();
    }

    @Override
    public void write(long x0, long y0, int w, int h, float[] tile, int tileW, int tileH, int srcX, int srcY) {
        for (int c = 0; c < channels.size(); c++) {
            IntensityMap m = maps[c];
            Cursor<? extends RealType<?>> cur = Views.flatIterable(
                    Views.interval(channels.get(c), new long[]{x0, y0}, new long[]{x0 + w - 1, y0 + h - 1})).cursor();
            int base = c * tileW * tileH;
            for (int y = 0; y < h; y++) {
                int row = base + (srcY + y) * tileW + srcX;
                for (int x = 0; x < w; x++) {
                    float n = tile[row + x];
                    if (!Float.isFinite(n)) nonFinite++;
                    double v = m.denormalise(n);
                    RealType<?> t = cur.next();
                    if (integer) t.setReal(Math.rint(Math.max(min, Math.min(max, v))));
                    else t.setReal(Double.isFinite(v) ? Math.max(min, Math.min(max, v)) : v);
                }
            }
        }
    }
}
