package io.github.superresolve.exchange;

import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCard;

import java.util.Map;

/** The documentation (README.md) of an exported package: what the model is, its data, how to run it. */
final class Readme {

    private Readme() {
    }

    /**
     * The {@code ## Validation} section the format asks for (bioimageio.spec warns without one): the
     * model's held-out metrics, how they were measured, and how to measure it on one's own unseen data.
     */
    static String validation(ModelCard card) {
        int s = card.scale();
        StringBuilder b = new StringBuilder("## Validation\n\n");
        Map<String, Object> m = card.metrics();
        if (!m.isEmpty()) {
            b.append("Held-out metrics of the model (images not used in training; low-resolution inputs made by antialiased bicubic")
                    .append(" downsampling of the ground truth by ").append(s).append(", PSNR in dB, SSIM with a Gaussian window; ")
                    .append(s).append(" pixels cropped at the border unless said otherwise):\n\n");
            for (Map.Entry<String, Object> e : m.entrySet()) b.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            b.append('\n');
        } else {
            b.append("The model's card gives no held-out metrics.\n\n");
        }
        b.append("To validate it on your own unseen data, put ground-truth images (at the resolution you want out) in a folder and run")
                .append(" Super-Resolve's comparison, which makes the low-resolution inputs, runs this package and bicubic interpolation,")
                .append(" and reports MSE, PSNR and SSIM per method (and per image with `--per-image`):\n\n")
                .append("```\nbin/super-resolve compare --hr-dir truth/ --scale ").append(s)
                .append(" --methods bicubic,rdf.yaml --csv scores.csv\n```\n\n")
                .append("A network invents detail: without ground truth, degrade its output back (bicubic downsampling by ").append(s)
                .append(") and compare it with the input; differences beyond noise are invented structure.\n\n");
        return b.toString();
    }

    static String of(Model model, BioImageIoExport.InputData data, int radius, String spdx) {
        return of(model, data, radius, spdx, BioImageIoExport.Format.BIOIMAGEIO, model.card().name());
    }

