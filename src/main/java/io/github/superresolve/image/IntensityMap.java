package io.github.superresolve.image;

/**
 * Affine map between a channel's stored intensities and the normalised range the networks work in
 * ({@code norm = (value - low) / (high - low)}), and back, with clipping and rounding to the output
 * type's range.
 *
 * @param low   stored value mapped to 0
 * @param high  stored value mapped to 1
 */
public record IntensityMap(double low, double high) {

    public IntensityMap {
        if (!(high > low)) high = low + 1; // flat image: any positive span keeps values unchanged
    }

    public static final IntensityMap IDENTITY = new IntensityMap(0, 1);

    public float normalise(double v) {
        return (float) ((v - low) / (high - low));
    }

    public double denormalise(float n) {
        return low + n * (high - low);
    }
}
