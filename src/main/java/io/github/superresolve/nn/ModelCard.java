package io.github.superresolve.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model is: the {@code model-card.json} entry of a model file. Besides the architecture it
 * records the method (SRResNet, SRGAN, fftGAN, rGAN), the training data and recipe, held-out metrics
 * and the license, so that a model file explains itself.
 *
 * <p>Cards come from other people's files, so {@link #fromJson} bounds every value that sizes what is
 * later allocated, before anything is: the JSON itself ({@link Json}: depth, numbers, strings; the
 * entry is read at most 1 MB, {@link ModelZip}), whole numbers within {@code int} range, the
 * architecture's limits ({@link GeneratorConfig}: channels 1 or 3, scale 2 to 16, 0 to 256 blocks, width
 * 1 to 1024; 1 to 4 stages) and the network's size: at most {@link #MAX_PARAMETERS} values in all
 * ({@link #parameterCount()}, counted without building anything), so a card describing a network of
 * gigabytes is one sentence, not an attempt to load it.
 */
public record ModelCard(String name, String method, String description, GeneratorConfig config,
                        String license, Map<String, Object> training, Map<String, Object> metrics, int stages) {

    /** A single-stage model. */
    public ModelCard(String name, String method, String description, GeneratorConfig config,
                     String license, Map<String, Object> training, Map<String, Object> metrics) {
        this(name, method, description, config, license, training, metrics, 1);
    }

    public static final String FORMAT = "super-resolve-model";
    /**
     * Most parameters a model file may have: 64 million (256 MB of float32), 40 times the largest
     * shipped model (1.5 million) and above a 32-block, 256-wide network (38 million).
     */
    public static final long MAX_PARAMETERS = 64_000_000;
    public static final int FORMAT_VERSION = 1;

    public ModelCard {
        training = training == null ? new LinkedHashMap<>() : new LinkedHashMap<>(training);
        metrics = metrics == null ? new LinkedHashMap<>() : new LinkedHashMap<>(metrics);
        if (name == null || name.isBlank()) throw new IllegalArgumentException("A model needs a name.");
        if (method == null) method = "SRResNet";
        if (description == null) description = "";
        if (license == null) license = "unspecified";
        if (stages < 1 || stages > 4) throw new IllegalArgumentException("A model has 1 to 4 stages, not " + stages + ".");
    }

    /** Parameter-name prefix of stage {@code k} (1-based) of a recursive model. */
    public static String stagePrefix(int k) {
        return "stage" + k + "/";
    }

    /** Total upscaling factor: the stage's factor to the power of the number of stages. */
    public int scale() {
        int s = 1;
        for (int i = 0; i < stages; i++) s *= config.scale();
        return s;
    }

    public int channels() {
        return config.channels();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("format_version", FORMAT_VERSION);
        m.put("name", name);
        m.put("method", method);
        m.put("description", description);
        m.put("scale", scale());
        m.put("channels", config.channels());
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("type", "SRResNet");
        a.put("blocks", config.blocks());
        a.put("width", config.width());
        a.put("batch_norm", config.batchNorm());
        a.put("residual_scale", config.residualScale());
        a.put("bicubic_skip", config.bicubicSkip());
        a.put("upsampling", config.upsampling().name().toLowerCase());
        if (stages > 1) {
            a.put("stages", stages);
            a.put("stage_scale", config.scale());
        }
        m.put("architecture", a);
        m.put("normalization", "intensities scaled to [0, 1]: 8-bit and RGB by the type range, 16-bit and float by percentiles");
        m.put("license", license);
        m.put("training", training);
        m.put("metrics", metrics);
        return m;
    }

    public String toJson() {
        return Json.write(toMap());
    }

    /** Reads a card; throws {@link IllegalArgumentException} saying which field is wrong. */
    @SuppressWarnings("unchecked")
    public static ModelCard fromJson(String json) {
        Object o = Json.parse(json);
        if (!(o instanceof Map)) throw new IllegalArgumentException("model-card.json is not a JSON object.");
        Map<String, Object> m = (Map<String, Object>) o;
        if (!FORMAT.equals(m.get("format")))
            throw new IllegalArgumentException("model-card.json does not say \"format\": \"" + FORMAT + "\".");
        int version = integer(m, "format_version");
        if (version > FORMAT_VERSION)
            throw new IllegalArgumentException("model format version " + version + " is newer than this Super-Resolve understands (" + FORMAT_VERSION + "): update the plugin.");
        Object ao = m.get("architecture");
        if (!(ao instanceof Map)) throw new IllegalArgumentException("model-card.json has no \"architecture\" object.");
        Map<String, Object> a = (Map<String, Object>) ao;
        int stages = a.containsKey("stages") ? integer(a, "stages") : 1;
        int stageScale = stages > 1 ? integer(a, "stage_scale") : integer(m, "scale");
        GeneratorConfig c = new GeneratorConfig(integer(m, "channels"), stageScale, integer(a, "blocks"),
                integer(a, "width"), bool(a, "batch_norm"), number(a, "residual_scale"), bool(a, "bicubic_skip"),
                GeneratorConfig.Upsampling.parse(String.valueOf(a.getOrDefault("upsampling", "subpixel"))));
        ModelCard card = new ModelCard(string(m, "name"), optionalString(m, "method"), optionalString(m, "description"), c,
                optionalString(m, "license"), map(m.get("training")), map(m.get("metrics")), stages);
        long n = card.parameterCount();
        if (n > MAX_PARAMETERS)
            throw new IllegalArgumentException("model-card.json describes a network of " + millions(n) + " parameters, more than the "
                    + millions(MAX_PARAMETERS) + " a model may have.");
        return card;
    }

    private static String millions(long n) {
        return n >= 1_000_000_000 ? String.format(java.util.Locale.ROOT, "%.1f billion", n / 1e9)
                : String.format(java.util.Locale.ROOT, "%.0f million", n / 1e6);
    }

    /**
     * Number of values of the model's parameters, all stages: the sizes {@link SrResNet#paramShapes}
     * gives, counted without building the map (nor loading ND4J), so that listing models stays light.
     */
    public long parameterCount() {
        long c = config.channels(), w = config.width();
        boolean bn = config.batchNorm();
        long n = 81 * c * w + w + w; // conv_in, prelu_in
        long block = 2 * (9 * w * w + w) + w + (bn ? 8 * w : 0); // two 3x3 convs, a PReLU, two batch-norms
        n += config.blocks() * block;
        n += 9 * w * w + w + (bn ? 4 * w : 0); // mid_conv, mid_bn
        long up = config.upsampling() == GeneratorConfig.Upsampling.SUBPIXEL ? 9 * w * 4 * w + 4 * w : 16 * w * w + w;
        n += config.upsamplingStages() * (up + w); // and a PReLU each
        n += 81 * w * c + c; // conv_out
        return n * stages;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : null;
    }

    private static String string(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof String)) throw new IllegalArgumentException("model-card.json lacks the text field \"" + k + "\".");
        return (String) v;
    }

    /** A text field that may be absent (null), but not of another type. */
    private static String optionalString(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v != null && !(v instanceof String)) throw new IllegalArgumentException("model-card.json: \"" + k + "\" must be text.");
        return (String) v;
    }

    private static double number(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof Number)) throw new IllegalArgumentException("model-card.json lacks the number \"" + k + "\".");
        return ((Number) v).doubleValue();
    }

    private static int integer(Map<String, Object> m, String k) {
        double d = number(m, k);
        if (d != Math.rint(d)) throw new IllegalArgumentException("model-card.json: \"" + k + "\" must be a whole number.");
        if (Math.abs(d) > 1e9) throw new IllegalArgumentException("model-card.json: \"" + k + "\" is far too large.");
        return (int) d;
    }

    private static boolean bool(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof Boolean)) throw new IllegalArgumentException("model-card.json lacks the true/false field \"" + k + "\".");
        return (Boolean) v;
    }

    /** One line for listings: name, method, scale, channels and the held-out PSNR gain if known. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(name).append(": ").append(method).append(" x").append(scale()).append(stages > 1 ? " (" + stages + " stages of x" + config.scale() + ")" : "").append(", ")
                .append(channels() == 3 ? "RGB" : "grey").append(", ").append(config.describe());
        Object gain = metrics.get("psnr_gain_over_bicubic_db");
        if (gain instanceof Number) b.append(String.format(", +%.2f dB over bicubic", ((Number) gain).doubleValue()));
        return b.toString();
    }

    static List<String> requiredKeys() {
        return List.of("format", "format_version", "name", "scale", "channels", "architecture");
    }
}
