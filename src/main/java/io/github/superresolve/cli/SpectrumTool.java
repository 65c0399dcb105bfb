package io.github.superresolve.cli;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import io.github.superresolve.eval.RadialSpectrum;
import io.github.superresolve.eval.SpectrumImages;
import io.github.superresolve.eval.SpectrumInput;
import io.github.superresolve.image.ImageFiles;
import io.github.superresolve.io.AtomicFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code super-resolve spectrum IN... -o DIR}: for each input image DIR/NAME_spectrum.png, its centred
 * log10 power spectrum ({@link SpectrumImages#logPower}, the same as the Fiji command's "FFT of" image)
 * scaled to 8 bits for viewing, with one grey scale for all inputs of a run (from the lowest 1st
 * percentile to the highest maximum), so the PNGs of a truth and its reconstructions compare by
 * brightness; and one table DIR/radial_spectrum.csv of the radial power spectra
 * ({@link RadialSpectrum#perPixel}): header {@code radius,power} for one input, {@code radius,NAME1,NAME2,...}
 * for several, radius in fractions of Nyquist at the bin centres. The current (first) plane of each
 * image, RGB as luminance, centre crop of at most --max-side. All inputs are read and checked before
 * anything is written; every file is written atomically.
 */
final class SpectrumTool {

    /** The command's name (its usage section in {@link Main#USAGE}). */
    static final String COMMAND = "spectrum";

    /** The command's options (also read by {@code super-resolve completion}). */
    @Command(name = "spectrum")
    static final class Options {
        @Parameters(paramLabel = "IN", arity = "0..*", description = "Images, or folders standing for the image files directly in them.")
        List<String> inputs = new ArrayList<>();

        @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Folder for NAME_spectrum.png per input and radial_spectrum.csv.")
        String output;

        @Option(names = "--bins", paramLabel = "N", defaultValue = "64", description = "Radial bins from 0 to Nyquist (4-4096). Default: ${DEFAULT-VALUE}.")
        int bins;

        @Option(names = "--max-side", paramLabel = "N", defaultValue = "1024", description = "Side of the centre crop analysed (at least 16). Default: ${DEFAULT-VALUE}.")
        int maxSide;
    }

    static final String CSV = "radial_spectrum.csv";

    private final PrintStream out;

    SpectrumTool(PrintStream out) {
        this.out = out;
    }

    /** One input's spectra. */
    private record Result(Path input, String name, SpectrumInput.Plane plane, double[] radial, int planes) {
    }

    int run(String[] argv) throws IOException {
        Options a = Args.parse(COMMAND, argv, new Options());
        if (a.inputs.isEmpty()) throw new Args.UsageException("Give at least one input image or folder: super-resolve spectrum IN... -o DIR.");
        String dirArg = a.output;
        if (dirArg == null) throw new Args.UsageException("Give the output folder with -o DIR.");
        int bins = a.bins, maxSide = a.maxSide;
        if (bins < 4 || bins > 4096) throw new Args.UsageException("--bins must be between 4 and 4096, not " + bins + ".");
        if (maxSide < 16) throw new Args.UsageException("--max-side must be at least 16, not " + maxSide + ".");

        List<Path> inputs = new ArrayList<>();
        for (String in : a.inputs) {
            Path p = Paths.get(in);
            if (Files.isDirectory(p)) inputs.addAll(ImageFiles.imagesIn(p)); // a folder: the images directly in it
            else inputs.add(p);
        }
        Map<String, Path> names = new HashMap<>();
        List<Result> results = new ArrayList<>();
        for (Path input : inputs) {
            String name = baseName(input);
            Path other = names.putIfAbsent(name, input);
            if (other != null)
                throw new IllegalArgumentException("Inputs " + other + " and " + input + " would both write " + name
                        + "_spectrum.png: rename one or run them separately.");
            ImagePlus imp = ImageFiles.open(input);
            SpectrumInput.Plane p = SpectrumInput.luminance(imp, maxSide, "Input " + input);
            results.add(new Result(input, name, p, RadialSpectrum.perPixel(p.values(), p.width(), p.height(), bins), imp.getStackSize()));
        }

        Path dir = ImageFiles.outputFolder(dirArg);
        // one grey scale for all images, so that brighter means more power in every PNG of a run
        List<float[]> images = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Result r : results) {
            float[] s = SpectrumImages.logPower(r.plane().values(), r.plane().width(), r.plane().height());
            double[] range = SpectrumImages.displayRange(s);
            lo = Math.min(lo, range[0]);
            hi = Math.max(hi, range[1]);
            images.add(s);
        }
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            Path png = dir.resolve(r.name() + "_spectrum.png");
            writePng(eightBit(images.get(i), r.plane(), lo, hi), png);
            out.println(r.input() + " -> " + png + " (" + r.plane().width() + "x" + r.plane().height()
                    + (r.planes() > 1 ? ", plane 1 of " + r.planes() : "") + ")");
        }
        Path csv = dir.resolve(CSV);
        String table = csv(results, bins);
        AtomicFile.write(csv, ".part", tmp -> Files.writeString(tmp, table, StandardCharsets.UTF_8));
        out.println("radial power spectra (" + bins + " bins) -> " + csv);
        if (results.size() > 1) {
            Result ref = results.get(0);
            out.println("power in the upper half of the frequencies relative to " + ref.name() + ":");
            for (Result r : results.subList(1, results.size()))
                out.printf(Locale.ROOT, "  %s: %.4f%n", r.name(), RadialSpectrum.highFrequencyRatio(r.radial(), ref.radial()));
        }
        return 0;
    }

    /** A spectrum image scaled linearly from [lo, hi] to 0-255. */
    static ImagePlus eightBit(float[] spectrum, SpectrumInput.Plane p, double lo, double hi) {
        FloatProcessor fp = new FloatProcessor(p.width(), p.height(), spectrum);
        fp.setMinAndMax(lo, hi);
        return new ImagePlus("spectrum", fp.convertToByteProcessor(true));
    }

    private static void writePng(ImagePlus imp, Path png) throws IOException {
        AtomicFile.write(png, ".png", tmp -> {
            if (!new FileSaver(imp).saveAsPng(tmp.toString()))
                throw new IOException("Could not write " + png + ": check free disk space and permissions.");
        });
    }

    private static String csv(List<Result> results, int bins) {
        StringBuilder b = new StringBuilder("radius");
        if (results.size() == 1) b.append(",power");
        else for (Result r : results) b.append(',').append(csvField(r.name()));
        b.append('\n');
        double[] radius = RadialSpectrum.binCentres(bins);
        for (int i = 0; i < bins; i++) {
            b.append(String.format(Locale.ROOT, "%.6f", radius[i]));
            for (Result r : results) b.append(String.format(Locale.ROOT, ",%.6g", r.radial()[i]));
            b.append('\n');
        }
        return b.toString();
    }

    /** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
    static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String baseName(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
