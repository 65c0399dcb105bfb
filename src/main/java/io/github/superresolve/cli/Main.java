package io.github.superresolve.cli;

import io.github.superresolve.nn.ModelException;

import io.github.superresolve.io.Printable;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * {@code super-resolve}: the command-line tool. Subcommands: upscale, train, compare, spectrum, models, export, bench, demo, imagej.
 * Exit codes: 0 success, 1 a job failed, 2 bad command line. Errors are one sentence on stderr.
 */
public final class Main {

    static final String USAGE = String.join("\n",
            "Usage: super-resolve COMMAND [OPTIONS]",
            "",
            "Commands:",
            "  upscale IN... -o DIR [--model NAME|FILE|bicubic|lanczos] [--scale N (default: the model's own)] [--tile N|auto]",
            "                [--memory SIZE|auto]",
            "                [--overlap N] [--batch N] [--bit-depth same|32] [--normalization auto|percentile|none] [--overwrite]",
            "          Super-resolves each input image into DIR under the same name (TIFF keeps TIFF, PNG keeps PNG,",
            "          other formats and 32-bit results are written as TIFF). An input folder stands for the image",
            "          files directly in it (.tif .tiff .png .jpg .jpeg .gif .bmp, by name). Existing outputs are",
            "          skipped unless --overwrite; an input is never overwritten. Tiles are chosen so that a network",
            "          holds at most --memory (default: the least of 1 GB, 1/4 of RAM and 1/2 of the RAM free; e.g.",
            "          --memory 800M); when memory runs out anyway the image is restarted with smaller tiles.",
            "  train   --hr-dir DIR --out FILE.zip [--val-dir DIR] [--scale 2|4|8] [--channels 1|3] [--steps N (2000)]",
            "          [--recipe fast|study] [--from MODEL] [--resume] [--method srresnet|srgan|fftgan|rgan]",
            "          [--discriminator-filter none|highpass|highpass-fine|band|strong|fft] [--conditional] [...]",
            "          Trains a network on the images under DIR (recursively): pixel MSE (srresnet), or MSE plus an",
            "          adversarial loss against a convolutional (srgan) or Fourier-magnitude (fftgan) discriminator,",
            "          usually fine-tuning --from an SRResNet; rgan (--scale 4 --from a x2 model) trains a second x2",
            "          stage on the first one's outputs. Writes FILE.zip, its checkpoint FILE.checkpoint.zip,",
            "          FILE.log.csv and FILE.log.png. Ctrl-C saves a checkpoint; --resume continues it (on either",
            "          --engine). 'super-resolve train --help' describes every option and its default (the",
            "          defaults Train on Folder... shares).",
            "  compare --hr-dir DIR | --hr FILE... [--scale N[,M...]] [--methods bicubic,lanczos,MODEL,...] [--channels 1|3]",
            "          [--max-side 512] [--luminance] [--data-range R] [--per-image] [--spectrum] [--csv FILE]",
            "          [--montage FILE.png] [--montage-side 160]",
            "          Scores methods on ground-truth images: centre crops (sides a multiple of the scale), inputs by",
            "          antialiased bicubic stored in the image's type, results as Super-Resolve Image makes them,",
            "          border = scale. Prints Table 1 (methods as columns; MSE, PSNR, SSIM per scale); MSE in the",
            "          image's units (0-255 for 8-bit/RGB), data range of the type unless --data-range. CSV columns:",
            "          image,method,scale,mse,psnr,ssim,rse,rsp,hf with 'mean' rows. Default methods: bicubic, Lanczos and every",
            "          installed model of that scale and channel count. --spectrum adds radial power spectra and",
            "          each method's high-frequency power relative to the truth; --montage the busiest crop side by side.",
            "  compare --reference REF --test FILE... [--border N] [--luminance] [--data-range R] [--csv FILE]",
            "          Scores finished results (already super-resolved) against a reference: per channel and mean.",
            "  spectrum IN... -o DIR [--bins N] [--max-side N]",
            "          Fourier spectra: DIR/NAME_spectrum.png (centred log power spectrum, 8-bit for viewing) per",
            "          input and DIR/radial_spectrum.csv (radial power per pixel, one column per input, radius as",
            "          a fraction of Nyquist). RGB as luminance; centre crop of at most --max-side (default 1024).",
            "  models  Lists the models found, with their cards.",
            "  models ship RUN.zip --out models/NAME.zip --name NAME [--measure DIR[,DIR]] [--note T] [--data T]",
            "          Copies a trained model or checkpoint into a model file for others, card completed; --measure",
            "          scores it, bicubic and Lanczos on each folder (comparison protocol) into the card (DIR_psnr...).",
            "  export  MODEL -o DIR [--format bioimageio|deepimagej] [--input-data 8-bit|16-bit] [--license SPDX] [--replace]",
            "          Writes the model as a BioImage Model Zoo package into DIR and DIR.zip: bioimageio (rdf.yaml",
            "          format 0.5, ONNX and PyTorch weights, for bioimageio.core and BiaPy) or deepimagej (format",
            "          0.4.10, ONNX at opset 13, for deepImageJ 3.0/3.1 and JDLL); test tensors made by our inference,",
            "          samples, cover, README. --input-data: the data its pre/postprocessing describe (default: 8-bit",
            "          for RGB models, 16-bit percentile scaling for grey ones).",
            "  bench   --model NAME|FILE|srresnet-16x64-x4[-fast][-bn] [--size N] [--repeats N] [--warmup N] [--json] [--train]",
            "          Times one forward pass of a 1 x C x N x N input: median seconds, output megapixels/s,",
            "          GFLOP/s and peak memory. --train times training steps (batch 16 of 96x96 patches) on",
            "          --engine eager (default) or samediff; --profile adds the eager step's time per op.",
            "  bench   --soak N",
            "          N super-resolutions in one JVM mixing models, scales and image types as a Fiji user would;",
            "          prints resident memory after each and the last against the first.",
            "  demo    [-o DIR] [--model NAME] [--scale N]",
            "          Downscales the bundled sample photo, super-resolves it back and prints PSNR/SSIM against",
            "          bicubic; writes the images to DIR (default: demo-output).",
            "  imagej  [ARGS...]  Starts ImageJ 1.x with Super-Resolve in its Plugins menu (e.g. -batch macro.ijm).",
            "  completion",
            "          Prints a bash completion script for the commands and their options: source it, e.g.",
            "          bin/super-resolve completion > ~/.super-resolve-completion; . ~/.super-resolve-completion",
            "  help    This text. COMMAND --help: that command's part of it and its options.",
            "",
            "Environment: OMP_NUM_THREADS (threads, default all cores), SUPER_RESOLVE_MODELS (extra model folders).");

