package io.github.superresolve.exchange;

import io.github.superresolve.nn.ModelException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What Super-Resolve reads of a bioimage.io model description (format 0.5, and 0.4's older spelling):
 * the ONNX weights, the input's channels, the output's scale and halo, and the pre- and postprocessing.
 * Only 2-d images of axes (batch, channel, y, x) are super-resolved; anything else gets a sentence saying so.
 *
 * @param radius receptive radius in input pixels from the output's halo, or -1 when the package gives none
 * @param scale  the output's size over the input's from the description, or 0 when it does not say
 */
record Rdf(String name, String onnxSource, int channels, int scale, int radius, RdfNormalisation normalisation) {

    @SuppressWarnings("unchecked")
    static Rdf of(Map<String, Object> d, String source) {
        if (d.get("type") != null && !"model".equals(d.get("type")))
            throw new ModelException(source + " describes a " + d.get("type") + ", not a model.");
        String name = d.get("name") instanceof String s ? s : source;
        Object weights = d.get("weights");
        if (!(weights instanceof Map<?, ?> w) || !(w.get("onnx") instanceof Map<?, ?> onnx) || !(onnx.get("source") instanceof String src)) {
            String has = weights instanceof Map<?, ?> w2 ? String.join(", ", ((Map<String, Object>) w2).keySet()) : "none";
            throw new ModelException(source + " has no ONNX weights (it has: " + has + "): Super-Resolve runs ONNX weights;"
                    + " convert the model to ONNX (e.g. torch.onnx.export) and add them to the package.");
        }
        if (src.contains("://")) throw new ModelException(source + " names its ONNX weights by URL (" + src + "): download the package with its files first.");
        Map<String, Object> in = first(d.get("inputs"), "inputs", source), out = first(d.get("outputs"), "outputs", source);
        List<String> inAxes = axes(in, source), outAxes = axes(out, source);
        if (!inAxes.equals(List.of("b", "c", "y", "x")) || !outAxes.equals(List.of("b", "c", "y", "x")))
            throw new ModelException(source + " has axes " + String.join("", inAxes) + " -> " + String.join("", outAxes)
                    + "; Super-Resolve runs 2-d networks of axes batch, channel, y, x.");
        int channels = channels(in);
        double scale = outputScale(out, in);
        int s = scale > 0 ? (int) Math.round(scale) : 0;
        if (scale > 0 && Math.abs(scale - s) > 1e-6)
            throw new ModelException(source + " scales by " + scale + "; Super-Resolve runs networks of a whole-number scale.");
        int halo = halo(out);
        int radius = halo < 0 ? -1 : (s > 0 ? (halo + s - 1) / s : halo);
        RdfNormalisation n = RdfNormalisation.of(steps(in.get("preprocessing"), source), steps(out.get("postprocessing"), source), source);
        return new Rdf(name, src, channels, s, radius, n);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> first(Object list, String key, String source) {
        if (!(list instanceof List<?> l) || l.isEmpty() || !(l.get(0) instanceof Map))
            throw new ModelException(source + " describes no " + key + ".");
        if (l.size() > 1) throw new ModelException(source + " has " + l.size() + " " + key + "; Super-Resolve runs networks of one image in and one out.");
        return (Map<String, Object>) l.get(0);
    }

    /** Axis letters: b, c, y, x, z, t, i. 0.5 lists axis objects; 0.4 writes a string such as "bcyx". */
    @SuppressWarnings("unchecked")
    private static List<String> axes(Map<String, Object> t, String source) {
        Object a = t.get("axes");
        List<String> l = new ArrayList<>();
        if (a instanceof String s) {
            for (char ch : s.toCharArray()) l.add(String.valueOf(ch));
            return l;
        }
        if (!(a instanceof List<?> list)) throw new ModelException(source + ": a tensor has no axes.");
        for (Object o : list) {
            Map<String, Object> ax = (Map<String, Object>) o;
            String type = String.valueOf(ax.get("type"));
            l.add(switch (type) {
                case "batch" -> "b";
                case "channel" -> "c";
                case "space" -> String.valueOf(ax.getOrDefault("id", "?"));
                case "time" -> "t";
                default -> "i";
            });
        }
        return l;
    }

    @SuppressWarnings("unchecked")
    private static int channels(Map<String, Object> in) {
        Object a = in.get("axes");
        if (a instanceof List<?> list) {
            Map<String, Object> c = (Map<String, Object>) list.get(1);
            if (c.get("channel_names") instanceof List<?> names) return names.size();
            if (c.get("size") instanceof Number n) return n.intValue();
        }
        if (in.get("shape") instanceof List<?> shape && shape.get(1) instanceof Number n) return n.intValue(); // 0.4, fixed
        if (in.get("shape") instanceof Map<?, ?> shape && shape.get("min") instanceof List<?> min && min.get(1) instanceof Number n
                && shape.get("step") instanceof List<?> step && step.get(1) instanceof Number st && st.intValue() == 0)
            return n.intValue();
        return 0;
    }

    /** Output size over input size: 0.5's axis scales (input's over output's), 0.4's shape scale; 0 if not said. */
    @SuppressWarnings("unchecked")
    private static double outputScale(Map<String, Object> out, Map<String, Object> in) {
        if (out.get("axes") instanceof List<?> list) {
            Map<String, Object> y = (Map<String, Object>) list.get(2);
            double so = y.get("scale") instanceof Number n ? n.doubleValue() : 1;
            double si = 1;
            if (in.get("axes") instanceof List<?> il && ((Map<String, Object>) il.get(2)).get("scale") instanceof Number n) si = n.doubleValue();
            return y.get("size") instanceof Map ? si / so : 0;
        }
        if (out.get("shape") instanceof Map<?, ?> shape && shape.get("scale") instanceof List<?> sc && sc.get(2) instanceof Number n)
            return n.doubleValue();
        return 0;
    }

    /** The halo of the output's y axis in output pixels, or -1. */
    @SuppressWarnings("unchecked")
    private static int halo(Map<String, Object> out) {
        if (out.get("axes") instanceof List<?> list) {
            int h = -1;
            for (int i = 2; i < list.size(); i++)
                if (((Map<String, Object>) list.get(i)).get("halo") instanceof Number n) h = Math.max(h, n.intValue());
            return h;
        }
        if (out.get("halo") instanceof List<?> h && h.size() == 4) {
            int m = -1;
            for (int i = 2; i < 4; i++) if (h.get(i) instanceof Number n) m = Math.max(m, n.intValue());
            return m;
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    private static List<RdfNormalisation.Step> steps(Object list, String source) {
        List<RdfNormalisation.Step> steps = new ArrayList<>();
        if (list == null) return steps;
        if (!(list instanceof List<?> l)) throw new ModelException(source + ": pre/postprocessing must be a list of steps.");
        for (Object o : l) {
            if (!(o instanceof Map<?, ?> m)) throw new ModelException(source + ": a processing step is not a mapping.");
            Object id = m.get("id") != null ? m.get("id") : m.get("name"); // 0.5: id, 0.4: name
            Object kw = m.get("kwargs");
            steps.add(new RdfNormalisation.Step(String.valueOf(id), kw instanceof Map ? (Map<String, Object>) kw : Map.of()));
        }
        return steps;
    }
}
