package io.github.superresolve.infer;

import io.github.superresolve.image.IntensityMap;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.util.List;

/**
 * How a model wants its input normalised and its output mapped back, when the model says so itself (a
 * bioimage.io package's pre- and postprocessing), in place of Super-Resolve's own rule (type range for
 * 8-bit and RGB, percentiles for 16-bit and float). Both are affine maps per channel.
 */
public interface IntensityRule {

    /** The map from stored intensities to the network's input, from all planes of one channel. */
    IntensityMap input(List<RandomAccessibleInterval<? extends RealType<?>>> planes);

    /** The map from the network's output back to stored intensities, given the channel's input map. */
    IntensityMap output(IntensityMap input);
}