    /** @param folderName the package folder's name (what deepImageJ's macro names when it is copied into Fiji's models folder) */
    static String of(Model model, BioImageIoExport.InputData data, int radius, String spdx, BioImageIoExport.Format format, String folderName) {
        boolean dij = format == BioImageIoExport.Format.DEEPIMAGEJ;
        ModelCard card = model.card();
        int s = card.scale();
        StringBuilder b = new StringBuilder();
        b.append("# ").append(card.name()).append("\n\n");
        b.append(card.summary()).append(".\n\n");
        if (!card.description().isBlank()) b.append(card.description()).append("\n\n");
        if (dij)
            b.append("Exported by Super-Resolve (a plugin for ImageJ and Fiji) as a package for deepImageJ, model description format ")
                    .append(DeepImageJDescription.FORMAT_VERSION).append(", weights in ONNX (operator set ").append(DeepImageJDescription.OPSET)
                    .append(", which every ONNX engine deepImageJ installs runs).\n\n");
        else
            b.append("Exported by Super-Resolve (a plugin for ImageJ and Fiji) as a BioImage Model Zoo package, model description format ")
                    .append(BioImageIoExport.FORMAT_VERSION).append(", weights in ONNX (operator set ").append(OnnxExport.OPSET).append(") and PyTorch (a state dict and its module).\n\n");
        b.append("## Network\n\n");
        b.append("SRResNet generator (Ledig et al. 2017): a 9x9 convolution and PReLU, ").append(card.config().blocks())
                .append(" residual blocks of two 3x3 convolutions of width ").append(card.config().width());
        if (card.config().residualScale() != 1) b.append(" scaled by ").append(card.config().residualScale());
        b.append(", a global skip, ").append(card.config().upsamplingStages()).append(" x2 upsampling stage(s) (")
                .append(card.config().upsampling() == io.github.superresolve.nn.GeneratorConfig.Upsampling.SUBPIXEL
                        ? "3x3 convolution, depth-to-space, PReLU" : "4x4 transposed convolution, PReLU")
                .append("), a 9x9 output convolution");
        if (card.config().bicubicSkip()) b.append(", plus the bicubically upsampled input (a fixed convolution and depth-to-space)");
        b.append(".");
        if (card.config().batchNorm()) b.append(" Batch-norm is folded into the convolutions.");
        if (card.stages() > 1) b.append(" Recursive: ").append(card.stages()).append(" x").append(card.config().scale())
                .append(" stages applied in turn, chained in one graph.");
        b.append("\n\nReceptive radius: ").append(radius).append(" input pixels (halo ").append(radius * s)
                .append(" output pixels): tiles need that much context on each side to match a whole-image run.\n\n");
        b.append("## Data\n\n");
        if (data == BioImageIoExport.InputData.UINT8)
            b.append("8-bit grey or RGB images: intensities divided by 255 before the network; the output multiplied by 255 and clipped to 0-255.\n\n");
        else
            b.append("16-bit images: each channel scaled so that its 0.1 and 99.9 percentiles become 0 and 1. The output stays in those units:")
                    .append(" multiply by (p99.9 - p0.1) and add p0.1 of the input to return to its intensities (Super-Resolve does this itself).\n\n");
        b.append("Pixel size: the output's pixels are ").append(s).append("x smaller in x and y (the output axes carry scale 1/").append(s).append(").\n\n");
        Map<String, Object> t = card.training();
        if (!t.isEmpty()) {
            b.append("## Training\n\n");
            for (Map.Entry<String, Object> e : t.entrySet()) b.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            b.append('\n');
        }
        b.append(validation(card));
        b.append("## Running it\n\n");
        b.append("- Super-Resolve: `bin/super-resolve upscale IMAGE -o OUT --model rdf.yaml --scale ").append(s)
                .append("` (or the package's zip), or *Plugins > Super-Resolve > Super-Resolve Image...* with the package as model file.\n");
        if (dij) {
            b.append("- deepImageJ 3 (Fiji): copy this folder into Fiji's `models` folder (or install the zip with *DeepImageJ Install Model*),")
                    .append(" open an image and run *DeepImageJ Run*, or in a macro:\n\n```\n")
                    .append(DeepImageJDescription.macroLine(folderName)).append("\n```\n\n")
                    .append("  deepImageJ needs its ONNX engine (*DeepImageJ Install Engines*: ONNX).\n");
        } else {
            b.append("- bioimageio.core and other consumers of the BioImage Model Zoo format read `rdf.yaml`; deepImageJ reads the package")
                    .append(" Super-Resolve writes for it (`export MODEL --format deepimagej`).\n");
            b.append("- PyTorch (BiaPy, bioimageio.core's PyTorch path): `weights.pt` (a state dict, `torch.load`) and the architecture in `")
                    .append(PyTorchExport.MODULE).append("`: `").append(PyTorchExport.CALLABLE).append("(**kwargs)` with the kwargs of `rdf.yaml`'s")
                    .append(" `weights.pytorch_state_dict.architecture`, then `load_state_dict`.\n");
        }
        b.append("- Any ONNX runtime: `weights.onnx`, input `input` and output `output`, float32 (batch, channel, y, x), normalised as above.\n\n");
        b.append("The test tensors (`test_input.npy`, `test_output.npy`) are a crop of a sample photograph and the output of Super-Resolve's own inference.\n\n");
        b.append("The sample tensors (`sample_input.png`, `sample_output.png`) are the same images as PNG")
                .append(data == BioImageIoExport.InputData.UINT8 ? " (8-bit).\n\n" : " (16-bit; the output taken back to the input's intensities).\n\n");
        b.append("## License\n\n").append(spdx).append(". ").append(card.license()).append('\n');
        return b.toString();
    }
}
