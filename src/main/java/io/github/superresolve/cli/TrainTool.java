package io.github.superresolve.cli;

import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.train.PatchSampler;
import io.github.superresolve.train.TrainingOptions;
import io.github.superresolve.train.TrainingRun;
import io.github.superresolve.train.Validator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code super-resolve train}: trains an SRResNet on a folder of images with pixel MSE, writing the
 * model, its checkpoint, a CSV log and a PNG plot. Ctrl-C (SIGINT/SIGTERM) finishes the current step,
 * writes a checkpoint and exits 130; {@code --resume} continues.
 */
final class TrainTool {

    /** The command's name (its usage section in {@link Main#USAGE}). */
    static final String COMMAND = "train";

    /**
     * The command's options (also read by {@code super-resolve completion}): each maps onto one setter of
     * {@link TrainingOptions.Builder}, which holds the defaults that Train on Folder... shares.
     */
    @Command(name = "train")
    static final class Options {
        // data
        @Option(names = "--hr-dir", paramLabel = "DIR", description = "High-resolution training images (subfolders too). Required.")
        Path hrDir;
        @Option(names = "--val-dir", paramLabel = "DIR", description = "Held-out images scored every --validate-every steps (PSNR and SSIM against bicubic).")
        Path valDir;
        @Option(names = "--lr-dir", paramLabel = "DIR", description = "Low-resolution inputs matching the training images by name, instead of antialiased bicubic downscaling.")
        Path lrDir;
        @Option(names = "--filter", paramLabel = "TEXT", description = "Only training images whose file name contains TEXT.")
        String filter;
        @Option(names = "--patch", paramLabel = "N", description = "High-resolution crop side (a multiple of the scale; of 16 for the GANs). Default: " + TrainingOptions.DEFAULT_PATCH + ".")
        Integer patch;
        @Option(names = "--batch", paramLabel = "N", description = "Crops per step, each from a different image. Default: " + TrainingOptions.DEFAULT_BATCH + ".")
        Integer batch;
        @Option(names = "--skip-flat-patches", arity = "0..1", paramLabel = "true|false", description = "Draw again crops that bicubic upsampling of their input already reproduces to " + (int) PatchSampler.FLAT_PSNR + " dB (sky, blur, empty background), up to " + PatchSampler.FLAT_TRIES + " draws per crop. Default: no, or a resumed run's own.")
        Boolean skipFlat;
        @Option(names = "--cache-mb", paramLabel = "MB", description = "Memory for decoded training images. Default: " + TrainingOptions.DEFAULT_CACHE_MB + ".")
        Long cacheMb;
        // network
        @Option(names = "--scale", paramLabel = "2|4|8", description = "Upscaling factor. Default: " + TrainingOptions.DEFAULT_SCALE + ".")
        Integer scale;
        @Option(names = "--channels", paramLabel = "1|3", description = "1: grey (microscopy, medical), 3: RGB. Default: " + TrainingOptions.DEFAULT_CHANNELS + ".")
        Integer channels;
        @Option(names = "--recipe", paramLabel = "fast|study", description = "A new network's recipe: fast (no batch-norm, residual x0.1, bicubic skip, Adam 2e-4) or study (the SRResNet paper: batch-norm, Adam 1e-4). Default: fast.")
        String recipe;
        @Option(names = "--blocks", paramLabel = "N", description = "Residual blocks of a new network. Default: " + TrainingOptions.DEFAULT_BLOCKS + ".")
        Integer blocks;
        @Option(names = "--width", paramLabel = "N", description = "Feature channels of a new network. Default: " + TrainingOptions.DEFAULT_WIDTH + ".")
        Integer width;
        @Option(names = "--from", paramLabel = "MODEL", description = "Model (name or file) to fine-tune; for rgan the x2 model whose outputs the second stage learns from.")
        String from;
        @Option(names = "--freeze-trunk", description = "Train only the upsampling blocks and output convolution of the --from network.")
        boolean freezeTrunk;
        // schedule
        @Option(names = "--steps", paramLabel = "N", description = "Steps of the run; a resumed run continues up to N. Default: " + TrainingOptions.DEFAULT_STEPS + ".")
        Long steps;
        @Option(names = "--lr", paramLabel = "RATE", description = "Adam's learning rate. Default: the recipe's.")
        Double lr;
        @Option(names = "--lr-warmup", paramLabel = "N", description = "Raise the learning rate linearly over the first N steps (Adam's first step otherwise moves every weight by the whole rate). Default: " + TrainingOptions.FINE_TUNE_WARMUP + " for srresnet with --from, else 0.")
        Integer lrWarmup;
        @Option(names = "--checkpoint-every", paramLabel = "N", description = "Steps between checkpoints. Default: a resumed run's own, else " + TrainingOptions.DEFAULT_EVERY + ".")
        Integer checkpointEvery;
        @Option(names = "--validate-every", paramLabel = "N", description = "Steps between validations. Default: a resumed run's own, else " + TrainingOptions.DEFAULT_EVERY + ".")
        Integer validateEvery;
        @Option(names = "--seed", paramLabel = "N", description = "Seed of initialisation and batches. Default: " + TrainingOptions.DEFAULT_SEED + ".")
        Long seed;
        @Option(names = "--engine", paramLabel = "auto|eager|samediff", description = "eager: the inference engine's kernels (the fft discriminator as a graph); samediff: the whole step as a SameDiff graph (slower, 3x the memory); auto: eager. Same maths and checkpoints. Default: auto.")
        String engine;
        // adversarial
        @Option(names = "--method", paramLabel = "srresnet|srgan|fftgan|rgan", description = "srresnet: pixel MSE; srgan / fftgan: MSE + W x adversarial loss against a convolutional / Fourier-magnitude discriminator (usually with --from an SRResNet); rgan: a second x2 stage trained on the --from x2 model's outputs (--scale 4). Default: srresnet.")
        String method;
        @Option(names = "--adversarial-weight", paramLabel = "W", description = "Weight of the adversarial term. Default: " + TrainingOptions.DEFAULT_ADVERSARIAL_WEIGHT + ".")
        Double adversarialWeight;
        @Option(names = "--adversarial-ramp", paramLabel = "N", description = "Raise the weight linearly over the first N joint steps (from W/N). Default: 0 (in full from the first).")
        Integer adversarialRamp;
        @Option(names = "--adversarial-loss", paramLabel = "standard|relativistic", description = "standard: each image judged alone (the study's); relativistic: each ground truth against the image generated from its input (srgan, rgan). Default: standard.")
        String adversarialLoss;
        @Option(names = "--discriminator-filter", paramLabel = "FILTER", description = "What the discriminator is shown: none (the image; srgan's), highpass (image minus its Gaussian blur), highpass-fine (sigma 0.5: the top band), band (half Nyquist up, blind at Nyquist), strong (image minus its 3x3 binomial blur, values within 0.02 of zero removed), fft (Fourier magnitudes; fftgan's). Default: the method's.")
        String discriminatorFilter;
        @Option(names = "--conditional", description = "The discriminator also sees the network's input upscaled (bicubic) beside each image (filters none, band, strong).")
        boolean conditional;
        @Option(names = "--discriminator", paramLabel = "KIND", description = "The earlier one-word choice, still accepted: conv, conv-light (conv's features averaged over the image: 0.5 M dense weights, not 18.9 M), conditional, highpass, highpass-fine, highpass-band, conditional-band, highpass-strong, conditional-strong or fft.")
        String discriminator;
        @Option(names = "--disc-warmup", paramLabel = "N", description = "Train the discriminator alone for N steps against the starting generator first. Default: 0.")
        Integer discWarmup;
        @Option(names = "--disc-lr", paramLabel = "RATE", description = "The discriminator's Adam learning rate. Default: the generator's.")
        Double discLr;
        @Option(names = "--instance-noise", paramLabel = "SD", description = "Gaussian noise of SD (intensities 0..1) added to every image the discriminator sees. Default: 0.")
        Double instanceNoise;
        // output
        @Option(names = {"-o", "--out"}, paramLabel = "FILE.zip", description = "Model file to write; FILE.checkpoint.zip, FILE.log.csv and FILE.log.png are written beside it. Required.")
        Path out;
        @Option(names = "--resume", description = "Continue from FILE.checkpoint.zip (Ctrl-C writes one).")
        boolean resume;
        @Option(names = "--overwrite", description = "Replace an existing model file and checkpoint.")
        boolean overwrite;
        @Option(names = "--keep-checkpoints", description = "Also keep each checkpoint's model as FILE-stepN.zip, to choose among them afterwards.")
        boolean keepCheckpoints;
        @Option(names = "--quiet", description = "Print no progress lines.")
        boolean quiet;

