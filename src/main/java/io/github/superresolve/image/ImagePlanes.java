package io.github.superresolve.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.RealType;

import java.util.List;

/**
 * ImgLib2 views of ImageJ 1.x plane arrays, without copying: {@code byte[]} as unsigned 8-bit,
 * {@code short[]} as unsigned 16-bit, {@code float[]} as 32-bit float, and the {@code int[]} of an RGB
 * plane as three unsigned 8-bit channel views (red, green, blue). Writing to a view writes the plane,
 * except RGB: ImgLib2 7.1's ARGB channel views sign-extend values of 128 and more on writing and
 * corrupt the other channels, so write RGB results to separate 8-bit planes (as ImageUpscaler does).
 */
public final class ImagePlanes {

    private ImagePlanes() {
    }

    /** The channels of one plane: one view, or three for RGB. */
    public static List<RandomAccessibleInterval<? extends RealType<?>>> channels(Object pixels, int width, int height) {
        if (pixels instanceof byte[] b) return List.of(ArrayImgs.unsignedBytes(b, width, height));
        if (pixels instanceof short[] s) return List.of(ArrayImgs.unsignedShorts(s, width, height));
        if (pixels instanceof float[] f) return List.of(ArrayImgs.floats(f, width, height));
        if (pixels instanceof int[] i) {
            RandomAccessibleInterval<ARGBType> argb = ArrayImgs.argbs(i, width, height);
            return List.of(Converters.argbChannel(argb, 1), Converters.argbChannel(argb, 2), Converters.argbChannel(argb, 3));
        }
        throw new IllegalArgumentException("Unsupported pixel array " + (pixels == null ? "null" : pixels.getClass().getSimpleName()) + ".");
    }
}
