package io.github.superresolve.consistency;

/**
 * One row of a consistency report: the scores of one plane (channel, slice, frame) of a super-resolved
 * image against its input, as in the CSV ({@link ConsistencyCsv}) and a Results table.
 *
 * @param image   the output's name (its title without extension)
 * @param channel the channel: {@code 1}, {@code 2}... (1-based) for grey and multichannel images;
 *                {@code R}, {@code G}, {@code B} for the components of RGB, or {@code Y} for their luminance
 * @param slice   1-based slice (z)
 * @param frame   1-based frame (t)
 * @param rse     resolution-scaled error in the input's units (raw pixel values); see {@link PlaneConsistency#rse()}
 * @param rsp     resolution-scaled Pearson coefficient; NaN when undefined (see {@link PlaneConsistency#rsp()})
 * @param gain    fitted intensity gain
 * @param offset  fitted intensity offset, in the input's units
 * @param pixels  how many input pixels were compared
 */
public record ConsistencyRow(String image, String channel, int slice, int frame, double rse, double rsp, double gain,
                             double offset, long pixels) {
}
