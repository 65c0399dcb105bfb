package io.github.superresolve.exchange;

import io.github.superresolve.io.Printable;
import io.github.superresolve.nn.ModelException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What Super-Resolve reads of a bioimage.io model description (format 0.5, and 0.4's older spelling):
 * the ONNX weights and their sha256, the input's channels, the output's scale and halo, and the pre-
 * and postprocessing. Only 2-d images of axes (batch, channel, y, x) are super-resolved; anything else
 * gets a sentence saying so.
 *
 * <p>A description is a stranger's text: every value read is type-checked ({@link RdfNode}), so a
 * number where a mapping belongs, an empty axis or a text where a number belongs is one sentence naming
 * the place ({@code inputs[0].axes[1]}); values are bounded before anything is sized by them: 1 or 3
 * channels, a whole-number scale from 1 to {@link #MAX_SCALE}, a receptive radius (the halo over the
 * scale) of at most {@link #MAX_RADIUS} input pixels.
 *
 * @param onnxSha256 the weights' sha256 (lower-case hexadecimal), or null when the description gives none
 * @param radius     receptive radius in input pixels from the output's halo, or -1 when the package gives none
 * @param scale      the output's size over the input's from the description, or 0 when it does not say
 */
record Rdf(String name, String onnxSource, String onnxSha256, int channels, int scale, int radius, RdfNormalisation normalisation) {

    /** Largest scale read: 16x is far beyond any super-resolution network. */
    static final int MAX_SCALE = 16;
    /** Largest receptive radius, in input pixels: a 256-pixel halo on each side already makes tiles of 512 pixels and more. */
    static final int MAX_RADIUS = 256;

    /**
     * Reads a parsed description.
     *
     * @param label how messages name the description ("/p/rdf.yaml", "/p/pkg.zip's rdf.yaml"), already escaped
     */
    static Rdf of(Map<String, Object> d, String label) {
        RdfNode root = RdfNode.root(d, label);
        RdfNode type = root.get("type");
        if (!type.absent() && !"model".equals(type.value())) {
            if (type.value() instanceof String s) throw new ModelException(label + " describes a " + Printable.escape(s) + ", not a model.");
            throw type.wrong("'model'");
        }
        String name = root.get("name").value() instanceof String s && !s.isBlank() ? Printable.escape(s.length() > 100 ? s.substring(0, 100) + "..." : s) : label;

        RdfNode weights = root.get("weights");
        if (weights.absent() || !(weights.value() instanceof Map<?, ?> w) || w.get("onnx") == null) {
            String has = weights.value() instanceof Map<?, ?> w2 && !w2.isEmpty()
                    ? Printable.escape(String.join(", ", w2.keySet().stream().map(String::valueOf).toList())) : "none";
            throw new ModelException(label + " has no ONNX weights (it has: " + has + "): Super-Resolve runs ONNX weights;"
                    + " convert the model to ONNX (e.g. torch.onnx.export) and add them to the package.");
        }
        RdfNode onnx = weights.get("onnx");
        String src = onnx.get("source").string();
        if (src.contains("://"))
            throw new ModelException(label + " names its ONNX weights by URL (" + Printable.escape(src) + "): download the package with its files first.");
        String sha = sha256(onnx.get("sha256"));

        RdfNode in = only(root.get("inputs"), "inputs"), out = only(root.get("outputs"), "outputs");
        List<String> inAxes = axes(in), outAxes = axes(out);
        if (!inAxes.equals(List.of("b", "c", "y", "x")) || !outAxes.equals(List.of("b", "c", "y", "x")))
            throw new ModelException(label + " has axes " + Printable.escape(String.join("", inAxes)) + " -> " + Printable.escape(String.join("", outAxes))
                    + "; Super-Resolve runs 2-d networks of axes batch, channel, y, x.");
        int channels = channels(in);
        if (channels != 0 && channels != 1 && channels != 3)
            throw new ModelException(label + " takes " + channels + " channels; Super-Resolve runs networks of 1 (grey) or 3 (RGB) channels.");
        double scale = outputScale(out, in);
        int s = scale > 0 ? (int) Math.min(Integer.MAX_VALUE, Math.round(scale)) : 0;
        if (scale > 0 && (Math.abs(scale - s) > 1e-6 || s < 1 || s > MAX_SCALE))
            throw new ModelException(label + " scales by " + RdfNode.number(scale) + "; Super-Resolve runs networks that enlarge by a whole number from 1 to "
                    + MAX_SCALE + ".");
        long halo = halo(out);
        long radius = halo < 0 ? -1 : (s > 0 ? (halo + s - 1) / s : halo);
        if (radius > MAX_RADIUS)
            throw new ModelException(label + " gives its output a halo of " + halo + " pixels, a receptive radius of " + radius + " input pixels,"
                    + " more than the " + MAX_RADIUS + " Super-Resolve tiles with: the halo is wrong, or the network sees too far to run in tiles.");
        RdfNormalisation n = RdfNormalisation.of(steps(in.get("preprocessing")), steps(out.get("postprocessing")), label);
        return new Rdf(name, src, sha, channels, s, (int) radius, n);
    }

    /** The weights' sha256, or null when not given; a value that is not 64 hexadecimal digits is refused. */
    private static String sha256(RdfNode sha) {
        if (sha.absent()) return null;
        if (!(sha.value() instanceof String h) || !h.matches("[0-9a-fA-F]{64}")) throw sha.wrong("a sha256 of 64 hexadecimal digits");
        return h.toLowerCase(java.util.Locale.ROOT);
    }

    /** The one tensor of inputs or outputs. */
    private static RdfNode only(RdfNode list, String key) {
        if (list.absent() || (list.value() instanceof List<?> l && l.isEmpty()))
            throw new ModelException(list.label() + " describes no " + key + ": " + RdfNode.FIX);
        int n = list.list().size();
        if (n > 1) throw new ModelException(list.label() + " has " + n + " " + key + "; Super-Resolve runs networks of one image in and one out.");
        RdfNode t = list.at(0);
        t.map();
        return t;
    }

    /** Axis letters: b, c, y, x, z, t, i. 0.5 lists axis objects; 0.4 writes a string such as "bcyx". */
    private static List<String> axes(RdfNode t) {
        RdfNode a = t.get("axes");
        List<String> l = new ArrayList<>();
        if (a.value() instanceof String s) {
            if (s.length() > 16) throw a.wrong("axes such as 'bcyx'");
            for (char ch : s.toCharArray()) l.add(String.valueOf(ch));
            return l;
        }
        if (a.absent()) throw new ModelException(a.label() + ": " + t.path() + " has no axes: " + RdfNode.FIX);
        int n = a.list().size();
        if (n > 16) throw a.wrong("a list of at most 16 axes");
        for (int i = 0; i < n; i++) {
            RdfNode ax = a.at(i);
            ax.map();
            l.add(switch (ax.get("type").string()) {
                case "batch" -> "b";
                case "channel" -> "c";
                case "space" -> ax.get("id").absent() ? "?" : ax.get("id").string();
                case "time" -> "t";
                default -> "i";
            });
        }
        return l;
    }

    /** The input's channels: 0.5's channel names or size, 0.4's fixed shape; 0 when not said. */
    private static int channels(RdfNode in) {
        RdfNode axes = in.get("axes");
        if (axes.value() instanceof List) {
            RdfNode c = axes.at(1);
            if (!c.get("channel_names").absent()) return (int) Math.min(Integer.MAX_VALUE, c.get("channel_names").list().size());
            RdfNode size = c.get("size");
            if (size.value() instanceof Number) return (int) size.whole(1, Integer.MAX_VALUE);
            return 0;
        }
        RdfNode shape = in.get("shape"); // 0.4: a fixed shape, or min and step
        if (shape.value() instanceof List) return (int) shape.at(1).whole(1, Integer.MAX_VALUE);
        if (shape.value() instanceof Map && !shape.get("min").absent() && !shape.get("step").absent()
                && shape.get("step").at(1).whole(0, Integer.MAX_VALUE) == 0)
            return (int) shape.get("min").at(1).whole(1, Integer.MAX_VALUE);
        return 0;
    }

    /** Output size over input size: 0.5's axis scales (input's over output's), 0.4's shape scale; 0 if not said. */
    private static double outputScale(RdfNode out, RdfNode in) {
        RdfNode axes = out.get("axes");
        if (axes.value() instanceof List) {
            double[] r = new double[2];
            for (int i = 2; i <= 3; i++) {
                RdfNode o = axes.at(i);
                if (!(o.get("size").value() instanceof Map)) return 0; // a fixed output size: the scale is measured
                double so = positive(o.get("scale")), si = in.get("axes").value() instanceof List ? positive(in.get("axes").at(i).get("scale")) : 1;
                r[i - 2] = si / so;
            }
            if (Math.abs(r[0] - r[1]) > 1e-6 * Math.max(r[0], r[1]))
                throw new ModelException(out.label() + " scales y by " + RdfNode.number(r[0]) + " and x by " + RdfNode.number(r[1])
                        + "; Super-Resolve runs networks that scale both alike.");
            return r[0];
        }
        RdfNode shape = out.get("shape");
        if (shape.value() instanceof Map && !shape.get("scale").absent()) {
            double y = positive(shape.get("scale").at(2)), x = positive(shape.get("scale").at(3));
            if (Math.abs(y - x) > 1e-6 * Math.max(y, x))
                throw new ModelException(out.label() + " scales y by " + RdfNode.number(y) + " and x by " + RdfNode.number(x)
                        + "; Super-Resolve runs networks that scale both alike.");
            return y;
        }
        return 0;
    }

    /** An axis scale: 1 when absent, else a positive finite number. */
    private static double positive(RdfNode scale) {
        if (scale.absent()) return 1;
        double v = scale.number();
        if (v <= 0) throw scale.wrong("a positive number");
        return v;
    }

    /** The largest halo of the output's space axes in output pixels, or -1. */
    private static long halo(RdfNode out) {
        RdfNode axes = out.get("axes");
        long h = -1;
        if (axes.value() instanceof List<?> list) {
            for (int i = 2; i < list.size(); i++) {
                RdfNode halo = axes.at(i).get("halo");
                if (!halo.absent()) h = Math.max(h, halo.whole(0, Integer.MAX_VALUE));
            }
            return h;
        }
        RdfNode halo = out.get("halo"); // 0.4: one per axis
        if (halo.absent()) return -1;
        for (int i = 2; i < 4; i++) h = Math.max(h, halo.at(i).whole(0, (long) MAX_RADIUS * MAX_SCALE));
        return h;
    }

    private static List<RdfNormalisation.Step> steps(RdfNode list) {
        List<RdfNormalisation.Step> steps = new ArrayList<>();
        if (list.absent()) return steps;
        int n = list.list().size();
        for (int i = 0; i < n; i++) {
            RdfNode step = list.at(i);
            step.map();
            RdfNode id = step.get("id").absent() ? step.get("name") : step.get("id"); // 0.5: id, 0.4: name
            if (id.absent()) throw step.get("id").wrong("the name of a processing step");
            RdfNode kw = step.get("kwargs");
            Map<String, Object> kwargs = kw.absent() ? Map.of() : kw.map();
            String name = id.string();
            if (name.equals("zero_mean_unit_variance") && "fixed".equals(kwargs.get("mode"))) {
                // 0.4 (deepImageJ-era packages): a fixed mean and std are 0.5's fixed_zero_mean_unit_variance, x -> (x - mean) / (std + eps)
                name = "fixed_zero_mean_unit_variance";
                Map<String, Object> k = new java.util.LinkedHashMap<>(kwargs);
                RdfNormalisation.Step s = new RdfNormalisation.Step(name, kwargs, kw.path());
                k.put("std", s.number("std", 1, kw.label()) + s.number("eps", 1e-6, kw.label()));
                k.remove("eps");
                kwargs = k;
            }
            steps.add(new RdfNormalisation.Step(name, kwargs, kw.path()));
        }
        return steps;
    }
}
