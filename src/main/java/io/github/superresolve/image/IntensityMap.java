package io.github.superresolve.image;

/**
 * Affine map between a channel's stored intensities and the normalised range the networks work in
 * ({@code norm = (value - low) / (high - low)}), and back, with clipping and rounding to the output
 * type's range. Computed in double, so that no 32-bit value (up to 3.4e38) overflows on the way; a
 * normalised value beyond the float range (a value far outside a narrow low..high) becomes infinite,
 * which the upscaler's output then shows and {@code ImageUpscaler} refuses.
 *
 * @param low   stored value mapped to 0
 * @param high  stored value mapped to 1
 */
public record IntensityMap(double low, double high) {

    public IntensityMap {
        // flat image: any positive span keeps values unchanged, but it must survive being added to low
        // (3e38 + 1 == 3e38, and a zero span would make every value NaN)
        if (!(high > low)) high = low + Math.max(1, Math.abs(low) * 0x1p-20);
    }

    public static final IntensityMap IDENTITY = new IntensityMap(0, 1);

    public float normalise(double v) {
        return (float) ((v - low) / (high - low));
    }

    public double denormalise(float n) {
        return low + n * (high - low);
    }
}
