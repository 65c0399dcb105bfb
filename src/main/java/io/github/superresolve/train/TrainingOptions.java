package io.github.superresolve.train;

import java.nio.file.Path;

/**
 * What a training run does. Built by the CLI ({@code super-resolve train}) and by the Fiji command
 * (<em>Train on Folder...</em>), which share the snake_case names in brackets.
 *
 * @param hrDir           high-resolution training images, searched recursively ({@code input_directory})
 * @param valDir          validation images scored every {@code validateEvery} steps, or null ({@code validation_directory})
 * @param lrDir           paired low-resolution images matched by name, or null for bicubic downsampling ({@code lr_directory})
 * @param fileFilter      part of the file name training images must contain, or empty ({@code file_filter})
 * @param scale           2, 4 or 8 ({@code scale})
 * @param channels        1 (grey) or 3 (RGB) ({@code channels})
 * @param patch           high-resolution patch side ({@code patch_size})
 * @param batch           patches per step, each from a different image ({@code batch_size})
 * @param steps           total steps of the run; a resumed run continues up to it ({@code steps})
 * @param recipe          {@code fast} (no batch-norm, residual x0.1, bicubic skip, Adam 2e-4) or
 *                        {@code study} (the SRResNet paper: batch-norm, plain output, Adam 1e-4) ({@code recipe})
 * @param learningRate    Adam's learning rate, or NaN for the recipe's ({@code learning_rate})
 * @param blocks          residual blocks of a new network ({@code blocks})
 * @param width           feature channels of a new network ({@code width})
 * @param output          model file written ({@code output_model}); its checkpoint, CSV log and plot sit beside it
 * @param resume          continue from the output's checkpoint ({@code resume})
 * @param from            model (name or file) to fine-tune, or null ({@code from_model})
 * @param overwrite       replace an existing output model ({@code overwrite})
 * @param checkpointEvery steps between checkpoints ({@code checkpoint_every}); 0 when not given: a resumed
 *                        run keeps its checkpoint's, a new one takes {@link #DEFAULT_EVERY}
 * @param validateEvery   steps between validations ({@code validate_every}); 0 when not given, as checkpointEvery
 * @param seed            random seed of initialisation and batches ({@code seed})
 * @param cacheMb         memory for decoded training images ({@code cache_mb})
 * @param method          {@code srresnet} (pixel MSE), {@code srgan} (MSE + adversarial loss against a
 *                        convolutional discriminator) or {@code fftgan} (against a Fourier-magnitude
 *                        discriminator), or {@code rgan} (recursive: a second x2 stage, started from
 *                        the x2 model {@code from}, trained adversarially on its outputs to reach x4) ({@code method})
 * @param adversarialWeight weight of the adversarial term in the generator's loss ({@code adversarial_weight})
 * @param discWarmup      discriminator-only steps against the fixed starting generator before the joint
 *                        steps of an adversarial run (a fresh run only; {@code --disc-warmup})
 * @param discLearningRate the discriminator's Adam learning rate, or NaN for the generator's ({@code --disc-lr})
 * @param discriminatorChoice {@code conv}, {@code conv-light}, {@code conditional}, {@code highpass}, {@code highpass-fine}, {@code highpass-band}, {@code conditional-band}, {@code highpass-strong} or {@code conditional-strong} for srgan and rgan, or null for the
 *                        method's own ({@code --discriminator})
 * @param adversarialRamp joint steps over which the adversarial weight rises linearly from
 *                        adversarialWeight / adversarialRamp to adversarialWeight, or 0 for the full weight from the
 *                        first step ({@code --adversarial-ramp}, {@code adversarial_ramp}): after a warm-up the
 *                        discriminator's term is large against a converged generator's MSE, and Adam's first steps
 *                        would go wholly its way
 * @param freezeTrunk     train only the upsampling blocks and the output convolution of a fine-tuned
 *                        generator, the trunk's weights kept ({@code --freeze-trunk}, {@code freeze_trunk})
 * @param instanceNoise   standard deviation of the Gaussian noise added to every image the discriminator
 *                        is shown, real and generated, intensities ~[0, 1]; 0 for none ({@code --instance-noise},
 *                        {@code instance_noise}; {@link InstanceNoise})
 * @param adversarialLoss {@code standard} (each image judged alone, real or generated: the study's) or
 *                        {@code relativistic} (each ground-truth crop judged against the image generated from
 *                        its own input: the discriminator learns to give the real one the higher logit, the
 *                        generator to give its output the higher one; Jolicoeur-Martineau's relativistic GAN
 *                        with pairs matched by input) ({@code --adversarial-loss}, {@code adversarial_loss});
 *                        srgan and rgan only
 * @param keepCheckpoints also keep the model of every checkpoint as {@code NAME-stepN.zip} beside the output
 *                        ({@code --keep-checkpoints}, {@code keep_checkpoints}): an adversarial game swings, and
 *                        the model to ship is chosen among them on validation images
 * @param engine          the generator's trainer ({@code --engine}): {@code eager} ({@link EagerGeneratorTrainer},
 *                        the inference engine's kernels; an adversary's discriminator as a graph), {@code samediff}
 *                        ({@link GeneratorTrainer}'s graph), or {@code auto} / null: the faster for the method
 *                        ({@link #eager()}). Same maths and checkpoints either way
 */
