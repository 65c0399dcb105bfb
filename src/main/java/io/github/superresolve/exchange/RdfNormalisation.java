package io.github.superresolve.exchange;

import io.github.superresolve.image.IntensityMap;
import io.github.superresolve.image.Percentiles;
import io.github.superresolve.infer.IntensityRule;
import io.github.superresolve.io.Printable;
import io.github.superresolve.nn.ModelException;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import java.util.List;
import java.util.Map;

/**
 * A package's pre- and postprocessing as affine maps per channel. Preprocessing steps compose into
 * {@code norm = a value + b}: {@code scale_linear} (gain, offset), {@code scale_range} (percentiles of
 * the channel, all its slices and frames, as Super-Resolve computes them), {@code zero_mean_unit_variance}
 * (mean and standard deviation of the channel), {@code fixed_zero_mean_unit_variance}; {@code ensure_dtype}
 * and {@code clip} change nothing here (values reach the network as float; the output is clipped to the
 * image's type anyway). Postprocessing ({@code scale_linear}, {@code fixed_zero_mean_unit_variance},
 * {@code clip}, {@code ensure_dtype}) maps the output to stored values; without postprocessing the output
 * is taken to be in the input's normalised units and mapped back with the input's map (what a
 * super-resolution network's output means, and what Super-Resolve's own packages say of 16-bit data).
 * Steps that are not affine per channel (binarize, sigmoid, per-channel gains that differ, statistics of
 * the output) are refused with a sentence naming them; so are values that are not finite numbers, and
 * values that would leave the map undefined (a gain or standard deviation of 0, percentiles out of order).
 */
final class RdfNormalisation implements IntensityRule {

    /**
     * One processing step of a description.
     *
     * @param where where its kwargs are in the description ("inputs[0].preprocessing[0].kwargs"), for messages
     */
    record Step(String id, Map<String, Object> kwargs, String where) {
        Step(String id, Map<String, Object> kwargs) {
            this(id, kwargs, "kwargs");
        }

        /** The step's name as a message shows it. */
        String shownId() {
            return RdfNode.shown(id);
        }

