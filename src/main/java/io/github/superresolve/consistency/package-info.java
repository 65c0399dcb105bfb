/**
 * Where a super-resolved image can be trusted, without ground truth: the consistency of an output with
 * the input it was made from, as NanoJ-SQUIRREL reports it (Culley et al., "Quantitative mapping and
 * minimization of super-resolution optical imaging artifacts", <i>Nature Methods</i> 15, 263-266, 2018).
 *
 * <h2>The method</h2>
 * A network that super-resolves by r claims a detailed image whose low-resolution version is the input.
 * So the output is taken back to the input's resolution with a model of the degradation
 * ({@link io.github.superresolve.consistency.Degradation}): by default the antialiased bicubic
 * downscaling that made the models' training inputs, or a box (area mean), or a Gaussian blur of a given
 * sigma followed by the area mean (for microscopy, with sigma the point spread function's in output
 * pixels). A gain and an offset are fitted by least squares so that {@code gain * degraded + offset}
 * matches the input (the output may be in other units or scaled), and then, per plane:
 * <ul>
 *   <li><b>RSE</b>, the resolution-scaled error: the root mean square of
 *   {@code input - (gain * degraded + offset)}, in the input's raw pixel units (e.g. grey levels of 0-255
 *   for 8-bit and RGB). 0 means the output explains the input perfectly. Compare it with the input's noise
 *   and range: an RSE near the noise level is as good as it gets.</li>
 *   <li><b>RSP</b>, the resolution-scaled Pearson coefficient of input and degraded output, from -1 to 1.
 *   Close to 1 (0.99 and more for good interpolation and fidelity-trained networks) means the output
 *   contains the input's structure; lower means structure was lost, moved or invented. Unaffected by gain
 *   and offset. NaN means undefined: the input or the degraded output is constant, so there is nothing to
 *   correlate.</li>
 *   <li>The <b>error map</b>: {@code |input - (gain * degraded + offset)|} per input pixel. Bright regions are
 *   where the output disagrees with its data: detail a network drew that the input does not support
 *   (the texture a GAN paints), or structure it removed. Dark regions are consistent. Consistency is
 *   necessary, not sufficient: an output can agree with the input and still be wrong in detail finer
 *   than the input's pixels (that is what super-resolution guesses); a bright region, however, is a
 *   definite disagreement with the data.</li>
 * </ul>
 * The fit is global, one gain and offset per plane: a large region that disagrees strongly (a texture
 * far outside the input's range) also tilts the fit a little and so raises the map slightly everywhere,
 * as in SQUIRREL; the region itself still stands out. Near the border of a disagreeing region the map
 * spreads by the degradation kernel's reach (none for {@code box}, 2 input pixels for {@code bicubic},
 * 4 sigma output pixels for {@code gaussian:SIGMA}).
 *
 * <p>The scores depend on the degradation chosen: with the wrong one even a faithful output shows errors
 * at edges. Use the same degradation when comparing methods. Intensity scaling of an output
 * ({@code a * output + b}, a &ne; 0) changes neither RSE nor RSP, because every degradation is linear and
 * keeps constants and the fit absorbs a and b.
 *
 * <h2>The classes</h2>
 * {@link io.github.superresolve.consistency.ConsistencyAnalysis} analyses one float plane and gives a
 * {@link io.github.superresolve.consistency.PlaneConsistency}; {@link io.github.superresolve.consistency.ImageConsistency}
 * analyses whole ImageJ images (every channel, slice and frame; RGB per component or as luminance) into a
 * {@link io.github.superresolve.consistency.ConsistencyReport} of {@link io.github.superresolve.consistency.ConsistencyRow}s
 * and a calibrated 32-bit map, and enlarges maps onto the output; {@link io.github.superresolve.consistency.ConsistencyCsv}
 * writes rows as CSV, atomically. None of them has a user interface; the command line, the Fiji commands
 * and the Spark job use them. Depends on {@code image} and {@code io}.
 */
package io.github.superresolve.consistency;