public record TrainingOptions(Path hrDir, Path valDir, Path lrDir, String fileFilter, int scale, int channels, int patch,
                              int batch, long steps, String recipe, double learningRate, int blocks, int width, Path output,
                              boolean resume, String from, boolean overwrite, int checkpointEvery, int validateEvery,
                              long seed, long cacheMb, String method, double adversarialWeight, int discWarmup,
                              double discLearningRate, String discriminatorChoice, int adversarialRamp, boolean freezeTrunk,
                              double instanceNoise, String adversarialLoss, boolean keepCheckpoints, String engine) {

    /**
     * Default adversarial weight. MSE is on the [0, 1] scale (~5e-4 to 1e-3 once an SRResNet is
     * trained), so 1e-4 puts the adversarial term at ~5-15 % of MSE, between the study's "little
     * changes" (under ~4 %) and "unstable" (over ~50 %); the 1e-3 that SRGAN papers quote put it at
     * 76-114 % in the sweep (benchmarks/adversarial-sweep.sh, README "Adversarial training").
     */
    public static final double DEFAULT_ADVERSARIAL_WEIGHT = 1e-4;

    /** Options of a pixel-MSE (SRResNet) run. */
    public TrainingOptions(Path hrDir, Path valDir, Path lrDir, String fileFilter, int scale, int channels, int patch,
                           int batch, long steps, String recipe, double learningRate, int blocks, int width, Path output,
                           boolean resume, String from, boolean overwrite, int checkpointEvery, int validateEvery,
                           long seed, long cacheMb) {
        this(hrDir, valDir, lrDir, fileFilter, scale, channels, patch, batch, steps, recipe, learningRate, blocks, width, output,
                resume, from, overwrite, checkpointEvery, validateEvery, seed, cacheMb, "srresnet", DEFAULT_ADVERSARIAL_WEIGHT);
    }

    /** Options of a run without discriminator warm-up, the discriminator at the generator's learning rate. */
    public TrainingOptions(Path hrDir, Path valDir, Path lrDir, String fileFilter, int scale, int channels, int patch,
                           int batch, long steps, String recipe, double learningRate, int blocks, int width, Path output,
                           boolean resume, String from, boolean overwrite, int checkpointEvery, int validateEvery,
                           long seed, long cacheMb, String method, double adversarialWeight) {
        this(hrDir, valDir, lrDir, fileFilter, scale, channels, patch, batch, steps, recipe, learningRate, blocks, width, output,
                resume, from, overwrite, checkpointEvery, validateEvery, seed, cacheMb, method, adversarialWeight, 0, Double.NaN, null);
    }

    /** Options of a run with the adversarial weight in full from the first joint step. */
    public TrainingOptions(Path hrDir, Path valDir, Path lrDir, String fileFilter, int scale, int channels, int patch,
                           int batch, long steps, String recipe, double learningRate, int blocks, int width, Path output,
                           boolean resume, String from, boolean overwrite, int checkpointEvery, int validateEvery,
                           long seed, long cacheMb, String method, double adversarialWeight, int discWarmup,
                           double discLearningRate, String discriminatorChoice) {
        this(hrDir, valDir, lrDir, fileFilter, scale, channels, patch, batch, steps, recipe, learningRate, blocks, width, output,
                resume, from, overwrite, checkpointEvery, validateEvery, seed, cacheMb, method, adversarialWeight, discWarmup,
                discLearningRate, discriminatorChoice, 0, false, 0);
    }

    /** Options of a run with the standard adversarial loss. */
    public TrainingOptions(Path hrDir, Path valDir, Path lrDir, String fileFilter, int scale, int channels, int patch,
                           int batch, long steps, String recipe, double learningRate, int blocks, int width, Path output,
                           boolean resume, String from, boolean overwrite, int checkpointEvery, int validateEvery,
                           long seed, long cacheMb, String method, double adversarialWeight, int discWarmup,
                           double discLearningRate, String discriminatorChoice, int adversarialRamp, boolean freezeTrunk,
                           double instanceNoise) {
        this(hrDir, valDir, lrDir, fileFilter, scale, channels, patch, batch, steps, recipe, learningRate, blocks, width, output,
                resume, from, overwrite, checkpointEvery, validateEvery, seed, cacheMb, method, adversarialWeight, discWarmup,
                discLearningRate, discriminatorChoice, adversarialRamp, freezeTrunk, instanceNoise, STANDARD_LOSS, false);
    }

    /** Options of a run that keeps only the last checkpoint. */
    public TrainingOptions(Path hrDir, Path valDir, Path lrDir, String fileFilter, int scale, int channels, int patch,
                           int batch, long steps, String recipe, double learningRate, int blocks, int width, Path output,
                           boolean resume, String from, boolean overwrite, int checkpointEvery, int validateEvery,
                           long seed, long cacheMb, String method, double adversarialWeight, int discWarmup,
                           double discLearningRate, String discriminatorChoice, int adversarialRamp, boolean freezeTrunk,
                           double instanceNoise, String adversarialLoss) {
        this(hrDir, valDir, lrDir, fileFilter, scale, channels, patch, batch, steps, recipe, learningRate, blocks, width, output,
                resume, from, overwrite, checkpointEvery, validateEvery, seed, cacheMb, method, adversarialWeight, discWarmup,
                discLearningRate, discriminatorChoice, adversarialRamp, freezeTrunk, instanceNoise, adversarialLoss, false);
    }

    /** Options of a run on the engine its method trains fastest with ({@link #engine} auto). */
    public TrainingOptions(Path hrDir, Path valDir, Path lrDir, String fileFilter, int scale, int channels, int patch,
                           int batch, long steps, String recipe, double learningRate, int blocks, int width, Path output,
                           boolean resume, String from, boolean overwrite, int checkpointEvery, int validateEvery,
                           long seed, long cacheMb, String method, double adversarialWeight, int discWarmup,
                           double discLearningRate, String discriminatorChoice, int adversarialRamp, boolean freezeTrunk,
                           double instanceNoise, String adversarialLoss, boolean keepCheckpoints) {
        this(hrDir, valDir, lrDir, fileFilter, scale, channels, patch, batch, steps, recipe, learningRate, blocks, width, output,
                resume, from, overwrite, checkpointEvery, validateEvery, seed, cacheMb, method, adversarialWeight, discWarmup,
                discLearningRate, discriminatorChoice, adversarialRamp, freezeTrunk, instanceNoise, adversarialLoss, keepCheckpoints, null);
    }

    /** The generator's training engines: {@link #engine}. */
    public static final String AUTO_ENGINE = "auto", EAGER_ENGINE = "eager", SAMEDIFF_ENGINE = "samediff";

    /** Steps between checkpoints and between validations of a new run when not given. */
    public static final int DEFAULT_EVERY = 500;

    /**
     * Steps of a run when not given, in every front end (command line, Train on Folder…, macros): about
     * half an hour of fine-tuning on two cores, what most users' first run on their own data is.
     */
    public static final long DEFAULT_STEPS = 2000;

    /** The adversarial losses: {@link #adversarialLoss}. */
    public static final String STANDARD_LOSS = "standard", RELATIVISTIC_LOSS = "relativistic";

    /** Options of a run without instance noise. */
    public TrainingOptions(Path hrDir, Path valDir, Path lrDir, String fileFilter, int scale, int channels, int patch,
                           int batch, long steps, String recipe, double learningRate, int blocks, int width, Path output,
                           boolean resume, String from, boolean overwrite, int checkpointEvery, int validateEvery,
                           long seed, long cacheMb, String method, double adversarialWeight, int discWarmup,
                           double discLearningRate, String discriminatorChoice, int adversarialRamp, boolean freezeTrunk) {
        this(hrDir, valDir, lrDir, fileFilter, scale, channels, patch, batch, steps, recipe, learningRate, blocks, width, output,
                resume, from, overwrite, checkpointEvery, validateEvery, seed, cacheMb, method, adversarialWeight, discWarmup,
                discLearningRate, discriminatorChoice, adversarialRamp, freezeTrunk, 0);
    }

    public TrainingOptions {
        if (fileFilter == null) fileFilter = "";
        if (recipe == null || recipe.isBlank()) recipe = "fast";
        recipe = recipe.toLowerCase(java.util.Locale.ROOT);
        if (!recipe.equals("fast") && !recipe.equals("study"))
            throw new IllegalArgumentException("Unknown recipe '" + recipe + "': use fast or study.");
        if (scale != 2 && scale != 4 && scale != 8) throw new IllegalArgumentException("The scale must be 2, 4 or 8, not " + scale + ".");
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("Channels must be 1 (grey) or 3 (RGB), not " + channels + ".");
        if (patch < 8 * scale || patch % scale != 0)
            throw new IllegalArgumentException("The patch size must be a multiple of the scale and at least " + 8 * scale + ", not " + patch + ".");
        if (batch < 1 || batch > 1024) throw new IllegalArgumentException("The batch size must be 1..1024, not " + batch + ".");
        if (steps < 1) throw new IllegalArgumentException("Steps must be at least 1, not " + steps + ".");
        if (output == null) throw new IllegalArgumentException("Name the model file to write (output_model / --out).");
        if (!output.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip"))
            throw new IllegalArgumentException("The output model " + output + " must be a .zip file.");
        if (checkpointEvery < 1) checkpointEvery = 0;
        if (validateEvery < 1) validateEvery = 0;
        if (cacheMb < 64) cacheMb = 2048;
        method = method == null || method.isBlank() ? "srresnet" : method.toLowerCase(java.util.Locale.ROOT);
        if (!method.equals("srresnet") && !method.equals("srgan") && !method.equals("fftgan") && !method.equals("rgan"))
            throw new IllegalArgumentException("Unknown method '" + method + "': use srresnet, srgan, fftgan or rgan.");
        if (method.equals("rgan") && scale != 4)
            throw new IllegalArgumentException("rGAN trains the second x2 stage of a x4 model: set scale=4, not " + scale + ".");
        if (!(adversarialWeight >= 0) || adversarialWeight > 10)
            throw new IllegalArgumentException("The adversarial weight must be between 0 and 10, not " + adversarialWeight + ".");
        if (discWarmup < 0 || discWarmup > 100_000)
            throw new IllegalArgumentException("Discriminator warm-up steps must be 0..100000, not " + discWarmup + ".");
        if (discWarmup > 0 && method.equals("srresnet"))
            throw new IllegalArgumentException("A discriminator warm-up needs an adversarial method (srgan, fftgan or rgan), not srresnet.");
        if (freezeTrunk && (from == null || from.isBlank()) && !resume)
            throw new IllegalArgumentException("Freezing the trunk fine-tunes a trained network: name it with from_model (--from).");
        if (!(instanceNoise >= 0) || instanceNoise > 0.5)
            throw new IllegalArgumentException("Instance noise must be between 0 and 0.5 (a standard deviation of intensities in [0, 1]), not "
                    + instanceNoise + ".");
        if (instanceNoise > 0 && method.equals("srresnet"))
            throw new IllegalArgumentException("Instance noise is for a discriminator: it needs an adversarial method (srgan, fftgan or rgan), not srresnet.");
        if (adversarialRamp < 0 || adversarialRamp > 100_000)
            throw new IllegalArgumentException("The adversarial ramp must be 0..100000 joint steps, not " + adversarialRamp + ".");
        if (adversarialRamp > 0 && method.equals("srresnet"))
            throw new IllegalArgumentException("An adversarial ramp needs an adversarial method (srgan, fftgan or rgan), not srresnet.");
        adversarialLoss = adversarialLoss == null || adversarialLoss.isBlank() ? STANDARD_LOSS : adversarialLoss.trim().toLowerCase(java.util.Locale.ROOT);
        if (!adversarialLoss.equals(STANDARD_LOSS) && !adversarialLoss.equals(RELATIVISTIC_LOSS))
            throw new IllegalArgumentException("Unknown adversarial loss '" + adversarialLoss + "': use standard or relativistic.");
        if (adversarialLoss.equals(RELATIVISTIC_LOSS) && !method.equals("srgan") && !method.equals("rgan"))
            throw new IllegalArgumentException("The relativistic loss judges each generated image against its ground truth with a convolutional "
                    + "discriminator: use it with method srgan or rgan, not " + method + ".");
        if (!Double.isNaN(discLearningRate) && !(discLearningRate > 0 && discLearningRate < 1))
            throw new IllegalArgumentException("The discriminator's learning rate must be between 0 and 1, not " + discLearningRate + ".");
        if (discriminatorChoice != null && !discriminatorChoice.isBlank()) {
            io.github.superresolve.nn.Discriminator.Kind k = io.github.superresolve.nn.Discriminator.Kind.parse(discriminatorChoice);
            boolean conv = k != io.github.superresolve.nn.Discriminator.Kind.FFT;
            if (method.equals("srresnet") || (method.equals("fftgan") == conv))
                throw new IllegalArgumentException("The " + k.label() + " discriminator does not go with method " + method
                        + ": srgan and rgan take " + io.github.superresolve.nn.Discriminator.Kind.list(io.github.superresolve.nn.Discriminator.Kind.convolutional())
                        + ", fftgan takes fft.");
            discriminatorChoice = k.label();
        } else {
            discriminatorChoice = null;
        }
        if (!method.equals("srresnet") && patch % 16 != 0)
            throw new IllegalArgumentException("Adversarial training needs a patch size that is a multiple of 16, not " + patch + ".");
        engine = engine == null || engine.isBlank() ? AUTO_ENGINE : engine.toLowerCase(java.util.Locale.ROOT);
        if (!engine.equals(AUTO_ENGINE) && !engine.equals(EAGER_ENGINE) && !engine.equals(SAMEDIFF_ENGINE))
            throw new IllegalArgumentException("Unknown engine '" + engine + "': use eager, samediff or auto.");
    }

    /**
     * Whether training runs on the eager engine: asked for, or auto. Measured why (2 threads,
     * {@code benchmarks/compare-pytorch.sh --train}, {@code benchmarks/train-memory.sh}): SRResNet 16x64 x4,
     * batch 16 of 96x96, 0.77-0.81 s per step against the graph's 1.74-2.01 s, 0.7 GB resident against
     * 2.5 GB; srgan x4 with a relativistic highpass-strong discriminator 3.0 s per step and 3.7 GB peak
     * against the graph's 8.4 s and 11.4 GB (README, "Engines and speed").
     */
    public boolean eager() {
        return engine.equals(EAGER_ENGINE) || engine.equals(AUTO_ENGINE);
    }

    /** The discriminator of an adversarial method, or null for srresnet. */
    public io.github.superresolve.nn.Discriminator.Kind discriminator() {
        if (discriminatorChoice != null) return io.github.superresolve.nn.Discriminator.Kind.parse(discriminatorChoice);
        return switch (method) {
            case "srgan", "rgan" -> io.github.superresolve.nn.Discriminator.Kind.CONV;
            case "fftgan" -> io.github.superresolve.nn.Discriminator.Kind.FFT;
            default -> null;
        };
    }

    /** Whether the adversarial loss is the relativistic one (pairs of a ground truth and its generated image). */
    public boolean relativistic() {
        return adversarialLoss.equals(RELATIVISTIC_LOSS);
    }

    /** The discriminator's learning rate: its own, or the generator's. */
    public double effectiveDiscLearningRate() {
        return Double.isNaN(discLearningRate) ? effectiveLearningRate() : discLearningRate;
    }

    /** The learning rate used: the given one, or the recipe's. */
    public double effectiveLearningRate() {
        return Double.isNaN(learningRate) || learningRate <= 0 ? (recipe.equals("study") ? 1e-4 : 2e-4) : learningRate;
    }

    /** {@code NAME.zip} -> {@code NAME.checkpoint.zip} beside it. */
    public Path checkpoint() {
        return sibling(".checkpoint.zip");
    }

    /** {@code NAME.zip} -> {@code NAME-stepN.zip}: the model kept at step N ({@link #keepCheckpoints}). */
    public Path keptModel(long step) {
        return sibling("-step" + step + ".zip");
    }

    /** {@code NAME.zip} -> {@code NAME.log.csv}. */
    public Path log() {
        return sibling(".log.csv");
    }

    /** {@code NAME.zip} -> {@code NAME.log.png}. */
    public Path plot() {
        return sibling(".log.png");
    }

    /** Model name: the output file name without {@code .zip}. */
    public String modelName() {
        String n = output.getFileName().toString();
        return n.substring(0, n.length() - 4);
    }

    private Path sibling(String suffix) {
        return output.resolveSibling(modelName() + suffix);
    }
}
