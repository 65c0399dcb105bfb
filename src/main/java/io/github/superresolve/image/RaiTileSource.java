package io.github.superresolve.image;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessible;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import java.util.ArrayList;
import java.util.List;

/**
 * Tile source over ImgLib2 images (one 2-D image per channel), normalised per channel by an
 * {@link IntensityMap}; outside the image, pixels are mirrored (without repeating the edge pixel), so
 * that a network sees plausible context at the border.
 */
public final class RaiTileSource implements TileSource {

    private final List<RandomAccessibleInterval<? extends RealType<?>>> channels;
    private final List<RandomAccessible<? extends RealType<?>>> extended = new ArrayList<>();
    private final IntensityMap[] maps;
    private final int width, height;

    public RaiTileSource(List<? extends RandomAccessibleInterval<? extends RealType<?>>> channels, IntensityMap[] maps) {
        if (channels.isEmpty()) throw new IllegalArgumentException("No channels.");
        if (maps.length != channels.size()) throw new IllegalArgumentException("One intensity map per channel.");
        this.channels = new ArrayList<>(channels);
        this.maps = maps.clone();
        RandomAccessibleInterval<? extends RealType<?>> first = channels.get(0);
        this.width = (int) first.dimension(0);
        this.height = (int) first.dimension(1);
        for (RandomAccessibleInterval<? extends RealType<?>> c : channels) {
            if (c.dimension(0) != width || c.dimension(1) != height)
                throw new IllegalArgumentException("Channels differ in size.");
            extended.add(extend(c));
        }
    }

    private static <T extends RealType<?>> RandomAccessible<T> extend(RandomAccessibleInterval<T> rai) {
        // mirror-single needs at least 2 pixels per axis; a 1-pixel axis repeats its pixel
        if (rai.dimension(0) < 2 || rai.dimension(1) < 2) return Views.extendBorder(rai);
        return Views.extendMirrorSingle(rai);
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int channels() {
        return channels.size();
    }

    @Override
    public void read(long x0, long y0, int w, int h, float[] dst, int offset) {
        boolean inside = x0 >= 0 && y0 >= 0 && x0 + w <= width && y0 + h <= height;
        for (int c = 0; c < channels.size(); c++) {
            RandomAccessible<? extends RealType<?>> ra = inside ? channels.get(c) : extended.get(c);
            IntensityMap m = maps[c];
            Cursor<? extends RealType<?>> cur = Views.flatIterable(
                    Views.interval(ra, new long[]{x0, y0}, new long[]{x0 + w - 1, y0 + h - 1})).cursor();
            int o = offset + c * w * h;
            while (cur.hasNext()) dst[o++] = m.normalise(cur.next().getRealDouble());
        }
    }
}
