package io.github.superresolve.consistency;

/**
 * The consistency of one output plane with its input plane, as {@link ConsistencyAnalysis} measures it:
 * the least-squares intensity fit of the degraded output to the input, the two scores and the error map.
 *
 * @param gain     g of the fit input &asymp; g &middot; degraded + offset (0 when the degraded output is constant)
 * @param offset   the fit's offset, in the input's units
 * @param rse      resolution-scaled error: root mean square of input &minus; (g &middot; degraded + offset) over the
 *                 pixels compared, in the input's units (raw pixel values); 0 is perfect agreement
 * @param rsp      resolution-scaled Pearson coefficient of input and degraded output, from &minus;1 to 1; 1 is
 *                 perfect agreement up to gain and offset. NaN when it is undefined: the input or the
 *                 degraded output is constant over the pixels compared (or fewer than 2 pixels are compared)
 * @param pixels   how many input pixels were compared (those finite in the input and whose output pixels are finite)
 * @param errorMap |input &minus; (g &middot; degraded + offset)| per input pixel, {@code width * height} values row by
 *                 row, NaN at the pixels left out
 * @param width    input width
 * @param height   input height
 */
public record PlaneConsistency(double gain, double offset, double rse, double rsp, long pixels, float[] errorMap,
                               int width, int height) {

    /** Checks the map's size. */
    public PlaneConsistency {
        if (errorMap == null || errorMap.length != (long) width * height)
            throw new IllegalArgumentException("The error map must have " + width + "x" + height + " values.");
    }
}
