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
 * clipped to the type's range and, for integer types, rounded to the nearest integer.
 */
public final class RaiTileSink implements TileSink {

    private final List<RandomAccessibleInterval<? extends RealType<?>>> channels;
    private final IntensityMap[] maps;
    private final double min, max;
    private final boolean integer;

    public RaiTileSink(List<? extends RandomAccessibleInterval<? extends RealType<?>>> channels, IntensityMap[] maps) {
        if (maps.length != channels.size()) throw new IllegalArgumentException("One intensity map per channel.");
        this.channels = new ArrayList<>(channels);
        this.maps = maps.clone();
        RealType<?> t = channels.get(0).getType();
        this.integer = t instanceof AbstractIntegerType;
        this.min = integer ? t.getMinValue() : -Double.MAX_VALUE;
        this.max = integer ? t.getMaxValue() : Double.MAX_VALUE;
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
                    double v = m.denormalise(tile[row + x]);
                    RealType<?> t = cur.next();
                    if (integer) t.setReal(Math.rint(Math.max(min, Math.min(max, v))));
                    else t.setReal(v);
                }
            }
        }
    }
}