        /** A finite number, or the same finite number for every channel; {@code def} when absent. */
        double number(String key, double def, String source) {
            Object v = kwargs.get(key);
            if (v == null) return def;
            if (v instanceof Number n && Double.isFinite(n.doubleValue())) return n.doubleValue();
            if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(x -> x instanceof Number n && Double.isFinite(n.doubleValue()))) {
                if (l.stream().allMatch(x -> ((Number) x).doubleValue() == ((Number) l.get(0)).doubleValue()))
                    return ((Number) l.get(0)).doubleValue(); // the same value for every channel
                throw new ModelException(source + ": the " + shownId() + " step's " + key + " differs per channel ("
                        + Printable.escape(l.size() > 8 ? l.subList(0, 8) + "..." : l)
                        + "); Super-Resolve normalises each channel alike for a package: set one value.");
            }
            throw new RdfNode(v, where + "." + key, source).wrong("a finite number");
        }
    }

    private final List<Step> pre, post;
    private final String source;

    private RdfNormalisation(List<Step> pre, List<Step> post, String source) {
        this.pre = pre;
        this.post = post;
        this.source = source;
    }

    /**
     * The package's rule; checks every step now, so that an unsupported one, or a value that would make
     * the map infinite or undefined (a gain or standard deviation of 0, percentiles out of order), is
     * reported before any image is read.
     *
     * @param source how messages name the description, already escaped
     */
    static RdfNormalisation of(List<Step> pre, List<Step> post, String source) {
        for (Step s : pre)
            switch (s.id()) {
                case "scale_linear", "scale_range", "zero_mean_unit_variance", "fixed_zero_mean_unit_variance", "clip", "ensure_dtype" -> {
                    Object ref = s.kwargs().get("reference_tensor");
                    if (s.id().equals("scale_range") && ref != null && !ref.equals("input"))
                        throw new ModelException(source + ": scale_range refers to another tensor (" + RdfNode.shown(ref) + "); Super-Resolve runs networks of one input.");
                    checkNumbers(s, source);
                    if (s.id().equals("scale_range")) {
                        double lo = s.number("min_percentile", 0, source), hi = s.number("max_percentile", 100, source);
                        if (lo < 0 || hi > 100 || lo >= hi)
                            throw new ModelException(source + ": the scale_range step's percentiles (" + RdfNode.number(lo) + ", " + RdfNode.number(hi)
                                    + ") are not two values from 0 to 100 in increasing order: " + RdfNode.FIX);
                    }
                }
                default -> throw new ModelException(source + " preprocesses its input with " + s.shownId()
                        + ", which Super-Resolve does not apply: it applies scale_linear, scale_range, zero_mean_unit_variance,"
                        + " fixed_zero_mean_unit_variance, clip and ensure_dtype.");
            }
        for (Step s : post)
            switch (s.id()) {
                case "scale_linear", "fixed_zero_mean_unit_variance", "clip", "ensure_dtype" -> checkNumbers(s, source);
                default -> throw new ModelException(source + " postprocesses its output with " + s.shownId()
                        + ", which Super-Resolve does not apply: it applies scale_linear, fixed_zero_mean_unit_variance, clip and ensure_dtype.");
            }
        return new RdfNormalisation(pre, post, source);
    }

    /** The step's numbers are finite, the same for every channel, and give an invertible map. */
    private static void checkNumbers(Step s, String source) {
        double gain = s.number("gain", 1, source), std = s.number("std", 1, source), eps = s.number("eps", 1e-6, source);
        s.number("offset", 0, source);
        s.number("mean", 0, source);
        if (s.id().equals("scale_linear") && gain == 0)
            throw new ModelException(source + ": the scale_linear step's gain is 0, which maps every value to one: " + RdfNode.FIX);
        if (s.id().equals("fixed_zero_mean_unit_variance") && std <= 0)
            throw new ModelException(source + ": the fixed_zero_mean_unit_variance step's std is " + RdfNode.number(std) + ", not a positive number: " + RdfNode.FIX);
        if (eps < 0) throw new ModelException(source + ": the " + s.shownId() + " step's eps is negative: " + RdfNode.FIX);
    }

    @Override
    public IntensityMap input(List<RandomAccessibleInterval<? extends RealType<?>>> planes) {
        double a = 1, b = 0; // norm = a value + b so far
        for (Step s : pre) {
            double g, o;
            double[] fixed = fixedAffine(s);
            switch (s.id()) {
                case "scale_linear", "fixed_zero_mean_unit_variance" -> {
                    g = fixed[0];
                    o = fixed[1];
                }
                case "scale_range" -> {
                    Percentiles.Result r = Percentiles.compute(planes, s.number("min_percentile", 0, source), s.number("max_percentile", 100, source));
                    double lo = a * r.low() + b, hi = a * r.high() + b; // percentiles follow an increasing affine map
                    g = 1 / (hi - lo + s.number("eps", 1e-6, source));
                    o = -lo * g;
                }
                case "zero_mean_unit_variance" -> {
                    double[] ms = meanAndStd(planes);
                    double mean = a * ms[0] + b, sd = Math.abs(a) * ms[1];
                    g = 1 / (sd + s.number("eps", 1e-6, source));
                    o = -mean * g;
                }
                default -> {
                    continue; // clip, ensure_dtype
                }
            }
            a = g * a;
            b = g * b + o;
        }
        return new IntensityMap(-b / a, (1 - b) / a);
    }

    @Override
    public IntensityMap output(IntensityMap input) {
        if (post.isEmpty()) return input;
        double a = 1, b = 0; // stored = a output + b
        for (Step s : post) {
            double[] f = fixedAffine(s);
            if (f == null) continue; // clip, ensure_dtype
            a = f[0] * a;
            b = f[0] * b + f[1];
        }
        return new IntensityMap(b, a + b);
    }

    /** {gain, offset} of a step that is the same affine map for every image, or null. */
    private double[] fixedAffine(Step s) {
        return switch (s.id()) {
            case "scale_linear" -> new double[]{s.number("gain", 1, source), s.number("offset", 0, source)};
            case "fixed_zero_mean_unit_variance" -> {
                double sd = s.number("std", 1, source);
                yield new double[]{1 / sd, -s.number("mean", 0, source) / sd};
            }
            default -> null;
        };
    }

    private static double[] meanAndStd(List<RandomAccessibleInterval<? extends RealType<?>>> planes) {
        double sum = 0, sq = 0;
        long n = 0;
        for (RandomAccessibleInterval<? extends RealType<?>> p : planes)
            for (RealType<?> t : Views.flatIterable(p)) {
                double v = t.getRealDouble();
                if (!Double.isFinite(v)) continue;
                sum += v;
                sq += v * v;
                n++;
            }
        double mean = n == 0 ? 0 : sum / n;
        return new double[]{mean, n == 0 ? 1 : Math.sqrt(Math.max(0, sq / n - mean * mean))};
    }
}
