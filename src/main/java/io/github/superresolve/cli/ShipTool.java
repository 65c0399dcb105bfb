package io.github.superresolve.cli;

import io.github.superresolve.eval.Comparison;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCard;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.nn.ModelFile;
import io.github.superresolve.nn.WeightRounding;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code super-resolve models ship RUN.zip --out models/NAME.zip --name NAME [--measure DIR,...]}: copies a
 * trained model (or checkpoint) into a model file meant for others, with its card completed: name,
 * description, license, training data, and held-out scores measured here and now on each
 * {@code --measure} folder (and a free-text {@code --note} on the training, e.g. a learning-rate schedule) (the comparison protocol: centre crops of at most 512 pixels, inputs by
 * antialiased bicubic, border of {@code scale} pixels) against bicubic and Lanczos. The scores are keyed
 * by the folder's name ({@code test_psnr}, {@code test_bicubic_psnr}, …), so no number is typed by hand;
 * {@code _hf} is the fine-detail measure of {@code compare --spectrum} (power above half Nyquist relative to
 * the truth's, luminance), the number the GAN models are judged by.
 */
final class ShipTool {

    /** The command's name (its usage section in {@link Main#USAGE}). */
    static final String COMMAND = "models ship";

    /** The command's options (also read by {@code super-resolve completion}). */
    @Command(name = "ship")
    static final class Options {
        @Parameters(paramLabel = "RUN", arity = "0..1", description = "A trained model or checkpoint (RUN.zip, RUN.checkpoint.zip).")
        String run;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE.zip", description = "The model file to write, e.g. models/NAME.zip.")
        String out;

        @Option(names = "--name", paramLabel = "NAME", description = "The model's name. Default: the run's.")
        String name;

        @Option(names = "--description", paramLabel = "TEXT", description = "The card's description. Default: the run's.")
        String description;

        @Option(names = "--license", paramLabel = "TEXT", description = "The card's licence. Default: MIT weights, the training photographs' licences.")
        String license;

        @Option(names = "--data", paramLabel = "TEXT", description = "What it was trained on. Default: the run's, else the project's photographs.")
        String data;

        @Option(names = "--note", paramLabel = "TEXT", description = "A note on the training, kept in the card.")
        String note;

        @Option(names = "--measure", paramLabel = "DIR[,DIR]", description = "Score it, bicubic and Lanczos on each folder (comparison protocol) into the card (DIR_psnr...).")
        String measure;

        @Option(names = "--max-side", paramLabel = "N", defaultValue = "512", description = "Centre crop side of --measure. Default: ${DEFAULT-VALUE}.")
        int maxSide;

        @Option(names = "--mantissa-bits", paramLabel = "N", defaultValue = "23", description = "Round weights to N mantissa bits (1-23; 23 keeps float32 as it is), to ship a smaller zip. Default: ${DEFAULT-VALUE}.")
        int mantissaBits;

        @Option(names = "--overwrite", description = "Replace an existing model file.")
        boolean overwrite;
    }

    static final String DATA = "48 photographs from Debian wallpaper packages (lomiri-wallpapers-16.04/20.04, lxqt-themes,"
            + " plasma-workspace-wallpapers, mate-backgrounds), halved; scripts/fetch-training-data.sh";
    static final String LICENSE = "MIT (weights). Trained on photographs under CC-BY, CC-BY-SA, CC0, GPL-2+ and LGPL licenses"
            + " (see scripts/README.md).";

    private final PrintStream out;
    private final PrintStream err;

    ShipTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws IOException {
        Options a = Args.parse(COMMAND, argv, new Options());
        if (a.run == null)
            throw new Args.UsageException("Usage: super-resolve models ship RUN.zip --out models/NAME.zip --name NAME"
                    + " [--measure DIR[,DIR]] [--description TEXT] [--license TEXT] [--data TEXT] [--note TEXT] [--mantissa-bits N] [--overwrite]");
        Path in = Path.of(a.run);
        if (!Files.isRegularFile(in))
            throw new IllegalArgumentException("Model file " + in + " does not exist: give a trained model or checkpoint.");
        String outName = a.out;
        if (outName == null) throw new Args.UsageException("Give the shipped file with --out models/NAME.zip.");
        Path target = Path.of(outName);
        Model m = ModelFile.read(in);
        ModelCard c = m.card();
        String name = a.name != null ? a.name : c.name();
        Map<String, Object> training = new LinkedHashMap<>(c.training());
        training.put("data", a.data != null ? a.data : training.getOrDefault("data", DATA).toString());
        if (a.note != null) training.put("note", a.note);
        Map<String, Object> metrics = new LinkedHashMap<>(c.metrics());
        int maxSide = a.maxSide;
        int bits = a.mantissaBits;
        if (bits < 1 || bits > 23) throw new Args.UsageException("--mantissa-bits must be 1 to 23 (23 keeps float32 weights as they are).");
        if (!a.overwrite && Files.exists(target))
            throw new IllegalArgumentException("File " + target + " already exists: give another --out, or --overwrite to replace it.");
        Map<String, INDArray> params = m.params();
        Path measured = in;
        Path scratch = null;
        try {
            if (bits < 23) {
                // the weights shipped are the rounded ones: measure exactly those
                params = WeightRounding.round(m.params(), bits);
                training.put("weights", "float32 rounded to " + bits + " mantissa bits (models ship --mantissa-bits)");
                scratch = Files.createTempFile(target.toAbsolutePath().getParent(), ".ship-", ".zip");
                ModelFile.write(c, params, scratch, true);
                measured = scratch;
            }
            ModelCatalog catalog = null;
            for (String d : (a.measure == null ? "" : a.measure).split(",")) {
                if (d.isBlank()) continue;
                if (catalog == null) catalog = ModelFolders.catalog(err);
                measure(measured, c, name, Path.of(d.trim()), maxSide, metrics, catalog);
            }
        } finally {
            if (scratch != null) Files.deleteIfExists(scratch);
        }
        ModelCard card = new ModelCard(name, c.method(), a.description != null ? a.description : c.description(), c.config(),
                a.license != null ? a.license : LICENSE, training, metrics, c.stages());
        ModelFile.write(card, params, target, a.overwrite);
        out.println("Wrote " + target + " (" + Files.size(target) / 1024 + " KB): " + card.summary());
        return 0;
    }

    /** Scores the model, bicubic and Lanczos on {@code dir} and records them under the folder's name. */
    private void measure(Path model, ModelCard c, String name, Path dir, int maxSide, Map<String, Object> metrics, ModelCatalog catalog) {
        String key = dir.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        Comparison cmp = Comparison.load(dir, Comparison.Options.of(c.scale(), c.channels(), maxSide), err::println).withSpectra();
        Comparison.Row net = cmp.score(Comparison.method(model.toString(), catalog, c.channels()));
        Comparison.Row bic = cmp.score(Comparison.method("bicubic", catalog, c.channels()));
        Comparison.Row lan = cmp.score(Comparison.method("lanczos", catalog, c.channels()));
        metrics.put(key + "_set", dir.getFileName() + " (" + cmp.size() + " images, centre crops <= " + maxSide + ", "
                + (c.channels() == 3 ? "RGB" : "grey") + ", border " + c.scale() + " px, x" + c.scale() + ")");
        put(metrics, key + "_", net);
        put(metrics, key + "_bicubic_", bic);
        put(metrics, key + "_lanczos_", lan);
        metrics.put(key + "_psnr_gain_over_bicubic_db", round(net.psnr() - bic.psnr(), 2));
        out.printf(Locale.ROOT, "%s: %s %.2f dB / SSIM %.4f / MSE %.2f / HF %.3f; bicubic %.2f / %.4f / %.2f / %.3f;"
                        + " Lanczos %.2f / %.4f / %.2f / %.3f (%+.2f dB over bicubic)%n",
                dir, name, net.psnr(), net.ssim(), net.mse(), net.highFrequency(), bic.psnr(), bic.ssim(), bic.mse(), bic.highFrequency(),
                lan.psnr(), lan.ssim(), lan.mse(), lan.highFrequency(), net.psnr() - bic.psnr());
    }

    private static void put(Map<String, Object> metrics, String prefix, Comparison.Row r) {
        metrics.put(prefix + "psnr", round(r.psnr(), 2));
        metrics.put(prefix + "ssim", round(r.ssim(), 4));
        metrics.put(prefix + "mse", round(r.mse(), 2));
        // power above half Nyquist relative to the truth's (luminance), as compare --spectrum reports it
        metrics.put(prefix + "hf", round(r.highFrequency(), 4));
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