        /** The options of the run: what was given, the builder's defaults for the rest. */
        TrainingOptions build() {
            if (hrDir == null) throw new Args.UsageException("Name the training images with --hr-dir DIR.");
            if (out == null) throw new Args.UsageException("Name the model file to write with --out FILE.zip.");
            TrainingOptions.Builder b = TrainingOptions.builder().hrDir(hrDir).valDir(valDir).lrDir(lrDir).fileFilter(filter)
                    .from(from).freezeTrunk(freezeTrunk).output(out).resume(resume).overwrite(overwrite).keepCheckpoints(keepCheckpoints)
                    .conditional(conditional).skipFlatPatches(skipFlat);
            try {
                if (patch != null) b.patch(patch);
                if (batch != null) b.batch(batch);
                if (cacheMb != null) b.cacheMb(cacheMb);
                if (scale != null) b.scale(scale);
                if (channels != null) b.channels(channels);
                if (blocks != null) b.blocks(blocks);
                if (width != null) b.width(width);
                if (steps != null) b.steps(steps);
                if (lr != null) b.learningRate(lr);
                if (checkpointEvery != null) b.checkpointEvery(checkpointEvery);
                if (validateEvery != null) b.validateEvery(validateEvery);
                if (seed != null) b.seed(seed);
                if (adversarialWeight != null) b.adversarialWeight(adversarialWeight);
                if (adversarialRamp != null) b.adversarialRamp(adversarialRamp);
                if (discWarmup != null) b.discWarmup(discWarmup);
                if (lrWarmup != null) b.lrWarmup(lrWarmup);
                if (discLr != null) b.discLearningRate(discLr);
                if (instanceNoise != null) b.instanceNoise(instanceNoise);
                return b.recipe(recipe).engine(engine).method(method).adversarialLoss(adversarialLoss)
                        .discriminator(discriminator).discriminatorFilter(discriminatorFilter).build();
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException(e.getMessage());
            }
        }
    }

