package io.github.superresolve.exchange;

import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCard;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.github.superresolve.exchange.BioImageIoExport.cite;
import static io.github.superresolve.exchange.BioImageIoExport.map;

/**
 * The {@code rdf.yaml} of a package for deepImageJ: model description format 0.4.10, as deepImageJ
 * 3.0/3.1 read it through JDLL ({@code ModelDescriptorV04}, {@code TensorSpecV04}, {@code AxesV04},
 * {@code TileCalculator}, read in JDLL's sources; they could not be run here):
 * <ul>
 * <li>axes {@code bcyx}; input {@code shape} with {@code min} and {@code step} (JDLL plans a tile as
 * the image plus twice the input halo, rounded up to the step);</li>
 * <li>output {@code shape} with {@code reference_tensor}, {@code scale [1, 1, r, r]} and
 * {@code offset} (JDLL refuses an implicit shape without an offset), so the output's size is the input's
 * times r: the 0.4 rule, which JDLL also applies to 0.5 packages, where it is wrong;</li>
 * <li>{@code halo} per axis in output pixels, the receptive radius times r (JDLL divides it by the
 * scale for the input's halo);</li>
 * <li>pre- and postprocessing by 0.4's {@code name} and kwargs ({@code scale_range} with
 * {@code mode: per_sample} and {@code axes: xy});</li>
 * <li>only ONNX weights, at operator set {@link #OPSET}: JDLL runs ONNX models on the installed ONNX
 * Runtime closest above the operator set (ONNX Runtime 1.8 to 1.13, operator sets 13 to 18; on
 * Apple silicon only 17 and 18), so 13 runs on every one;</li>
 * <li>an {@code id} (JDLL's 0.5 reader fails without one; deepImageJ's macro finds a model by it),
 * {@code test_inputs}, {@code test_outputs}, {@code sample_inputs}, {@code sample_outputs}, a cover.</li>
 * </ul>
 * No {@code config: deepimagej} section: JDLL allows tiling when it is absent, and takes it as
 * forbidding tiling when present without {@code allow_tiling}.
 */
final class DeepImageJDescription {

    static final String FORMAT_VERSION = "0.4.10";
    /** The ONNX operator set of the package's weights. */
    static final int OPSET = 13;
    /** The ONNX IR version written with it (ONNX 1.8, the first with operator set 13). */
    static final int IR_VERSION = 7;

    private DeepImageJDescription() {
    }

    /** The deepImageJ macro line that runs the package on the open image, the package being in Fiji's models folder as {@code folderName}. */
    static String macroLine(String folderName) {
        return "run(\"DeepImageJ Run\", \"model_path=[" + folderName + "] input_path=null output_folder=null display_output=all\");";
    }

    static String rdf(Model model, BioImageIoExport.InputData data, int radius, String spdx, int minSize, Map<String, byte[]> files) throws IOException {
        ModelCard card = model.card();
        int s = card.scale(), c = card.channels();
        boolean eight = data == BioImageIoExport.InputData.UINT8;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("format_version", FORMAT_VERSION);
        r.put("type", "model");
        r.put("id", BioImageIoExport.modelId(card.name()));
        r.put("name", card.name());
        r.put("description", BioImageIoExport.oneLine(card.description().isBlank() || card.summary().contains(card.description())
                ? card.summary() : card.summary() + ". " + card.description()));
        r.put("authors", List.of(map("name", "Super-Resolve developers", "github_user", BioImageIoExport.PROJECT_GITHUB_USER)));
        r.put("maintainers", List.of(map("name", "Super-Resolve developers", "github_user", BioImageIoExport.PROJECT_GITHUB_USER)));
        r.put("cite", List.of(
                cite("Ledig et al. (2017): Photo-realistic single image super-resolution using a generative adversarial network. CVPR.", "10.1109/CVPR.2017.19"),
                cite("Lim et al. (2017): Enhanced deep residual networks for single image super-resolution. CVPR workshops.", "10.1109/CVPRW.2017.151")));
        r.put("license", spdx);
        r.put("git_repo", BioImageIoExport.PROJECT_REPOSITORY);
        r.put("documentation", "README.md");
        r.put("covers", List.of("cover.png"));
        List<String> tags = new java.util.ArrayList<>(BioImageIoExport.tags(card));
        tags.remove("pytorch");
        tags.add(tags.indexOf("fiji") + 1, "deepimagej");
        r.put("tags", tags);
        r.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        r.put("attachments", map("files", List.of("sample_input.png", "sample_output.png")));

        Map<String, Object> in = new LinkedHashMap<>();
        in.put("name", "input");
        in.put("description", eight
                ? "8-bit intensities (0-255), divided by 255 for the network."
                : "16-bit intensities, scaled per channel so that the 0.1 and 99.9 percentiles become 0 and 1.");
        in.put("axes", "bcyx");
        in.put("data_type", "float32");
        in.put("data_range", List.of(0.0, eight ? 255.0 : 65535.0));
        in.put("shape", map("min", List.of(1, c, minSize, minSize), "step", List.of(0, 0, 1, 1)));
        in.put("preprocessing", List.of(eight
                ? map("name", "scale_linear", "kwargs", map("gain", 1.0 / 255, "offset", 0.0))
                : map("name", "scale_range", "kwargs", map("mode", "per_sample", "axes", "xy",
                "min_percentile", BioImageIoExport.LOW_PERCENTILE, "max_percentile", BioImageIoExport.HIGH_PERCENTILE, "eps", BioImageIoExport.EPS))));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", "output");
        out.put("description", "The input upscaled " + s + "x" + (eight
                ? ", in 8-bit units (0-255, clipped)." : ", in the input's normalised units (0 and 1 at its 0.1 and 99.9 percentiles)."));
        out.put("axes", "bcyx");
        out.put("data_type", "float32");
        if (eight) out.put("data_range", List.of(0.0, 255.0));
        out.put("shape", map("reference_tensor", "input", "scale", List.of(1.0, 1.0, (double) s, (double) s), "offset", List.of(0, 0, 0, 0)));
        out.put("halo", List.of(0, 0, radius * s, radius * s));
        if (eight)
            out.put("postprocessing", List.of(map("name", "scale_linear", "kwargs", map("gain", 255.0, "offset", 0.0)),
                    map("name", "clip", "kwargs", map("min", 0.0, "max", 255.0))));

        r.put("inputs", List.of(in));
        r.put("outputs", List.of(out));
        r.put("test_inputs", List.of("test_input.npy"));
        r.put("test_outputs", List.of("test_output.npy"));
        r.put("sample_inputs", List.of("sample_input.png"));
        r.put("sample_outputs", List.of("sample_output.png"));
        Map<String, Object> onnx = new LinkedHashMap<>(BioImageIoExport.file("weights.onnx", files));
        onnx.put("opset_version", OPSET);
        r.put("weights", map("onnx", onnx));
        Map<String, Object> ours = new LinkedHashMap<>();
        ours.put("exported_by", ExportTarget.MARK + " " + BioImageIoExport.version());
        ours.put("card", card.toMap());
        ours.put("input_data", data.name().toLowerCase(Locale.ROOT));
        ours.put("receptive_radius", radius);
        r.put("config", map("super_resolve", ours));
        return BioImageIoExport.yaml().writeValueAsString(r);
    }
}
