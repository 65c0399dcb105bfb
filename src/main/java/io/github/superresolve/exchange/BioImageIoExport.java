package io.github.superresolve.exchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCard;
import io.github.superresolve.nn.Npy;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a model as a BioImage Model Zoo package (model description format 0.5): {@code rdf.yaml},
 * {@code weights.onnx} ({@link OnnxExport}) and PyTorch weights ({@link PyTorchExport}: {@code weights.pt}
 * and its module), test input and output tensors ({@code .npy}) made by our own inference, the same as
 * PNG sample tensors ({@link SampleImages}), a cover (input beside output), a README as documentation
 * ({@link Readme}, with the Validation section the format asks for); into a folder and the same files
 * into a zip beside it. bioimageio.core and BiaPy read such packages. {@link Format#DEEPIMAGEJ} writes
 * the format 0.4.10 package deepImageJ reads instead ({@link DeepImageJDescription}: ONNX weights at
 * operator set 13, no PyTorch weights).
 *
 * <p>Pre- and postprocessing say what our inference does, for the data the model is meant for
 * ({@link InputData}): 8-bit and RGB images are divided by 255 ({@code scale_linear}) and the output is
 * multiplied back and clipped to 0..255; 16-bit images are scaled by their 0.1 and 99.9 percentiles
 * ({@code scale_range}), and the output stays in those normalised units (the format has no step that
 * inverts a percentile scaling; Super-Resolve maps it back when it runs the package). The output's
 * space axes reference the input's with scale 1/r, so a consumer can scale the calibration; the halo
 * is the receptive radius in output pixels.
 *
 * <p>An export writes and deletes only its own files ({@link ExportTarget}): a path with {@code ..}, a
 * plain file or a symbolic link in the folder's place, and a folder or zip holding anything but a
 * package Super-Resolve wrote (its rdf.yaml carries {@code config: super_resolve: exported_by}) are
 * refused; such a package is replaced only when asked to. Nothing is left half-written: the folder is
 * assembled under a temporary name and renamed, the zip written beside and renamed.
 */
public final class BioImageIoExport {

    /** Model description format written. */
    public static final String FORMAT_VERSION = "0.5.3";

    /** The data a package is described for: what its pre- and postprocessing expect. */
    public enum InputData {
        /** 8-bit grey or RGB: divided by 255, output multiplied back and clipped. */
        UINT8,
        /** 16-bit: 0.1 and 99.9 percentiles mapped to 0 and 1; output in those units. */
        UINT16;

        /** The default for a model: RGB models are for 8-bit photographs, grey ones for 16-bit microscopy. */
        public static InputData defaultFor(ModelCard card) {
            return card.channels() == 3 ? UINT8 : UINT16;
        }

        public static InputData parse(String s) {
            String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "8", "8-bit", "uint8" -> UINT8;
                case "16", "16-bit", "uint16" -> UINT16;
                default -> throw new IllegalArgumentException("Input data '" + s + "' is not known: use 8-bit or 16-bit.");
            };
        }
    }

    /** The project's GitHub account (its repository's owner): the packages' maintainer. */
    public static final String PROJECT_GITHUB_USER = "super-resolve";
    /** The project's repository, as the pom names it. */
    public static final String PROJECT_REPOSITORY = "https://github.com/super-resolve/super-resolve";

    /**
     * Tags of the specification's categories ({@code static/tag_categories.json} of bioimageio.spec:
     * modality, dims, content, framework, software, network, task), where one is true of our models,
     * and our own. No content tag is given (its list holds cells, nuclei, tissue...; our models are
     * trained on photographs and are for any content): the one warning left, on purpose.
     */
    static List<String> tags(ModelCard card) {
        return new ArrayList<>(new java.util.LinkedHashSet<>(List.of(
                "other", "2d", "pytorch", "imagej", "fiji", "resnet", "image-restoration",
                "super-resolution", card.method().toLowerCase(Locale.ROOT), "srresnet", "x" + card.scale(),
                card.channels() == 3 ? "rgb" : "grey", "onnx", "super-resolve")));
    }

    /**
     * The package's {@code id}: the model's name in the characters the format allows (lower-case
     * letters, digits, {@code _ - .}), e.g. {@code srresnet-x4}. The model zoo assigns its own on
     * upload; consumers such as JDLL need one before (its 0.5 reader fails without).
     */
    static String modelId(String name) {
        String id = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        return id.isEmpty() ? "super-resolve-model" : id;
    }

    /** Percentiles of the 16-bit normalisation (our inference's defaults). */
    public static final double LOW_PERCENTILE = 0.1, HIGH_PERCENTILE = 99.9;
    /** The {@code eps} of {@code scale_range}. */
    public static final double EPS = 1e-6;

    /** What was written. */
    public record Result(Path folder, Path zip, long onnxBytes, int testSize) {
    }

    private BioImageIoExport() {
    }

    /**
     * Writes the package of {@code model} into {@code folder} and {@code folder.zip}.
     *
     * @param license SPDX identifier, or null for the one the model's card starts with
     * @param replace replace a package Super-Resolve wrote there before (otherwise it is refused); any
     *                other folder or file is refused either way
     * @throws IllegalArgumentException one sentence when the folder or zip may not be written
     * @throws IOException              one sentence naming the folder when writing fails
     */
    public static Result export(Model model, Path folder, InputData data, String license, boolean replace) throws IOException {
        return export(model, folder, data, license, replace, Format.BIOIMAGEIO);
    }

    /** The kind of package written. */
    public enum Format {
        /** Model description format 0.5 with ONNX and PyTorch weights: bioimage.io's tools, bioimageio.core, BiaPy. */
        BIOIMAGEIO,
        /** Format 0.4.10 with ONNX weights at operator set 13: what deepImageJ 3.0/3.1 (through JDLL) reads and plans tiles of correctly. */
        DEEPIMAGEJ;

        public static Format parse(String s) {
            String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "bioimageio", "bioimage.io", "bioimage-io" -> BIOIMAGEIO;
                case "deepimagej" -> DEEPIMAGEJ;
                default -> throw new IllegalArgumentException("Export format '" + s + "' is not known: use bioimageio (model description 0.5,"
                        + " for bioimageio.core and BiaPy) or deepimagej (format 0.4, for deepImageJ).");
            };
        }
    }

    /**
     * Writes the package of {@code model} in {@code format} into {@code folder} and {@code folder.zip}.
     *
     * @see #export(Model, Path, InputData, String, boolean)
     */
    public static Result export(Model model, Path folder, InputData data, String license, boolean replace, Format format) throws IOException {
        ModelCard card = model.card();
        String spdx = license != null && !license.isBlank() ? license.trim() : spdxOf(card.license());
        if (spdx == null)
            throw new IllegalArgumentException("Model " + card.name() + " does not state its license as an SPDX identifier ('" + card.license()
                    + "'): give one with --license, e.g. --license MIT.");
        ExportTarget target = ExportTarget.check(folder, replace);
        int radius = model.generator().receptiveRadius();
        int s = card.scale(), c = card.channels();
        int minSize = 2 * radius + 8;
        int size = Math.max(64, (minSize + 7) / 8 * 8);
        float[] raw = TestImage.crop(c, size, data == InputData.UINT16);
        float[] norm = normalise(raw, c, size, data);
        float[] out = model.generator().run(norm.clone(), 1, size, size);
        float[] post = postprocess(out, data);

        Map<String, byte[]> files = new LinkedHashMap<>();
        boolean dij = format == Format.DEEPIMAGEJ;
        byte[] onnx = (dij ? OnnxExport.build(model, DeepImageJDescription.OPSET, DeepImageJDescription.IR_VERSION) : OnnxExport.build(model)).toByteArray();
        files.put("weights.onnx", onnx);
        if (!dij) { // deepImageJ's JDLL would take PyTorch weights to its Python engine; its package keeps to ONNX
            files.put(PyTorchExport.WEIGHTS, PyTorchExport.weights(model));
            files.put(PyTorchExport.MODULE, PyTorchExport.module());
        }
        files.put("test_input.npy", Npy.write(new long[]{1, c, size, size}, raw));
        files.put("test_output.npy", Npy.write(new long[]{1, c, (long) size * s, (long) size * s}, post));
        files.put("cover.png", cover(raw, post, c, size, s, data));
        boolean sixteen = data == InputData.UINT16;
        files.put("sample_input.png", SampleImages.png(raw, c, size, size, sixteen));
        files.put("sample_output.png", SampleImages.png(sixteen ? SampleImages.denormalised(out, raw, c, size, s) : post, c, size * s, size * s, sixteen));
        files.put("README.md", Readme.of(model, data, radius, spdx, format, folder.getFileName().toString()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String rdf = dij ? DeepImageJDescription.rdf(model, data, radius, spdx, minSize, files) : rdf(model, data, radius, spdx, minSize, files);
        files.put("rdf.yaml", rdf.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        target.write(files, replace);
        return new Result(target.folder, target.zip, onnx.length, size);
    }

    /**
     * Checks, before a model is loaded, that a package may be written to {@code folder} (and
     * {@code folder.zip}): refused when the path has a {@code ..}, names a file or a symbolic link, or
     * holds anything but a package Super-Resolve wrote, or such a package without {@code replace}.
     *
     * @throws IllegalArgumentException one sentence naming what is in the way
     */
    public static void checkTarget(Path folder, boolean replace) {
        ExportTarget.check(folder, replace);
    }

    /** The SPDX identifier a card's license text starts with ("MIT (weights). Trained on..." gives MIT), or null. */
    static String spdxOf(String license) {
        if (license == null) return null;
        Matcher m = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9.+-]*)").matcher(license);
        if (!m.find()) return null;
        String id = m.group(1);
        return id.equalsIgnoreCase("unspecified") || id.equalsIgnoreCase("unknown") ? null : id;
    }

    /**
     * The package's preprocessing applied as the format defines it: divide by 255, or scale by the
     * percentiles of each channel (NumPy's linear interpolation between order statistics, as
     * bioimageio.core computes them) with {@link #EPS}.
     */
    static float[] normalise(float[] raw, int channels, int size, InputData data) {
        float[] n = new float[raw.length];
        int plane = size * size;
        for (int ch = 0; ch < channels; ch++) {
            double lo = 0, span = 255;
            if (data == InputData.UINT16) {
                float[] v = java.util.Arrays.copyOfRange(raw, ch * plane, (ch + 1) * plane);
                lo = percentile(v, LOW_PERCENTILE);
                span = percentile(v, HIGH_PERCENTILE) - lo + EPS;
            }
            for (int i = ch * plane; i < (ch + 1) * plane; i++) n[i] = (float) ((raw[i] - lo) / span);
        }
        return n;
    }

    /** NumPy's default percentile (linear interpolation at index p/100 (n - 1) of the sorted values). */
    static double percentile(float[] values, double p) {
        float[] v = values.clone();
        java.util.Arrays.sort(v);
        double idx = p / 100 * (v.length - 1);
        int i = (int) Math.floor(idx);
        if (i >= v.length - 1) return v[v.length - 1];
        return v[i] + (idx - i) * (v[i + 1] - v[i]);
    }

    static float[] postprocess(float[] out, InputData data) {
        if (data == InputData.UINT16) return out;
        float[] p = new float[out.length];
        for (int i = 0; i < out.length; i++) p[i] = Math.max(0, Math.min(255, out[i] * 255f));
        return p;
    }

    // ---------------------------------------------------------------- rdf.yaml

    static String rdf(Model model, InputData data, int radius, String spdx, int minSize, Map<String, byte[]> files) throws IOException {
        ModelCard card = model.card();
        int s = card.scale(), c = card.channels();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", "model");
        r.put("format_version", FORMAT_VERSION);
        r.put("id", modelId(card.name()));
        r.put("name", card.name());
        r.put("description", oneLine(card.description().isBlank() || card.summary().contains(card.description())
                ? card.summary() : card.summary() + ". " + card.description()));
        r.put("authors", List.of(map("name", "Super-Resolve developers", "github_user", PROJECT_GITHUB_USER)));
        r.put("maintainers", List.of(map("name", "Super-Resolve developers", "github_user", PROJECT_GITHUB_USER)));
        r.put("cite", List.of(
                cite("Ledig et al. (2017): Photo-realistic single image super-resolution using a generative adversarial network. CVPR.", "10.1109/CVPR.2017.19"),
                cite("Lim et al. (2017): Enhanced deep residual networks for single image super-resolution. CVPR workshops.", "10.1109/CVPRW.2017.151")));
        r.put("license", spdx);
        r.put("documentation", "README.md");
        r.put("covers", List.of("cover.png"));
        r.put("tags", tags(card));
        r.put("git_repo", PROJECT_REPOSITORY);
        r.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());

        List<Object> inAxes = new ArrayList<>();
        inAxes.add(Map.of("type", "batch"));
        inAxes.add(channelAxis(c));
        for (String a : new String[]{"y", "x"}) {
            Map<String, Object> ax = new LinkedHashMap<>();
            ax.put("type", "space");
            ax.put("id", a);
            ax.put("size", map("min", minSize, "step", 1));
            ax.put("scale", 1.0);
            inAxes.add(ax);
        }
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("id", "input");
        in.put("description", data == InputData.UINT8
                ? "8-bit intensities (0-255), divided by 255 for the network."
                : "16-bit intensities, scaled per channel so that the 0.1 and 99.9 percentiles become 0 and 1.");
        in.put("axes", inAxes);
        in.put("test_tensor", file("test_input.npy", files));
        in.put("sample_tensor", file("sample_input.png", files));
        in.put("data", map("type", "float32", "range", List.of(0.0, data == InputData.UINT8 ? 255.0 : 65535.0)));
        in.put("preprocessing", List.of(data == InputData.UINT8
                ? map("id", "scale_linear", "kwargs", map("gain", 1.0 / 255, "offset", 0.0))
                : map("id", "scale_range", "kwargs", scaleRangeKwargs())));

        List<Object> outAxes = new ArrayList<>();
        outAxes.add(Map.of("type", "batch"));
        outAxes.add(channelAxis(c));
        for (String a : new String[]{"y", "x"}) {
            Map<String, Object> ax = new LinkedHashMap<>();
            ax.put("type", "space");
            ax.put("id", a);
            ax.put("size", map("tensor_id", "input", "axis_id", a));
            ax.put("scale", 1.0 / s);
            ax.put("halo", radius * s);
            outAxes.add(ax);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", "output");
        out.put("description", "The input upscaled " + s + "x" + (data == InputData.UINT8
                ? ", in 8-bit units (0-255, clipped)." : ", in the input's normalised units (0 and 1 at its 0.1 and 99.9 percentiles)."));
        out.put("axes", outAxes);
        out.put("test_tensor", file("test_output.npy", files));
        out.put("sample_tensor", file("sample_output.png", files));
        out.put("data", data == InputData.UINT8 ? map("type", "float32", "range", List.of(0.0, 255.0)) : map("type", "float32"));
        if (data == InputData.UINT8)
            out.put("postprocessing", List.of(map("id", "scale_linear", "kwargs", map("gain", 255.0, "offset", 0.0)),
                    map("id", "clip", "kwargs", map("min", 0.0, "max", 255.0))));

        r.put("inputs", List.of(in));
        r.put("outputs", List.of(out));
        r.put("weights", weights(card, files));
        // cover and documentation are plain paths in the format; as attachments they carry their sha256 too
        r.put("attachments", List.of(file("cover.png", files), file("README.md", files)));
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, Object> ours = new LinkedHashMap<>();
        ours.put("exported_by", ExportTarget.MARK + " " + version());
        ours.put("card", card.toMap());
        ours.put("input_data", data.name().toLowerCase(Locale.ROOT));
        ours.put("receptive_radius", radius);
        config.put("super_resolve", ours);
        r.put("config", config);
        return yaml().writeValueAsString(r);
    }

    /**
     * Both weights: PyTorch's state dict (the entry without a parent: the specification wants exactly
     * one) and ONNX, converted from the same parameters ({@code parent: pytorch_state_dict}).
     */
    private static Map<String, Object> weights(ModelCard card, Map<String, byte[]> files) {
        Map<String, Object> torch = new LinkedHashMap<>(file(PyTorchExport.WEIGHTS, files));
        Map<String, Object> arch = new LinkedHashMap<>(file(PyTorchExport.MODULE, files));
        arch.put("callable", PyTorchExport.CALLABLE);
        arch.put("kwargs", PyTorchExport.kwargs(card));
        torch.put("architecture", arch);
        torch.put("pytorch_version", PyTorchExport.PYTORCH_VERSION);
        torch.put("comment", "Written by Super-Resolve from the model's parameters (batch-norm folded).");
        Map<String, Object> onnx = new LinkedHashMap<>(file("weights.onnx", files));
        onnx.put("opset_version", OnnxExport.OPSET);
        onnx.put("parent", "pytorch_state_dict");
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("pytorch_state_dict", torch);
        w.put("onnx", onnx);
        return w;
    }

    /** The plugin's version, from its jar, or "development". */
    static String version() {
        String v = BioImageIoExport.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    static ObjectMapper yaml() {
        return new ObjectMapper(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                // a text that reads as a number stays a text (pytorch_version "1.13", a model named "2"): readers would see 1.13 or 2
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).build());
    }

    private static Map<String, Object> scaleRangeKwargs() {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("axes", List.of("y", "x"));
        k.put("min_percentile", LOW_PERCENTILE);
        k.put("max_percentile", HIGH_PERCENTILE);
        k.put("eps", EPS);
        return k;
    }

    /** A map keeping the order of its keys (the file reads in the order the format documents). */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    private static Map<String, Object> channelAxis(int c) {
        Map<String, Object> ax = new LinkedHashMap<>();
        ax.put("type", "channel");
        ax.put("channel_names", c == 3 ? List.of("red", "green", "blue") : List.of("intensity"));
        return ax;
    }

    static Map<String, Object> cite(String text, String doi) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", text);
        m.put("doi", doi);
        return m;
    }

    static Map<String, Object> file(String name, Map<String, byte[]> files) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", name);
        m.put("sha256", sha256(files.get(name)));
        return m;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    // ---------------------------------------------------------------- cover and files

    /**
     * The centre of the test input (enlarged, nearest neighbour) beside the same part of the output: 2:1
     * as the model zoo asks, at most 512 x 256 pixels (it asks for covers under 500 KB).
     */
    private static byte[] cover(float[] raw, float[] post, int c, int size, int s, InputData data) throws IOException {
        int part = Math.min(size, Math.max(1, 256 / s)), off = (size - part) / 2, w = part * s, ow = size * s;
        BufferedImage img = new BufferedImage(2 * w, w, BufferedImage.TYPE_INT_RGB);
        float[] shown = data == InputData.UINT8 ? raw : normalise(raw, c, size, data);
        double gain = data == InputData.UINT8 ? 1 : 255;
        for (int y = 0; y < w; y++)
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb(shown, c, size * size, (off + y / s) * size + off + x / s, gain));
                img.setRGB(w + x, y, rgb(post, c, ow * ow, (off * s + y) * ow + off * s + x, gain));
            }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(img, "png", b);
        return b.toByteArray();
    }

    private static int rgb(float[] v, int c, int plane, int i, double gain) {
        int r = clamp(v[i] * gain), g = c == 3 ? clamp(v[plane + i] * gain) : r, b = c == 3 ? clamp(v[2 * plane + i] * gain) : r;
        return (r << 16) | (g << 8) | b;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** The bundled sample photograph, cropped, as test input. */
    static final class TestImage {
        private TestImage() {
        }

        /**
         * A {@code size x size} crop of the sample photograph where it has the most detail, planar (channel, y, x):
         * RGB in 0..255, or its luminance; in 16-bit units (x 257) when {@code sixteen}.
         */
        static float[] crop(int channels, int size, boolean sixteen) throws IOException {
            BufferedImage img;
            try (InputStream in = BioImageIoExport.class.getClassLoader().getResourceAsStream("samples/coffee.png")) {
                if (in == null) throw new IOException("The sample photograph samples/coffee.png is missing from the plugin: reinstall Super-Resolve.");
                img = ImageIO.read(in);
            }
            if (img.getWidth() < size || img.getHeight() < size)
                throw new IOException("The sample photograph is smaller than the " + size + "x" + size + " test input this model needs.");
            // the crop with the most detail (sum of absolute differences to the right and lower
            // neighbours' green values), on a grid of 8 pixels: a cover that shows what the model does
            int x0 = 0, y0 = 0;
            long best = -1;
            for (int cy = 0; cy + size <= img.getHeight(); cy += 8)
                for (int cx = 0; cx + size <= img.getWidth(); cx += 8) {
                    long d = 0;
                    for (int y = cy; y < cy + size - 1; y++)
                        for (int x = cx; x < cx + size - 1; x++) {
                            int g = (img.getRGB(x, y) >> 8) & 255;
                            d += Math.abs(g - ((img.getRGB(x + 1, y) >> 8) & 255)) + Math.abs(g - ((img.getRGB(x, y + 1) >> 8) & 255));
                        }
                    if (d > best) {
                        best = d;
                        x0 = cx;
                        y0 = cy;
                    }
                }
            float[] v = new float[channels * size * size];
            int plane = size * size;
            double unit = sixteen ? 257 : 1;
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++) {
                    int p = img.getRGB(x0 + x, y0 + y);
                    int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
                    int i = y * size + x;
                    if (channels == 3) {
                        v[i] = (float) (r * unit);
                        v[plane + i] = (float) (g * unit);
                        v[2 * plane + i] = (float) (b * unit);
                    } else {
                        v[i] = (float) (Math.round(0.299 * r + 0.587 * g + 0.114 * b) * unit);
                    }
                }
            return v;
        }
    }
}