    private final PrintStream out, err;

    TrainTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws IOException {
        Options a = Args.parse(COMMAND, argv, new Options());
        TrainingOptions o = a.build();
        boolean quiet = a.quiet;
        AtomicBoolean stop = new AtomicBoolean();
        Object done = new Object();
        AtomicBoolean finished = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stop.set(true);
            synchronized (done) {
                long until = System.currentTimeMillis() + 120_000;
                while (!finished.get() && System.currentTimeMillis() < until) {
                    try {
                        done.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "checkpoint-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        long t0 = System.nanoTime();
        TrainingRun.Result r;
        try {
            r = new TrainingRun(o, new TrainingRun.Listener() {
                @Override
                public void message(String line) {
                    err.println(line);
                }

                @Override
                public void step(long step, long total, double loss, double seconds) {
                    if (quiet || (step % 10 != 0 && step != total)) return;
                    double eta = (total - step) * seconds;
                    err.printf(Locale.ROOT, "step %d/%d  loss %.5f  %.2f s/step  ETA %s%n", step, total, loss, seconds, duration(eta));
                }

                @Override
                public boolean cancelled() {
                    return stop.get();
                }
            }, ModelFolders.catalog(err)).run();
        } finally {
            finished.set(true);
            synchronized (done) {
                done.notifyAll();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running
            }
        }
        Validator.Score s = r.score();
        out.printf(Locale.ROOT, "%s: %d steps in %s (this run %s)%s%n", r.model(), r.steps(), duration(r.wallSeconds()),
                duration((System.nanoTime() - t0) / 1e9), r.cancelled() ? ", cancelled: --resume continues" : "");
        if (s != null)
            out.printf(Locale.ROOT, "validation: PSNR %.2f dB (bicubic %.2f, %+.2f dB), SSIM %.4f (bicubic %.4f)%n",
                    s.psnr(), s.bicubicPsnr(), s.gain(), s.ssim(), s.bicubicSsim());
        return r.cancelled() ? 130 : 0;
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