    private Main() {
    }

    /** A command's part of {@link #USAGE}: from its line up to the next command's ("models ship" has its own). */
    static String section(String command) {
        List<String> lines = List.of(USAGE.split("\n"));
        StringBuilder b = new StringBuilder();
        boolean in = false;
        for (String line : lines) {
            boolean commandLine = line.startsWith("  ") && !line.startsWith("   ");
            if (commandLine) {
                String rest = line.substring(2);
                in = rest.equals(command) || rest.startsWith(command + " ")
                        && !(command.equals("models") && rest.startsWith("models ship"));
            } else if (line.isEmpty() || line.startsWith("Environment")) {
                in = false;
            }
            if (in) b.append(line.strip()).append('\n');
        }
        return b.toString().strip();
    }

    public static void main(String[] args) {
        io.github.superresolve.image.ImageFiles.quietReaders = true; // our one sentence per bad file, not ImageJ's too
        // control characters in names and texts from other people's files never reach the terminal as they are
        PrintStream out = SafeTerminal.over(java.io.FileDescriptor.out, "sun.stdout.encoding");
        PrintStream err = SafeTerminal.over(java.io.FileDescriptor.err, "sun.stderr.encoding");
        System.setOut(out);
        System.setErr(err);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs a command line and returns the exit code (for tests, which must not exit the JVM). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if ((args[0].equals("imagej") || args[0].equals("completion")) && rest.length == 1
                && (rest[0].equals("--help") || rest[0].equals("-h"))) {
            out.println("Usage: super-resolve " + section(args[0]));
            return 0;
        }
        try {
            return switch (args[0]) {
                case "upscale" -> new UpscaleTool(out, err).run(rest);
                case "models" -> rest.length > 0 && rest[0].equals("ship")
                        ? new ShipTool(out, err).run(Arrays.copyOfRange(rest, 1, rest.length))
                        : new ModelsTool(out, err).run(rest);
                case "bench" -> new BenchTool(out, err).run(rest);
                case "demo" -> new DemoTool(out, err).run(rest);
                case "train" -> new TrainTool(out, err).run(rest);
                case "compare" -> new CompareTool(out, err).run(rest);
                case "spectrum" -> new SpectrumTool(out).run(rest);
                case "export" -> new ExportTool(out, err).run(rest);
                case "imagej" -> ImageJTool.run(rest);
                case "completion" -> {
                    out.print(Completion.bash());
                    yield 0;
                }
                default -> throw new Args.UsageException("Unknown command '" + args[0] + "': use upscale, train, compare, spectrum, models, export, bench, demo, imagej or completion.");
            };
        } catch (Args.HelpRequested e) {
            out.print(e.getMessage());
            return 0;
        } catch (Args.UsageException e) {
            err.println("super-resolve: " + Printable.escape(e.getMessage()));
            return 2;
        } catch (ModelException | IllegalArgumentException e) {
            err.println("super-resolve: " + Printable.escape(e.getMessage()));
            return 1;
        } catch (CancellationException e) {
            err.println("super-resolve: cancelled.");
            return 130;
        } catch (OutOfMemoryError e) {
            err.println("super-resolve: not enough Java heap: give Java more (JAVA_OPTS=-Xmx8g) or process smaller images.");
            return 1;
        } catch (Exception e) {
            err.println("super-resolve: " + Printable.escape(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        }
    }
}
