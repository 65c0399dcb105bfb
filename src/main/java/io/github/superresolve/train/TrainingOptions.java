package io.github.superresolve.train;

import io.github.superresolve.nn.Discriminator;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What a training run does, as five typed parts: the {@link Data} it learns from, the {@link Network} it
 * trains, its {@link Schedule}, the {@link Adversarial} game of the GAN methods, and the {@link Output} it
 * writes. Every front end builds it with {@link #builder()}, which holds the one set of defaults: the
 * command line ({@code super-resolve train}), <em>Train on Folder...</em> and its macros. The option names
 * of the command line and the macro keys are given in brackets.
 *
 * @param data        training and validation images and how they are cut into batches
 * @param network     the generator trained: a new one of a recipe, or one fine-tuned from a model
 * @param schedule    steps, learning rate, checkpoints, validation, seed and engine
 * @param adversarial the method and, for the GANs, the discriminator and its game
 * @param output      the model file written and what may happen to the one there
 */
public record TrainingOptions(Data data, Network network, Schedule schedule, Adversarial adversarial, Output output) {

    /**
     * Default adversarial weight. MSE is on the [0, 1] scale (~5e-4 to 1e-3 once an SRResNet is
     * trained), so 1e-4 puts the adversarial term at ~5-15 % of MSE, between the study's "little
     * changes" (under ~4 %) and "unstable" (over ~50 %); the 1e-3 that SRGAN papers quote put it at
     * 76-114 % in the sweep (benchmarks/adversarial-sweep.sh, README "Adversarial training").
     */
    public static final double DEFAULT_ADVERSARIAL_WEIGHT = 1e-4;

    /** Steps between checkpoints and between validations of a new run when not given. */
    public static final int DEFAULT_EVERY = 500;
    /** {@link Schedule#lrWarmup()}: the warm-up {@link #effectiveLrWarmup()} chooses. */
    public static final int AUTO_WARMUP = -1;
    /** Learning-rate warm-up of a pixel-MSE run started from a model, in steps (docs/training.md, measured). */
    public static final int FINE_TUNE_WARMUP = 100;

    /**
     * Steps of a run when not given, in every front end (command line, Train on Folder…, macros): about
     * half an hour of fine-tuning on two cores, what most users' first run on their own data is.
     */
    public static final long DEFAULT_STEPS = 2000;

    /** Defaults of the other options, shared by every front end through {@link Builder}. */
    public static final int DEFAULT_SCALE = 4, DEFAULT_CHANNELS = 3, DEFAULT_PATCH = 96, DEFAULT_BATCH = 16,
            DEFAULT_BLOCKS = 16, DEFAULT_WIDTH = 64;
    public static final long DEFAULT_SEED = 1, DEFAULT_CACHE_MB = 2048;

    /** The generator's architecture and optimiser settings. */
    public enum Recipe {
        /** No batch-norm, residual x0.1, a bicubic skip, Adam 2e-4: learns faster. */
        FAST(2e-4),
        /** The SRResNet paper's: batch-norm, plain output, Adam 1e-4. */
        STUDY(1e-4);

        private final double learningRate;

        Recipe(double learningRate) {
            this.learningRate = learningRate;
        }

        /** Adam's learning rate when none is given. */
        public double learningRate() {
            return learningRate;
        }

        public String label() {
            return TrainingOptions.label(this);
        }

        public static Recipe parse(String s) {
            return TrainingOptions.parse(Recipe.class, s, "recipe");
        }
    }

    /** What the generator's loss is. */
    public enum Method {
        /** Pixel MSE. */
        SRRESNET,
        /** MSE + adversarial loss against a convolutional discriminator. */
        SRGAN,
        /** MSE + adversarial loss against a Fourier-magnitude discriminator. */
        FFTGAN,
        /** Recursive: a second x2 stage trained adversarially on a x2 model's outputs to reach x4. */
        RGAN;

        /** Whether a discriminator takes part. */
        public boolean adversarial() {
            return this != SRRESNET;
        }

        /** The discriminator when none is chosen, or null for srresnet. */
        public Discriminator.Kind defaultDiscriminator() {
            return switch (this) {
                case SRGAN, RGAN -> Discriminator.Kind.CONV;
                case FFTGAN -> Discriminator.Kind.FFT;
                case SRRESNET -> null;
            };
        }

        public String label() {
            return TrainingOptions.label(this);
        }

        public static Method parse(String s) {
            return TrainingOptions.parse(Method.class, s, "method");
        }
    }

    /**
     * The trainer: {@code eager} ({@link EagerGeneratorTrainer}, the inference engine's kernels; the fft
     * discriminator as a graph), {@code samediff} ({@link GeneratorTrainer}'s graph), or {@code auto}: the
     * faster for the method ({@link Schedule#eager()}). Same maths and checkpoints either way.
     */
    public enum Engine {
        AUTO, EAGER, SAMEDIFF;

        public String label() {
            return TrainingOptions.label(this);
        }

        public static Engine parse(String s) {
            return TrainingOptions.parse(Engine.class, s, "engine");
        }
    }

    /** How the discriminator judges. */
    public enum AdversarialLoss {
        /** Each image alone, real or generated: the study's. */
        STANDARD,
        /**
         * Each ground-truth crop against the image generated from its own input: the discriminator learns to
         * give the real one the higher logit, the generator to give its output the higher one
         * (Jolicoeur-Martineau's relativistic GAN with pairs matched by input); srgan and rgan only.
         */
        RELATIVISTIC;

        public String label() {
            return TrainingOptions.label(this);
        }

        public static AdversarialLoss parse(String s) {
            return TrainingOptions.parse(AdversarialLoss.class, s, "adversarial loss");
        }
    }

    /**
     * What the run learns from.
     *
     * @param hrDir      high-resolution training images, searched recursively ({@code --hr-dir}, {@code input_directory})
     * @param valDir     validation images scored every {@link Schedule#validateEvery} steps, or null
     *                   ({@code --val-dir}, {@code validation_directory})
     * @param lrDir      paired low-resolution images matched by name, or null for antialiased bicubic downscaling
     *                   ({@code --lr-dir}, {@code lr_directory})
     * @param fileFilter part of the file name training images must contain, or empty ({@code --filter}, {@code file_filter})
     * @param patch      high-resolution patch side ({@code --patch}, {@code patch_size})
     * @param batch      patches per step, each from a different image ({@code --batch}, {@code batch_size})
     * @param cacheMb    memory for decoded training images ({@code --cache-mb})
     * @param skipFlat   redraw crops that bicubic upsampling of their input already reproduces
     *                   ({@link PatchSampler#FLAT_PSNR} dB), or null for the default: no, or a resumed run's own
     *                   ({@code --skip-flat-patches}, {@code skip_flat_patches})
     */
    public record Data(Path hrDir, Path valDir, Path lrDir, String fileFilter, int patch, int batch, long cacheMb, Boolean skipFlat) {
        public Data {
            if (hrDir == null) throw new IllegalArgumentException("Name the training images' folder (input_directory / --hr-dir).");
            if (fileFilter == null) fileFilter = "";
            if (batch < 1 || batch > 1024) throw new IllegalArgumentException("The batch size must be 1..1024, not " + batch + ".");
            if (cacheMb < 64) cacheMb = DEFAULT_CACHE_MB;
        }
    }

    /**
     * The generator trained.
     *
     * @param scale       2, 4 or 8 ({@code --scale}, {@code scale})
     * @param channels    1 (grey) or 3 (RGB) ({@code --channels}, {@code channels})
     * @param recipe      a new network's architecture and default learning rate ({@code --recipe}, {@code recipe})
     * @param blocks      residual blocks of a new network ({@code --blocks})
     * @param width       feature channels of a new network ({@code --width})
     * @param from        model (name or file) to fine-tune, or null ({@code --from}, {@code from_model})
     * @param freezeTrunk train only the upsampling blocks and the output convolution of the network from
     *                    {@code from}, the trunk's weights kept ({@code --freeze-trunk}, {@code freeze_trunk})
     */
    public record Network(int scale, int channels, Recipe recipe, int blocks, int width, String from, boolean freezeTrunk) {
        public Network {
            if (scale != 2 && scale != 4 && scale != 8) throw new IllegalArgumentException("The scale must be 2, 4 or 8, not " + scale + ".");
            if (channels != 1 && channels != 3) throw new IllegalArgumentException("Channels must be 1 (grey) or 3 (RGB), not " + channels + ".");
            if (recipe == null) recipe = Recipe.FAST;
            if (blocks < 1 || blocks > 64) throw new IllegalArgumentException("Residual blocks must be 1..64, not " + blocks + ".");
            if (width < 1 || width > 512) throw new IllegalArgumentException("The width must be 1..512 feature channels, not " + width + ".");
            if (from != null && from.isBlank()) from = null;
        }
    }

    /**
     * When things happen.
     *
     * @param steps           total steps; a resumed run continues up to it ({@code --steps}, {@code steps})
     * @param learningRate    Adam's learning rate, or NaN for the recipe's ({@code --lr}, {@code learning_rate})
     * @param checkpointEvery steps between checkpoints, or 0 (not given): a resumed run keeps its checkpoint's,
     *                        a new one takes {@link #DEFAULT_EVERY} ({@code --checkpoint-every}, {@code checkpoint_every})
     * @param validateEvery   steps between validations, 0 as checkpointEvery ({@code --validate-every}, {@code validate_every})
     * @param seed            random seed of initialisation and batches ({@code --seed}, {@code seed})
     * @param engine          the trainer ({@code --engine})
     * @param lrWarmup        steps over which the generator's learning rate rises linearly from the run's start,
     *                        or {@link #AUTO_WARMUP} for {@link TrainingOptions#effectiveLrWarmup()}
     *                        ({@code --lr-warmup}, {@code learning_rate_warmup})
     */
    public record Schedule(long steps, double learningRate, int checkpointEvery, int validateEvery, long seed, Engine engine,
                           int lrWarmup) {
        public Schedule {
            if (steps < 1) throw new IllegalArgumentException("Steps must be at least 1, not " + steps + ".");
            if (lrWarmup < AUTO_WARMUP || lrWarmup > 100_000)
                throw new IllegalArgumentException("Learning-rate warm-up steps must be 0..100000 (or -1 for auto), not " + lrWarmup + ".");
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) learningRate = Double.NaN;
            else if (learningRate >= 1) throw new IllegalArgumentException("The learning rate must be below 1, not " + learningRate + ".");
            if (checkpointEvery < 1) checkpointEvery = 0;
            if (validateEvery < 1) validateEvery = 0;
            if (engine == null) engine = Engine.AUTO;
        }

        /**
         * Whether training runs on the eager engine: asked for, or auto. Measured why (2 threads,
         * {@code benchmarks/compare-pytorch.sh --train}, {@code benchmarks/train-memory.sh}): SRResNet 16x64 x4,
         * batch 16 of 96x96, 0.75 s per step against the graph's 1.74-2.01 s, 1.7 GB peak against 2.6 GB;
         * srgan x4 with a relativistic highpass-strong discriminator 2.9 s per step and 2.7 GB peak
         * against the graph's 8.4 s and 11.4 GB (README, "Engines and speed").
         */
        public boolean eager() {
            return engine != Engine.SAMEDIFF;
        }
    }

    /**
     * The adversarial game (method srresnet: none of it applies).
     *
     * @param method           the generator's loss ({@code --method}, {@code method})
     * @param weight           weight of the adversarial term in the generator's loss ({@code --adversarial-weight}, {@code adversarial_weight})
     * @param ramp             joint steps over which the weight rises linearly from weight / ramp to weight, or 0 for
     *                         the full weight from the first step ({@code --adversarial-ramp}, {@code adversarial_ramp}):
     *                         after a warm-up the discriminator's term is large against a converged generator's MSE,
     *                         and Adam's first steps would go wholly its way
     * @param discWarmup       discriminator-only steps against the fixed starting generator before the joint steps
     *                         (a fresh run only; {@code --disc-warmup}, {@code discriminator_warmup})
     * @param discLearningRate the discriminator's Adam learning rate, or NaN for the generator's
     *                         ({@code --disc-lr}, {@code discriminator_learning_rate})
     * @param discriminator    the discriminator, or null for the method's own ({@link Method#defaultDiscriminator()});
     *                         chosen as a filter and conditional or not ({@link Discriminator.Kind#of})
     *                         ({@code --discriminator-filter}, {@code --conditional}; the old {@code --discriminator KIND})
     * @param instanceNoise    standard deviation of the Gaussian noise added to every image the discriminator is
     *                         shown, intensities ~[0, 1]; 0 for none ({@code --instance-noise}, {@code instance_noise};
     *                         {@link InstanceNoise})
     * @param loss             how the discriminator judges ({@code --adversarial-loss}, {@code adversarial_loss})
     */
    public record Adversarial(Method method, double weight, int ramp, int discWarmup, double discLearningRate,
                              Discriminator.Kind discriminator, double instanceNoise, AdversarialLoss loss) {
        public Adversarial {
            if (method == null) method = Method.SRRESNET;
            if (loss == null) loss = AdversarialLoss.STANDARD;
            if (!(weight >= 0) || weight > 10)
                throw new IllegalArgumentException("The adversarial weight must be between 0 and 10, not " + weight + ".");
            if (discWarmup < 0 || discWarmup > 100_000)
                throw new IllegalArgumentException("Discriminator warm-up steps must be 0..100000, not " + discWarmup + ".");
            if (ramp < 0 || ramp > 100_000)
                throw new IllegalArgumentException("The adversarial ramp must be 0..100000 joint steps, not " + ramp + ".");
            if (!(instanceNoise >= 0) || instanceNoise > 0.5)
                throw new IllegalArgumentException("Instance noise must be between 0 and 0.5 (a standard deviation of intensities in [0, 1]), not "
                        + instanceNoise + ".");
            if (Double.isNaN(discLearningRate) || discLearningRate == 0) discLearningRate = Double.NaN; // the generator's
            else if (!(discLearningRate > 0 && discLearningRate < 1))
                throw new IllegalArgumentException("The discriminator's learning rate must be between 0 and 1, not " + discLearningRate + ".");
            String needs = " needs an adversarial method (srgan, fftgan or rgan), not srresnet.";
            if (!method.adversarial()) {
                if (discWarmup > 0) throw new IllegalArgumentException("A discriminator warm-up" + needs);
                if (instanceNoise > 0) throw new IllegalArgumentException("Instance noise is for a discriminator: it" + needs);
                if (ramp > 0) throw new IllegalArgumentException("An adversarial ramp" + needs);
            }
            if (loss == AdversarialLoss.RELATIVISTIC && method != Method.SRGAN && method != Method.RGAN)
                throw new IllegalArgumentException("The relativistic loss judges each generated image against its ground truth with a convolutional "
                        + "discriminator: use it with method srgan or rgan, not " + method.label() + ".");
            if (discriminator != null) {
                boolean conv = discriminator != Discriminator.Kind.FFT;
                if (!method.adversarial() || (method == Method.FFTGAN) == conv)
                    throw new IllegalArgumentException("The " + discriminator.label() + " discriminator does not go with method " + method.label()
                            + ": srgan and rgan take " + Discriminator.Kind.list(Discriminator.Kind.convolutional())
                            + ", fftgan takes fft.");
            }
        }

        /** The discriminator of an adversarial method (the chosen one or the method's own), or null for srresnet. */
        public Discriminator.Kind effectiveDiscriminator() {
            return discriminator != null ? discriminator : method.defaultDiscriminator();
        }

        /** Whether the loss is the relativistic one (pairs of a ground truth and its generated image). */
        public boolean relativistic() {
            return loss == AdversarialLoss.RELATIVISTIC;
        }
    }

    /**
     * What the run writes.
     *
     * @param model           model file written ({@code --out}, {@code output_model}); its checkpoint, CSV log and plot sit beside it
     * @param resume          continue from the model's checkpoint ({@code --resume}, {@code resume})
     * @param overwrite       replace an existing model ({@code --overwrite}, {@code overwrite})
     * @param keepCheckpoints also keep the model of every checkpoint as {@code NAME-stepN.zip} beside it
     *                        ({@code --keep-checkpoints}, {@code keep_checkpoints}): an adversarial game swings, and
     *                        the model to ship is chosen among them on validation images
     */
    public record Output(Path model, boolean resume, boolean overwrite, boolean keepCheckpoints) {
        public Output {
            if (model == null) throw new IllegalArgumentException("Name the model file to write (output_model / --out).");
            if (model.getFileName() == null || !model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip"))
                throw new IllegalArgumentException("The output model " + model + " must be a .zip file.");
        }
    }

    /** The rules between the parts. */
    public TrainingOptions {
        if (data == null || network == null || schedule == null || adversarial == null || output == null)
            throw new IllegalArgumentException("Every part of the training options is needed.");
        int scale = network.scale();
        if (data.patch() < 8 * scale || data.patch() % scale != 0)
            throw new IllegalArgumentException("The patch size must be a multiple of the scale and at least " + 8 * scale + ", not " + data.patch() + ".");
        if (adversarial.method().adversarial() && data.patch() % 16 != 0)
            throw new IllegalArgumentException("Adversarial training needs a patch size that is a multiple of 16, not " + data.patch() + ".");
        if (adversarial.method() == Method.RGAN && scale != 4)
            throw new IllegalArgumentException("rGAN trains the second x2 stage of a x4 model: set scale=4, not " + scale + ".");
        if (network.freezeTrunk() && network.from() == null && !output.resume())
            throw new IllegalArgumentException("Freezing the trunk fine-tunes a trained network: name it with from_model (--from).");
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.hrDir = data.hrDir();
        b.valDir = data.valDir();
        b.lrDir = data.lrDir();
        b.fileFilter = data.fileFilter();
        b.patch = data.patch();
        b.batch = data.batch();
        b.cacheMb = data.cacheMb();
        b.skipFlat = data.skipFlat();
        b.scale = network.scale();
        b.channels = network.channels();
        b.recipe = network.recipe();
        b.blocks = network.blocks();
        b.width = network.width();
        b.from = network.from();
        b.freezeTrunk = network.freezeTrunk();
        b.steps = schedule.steps();
        b.learningRate = schedule.learningRate();
        b.checkpointEvery = schedule.checkpointEvery();
        b.validateEvery = schedule.validateEvery();
        b.seed = schedule.seed();
        b.engine = schedule.engine();
        b.lrWarmup = schedule.lrWarmup();
        b.method = adversarial.method();
        b.adversarialWeight = adversarial.weight();
        b.adversarialRamp = adversarial.ramp();
        b.discWarmup = adversarial.discWarmup();
        b.discLearningRate = adversarial.discLearningRate();
        b.discriminator = adversarial.discriminator();
        b.instanceNoise = adversarial.instanceNoise();
        b.adversarialLoss = adversarial.loss();
        b.model = output.model();
        b.resume = output.resume();
        b.overwrite = output.overwrite();
        b.keepCheckpoints = output.keepCheckpoints();
        return b;
    }

    /** The discriminator of an adversarial method, or null for srresnet. */
    public Discriminator.Kind discriminator() {
        return adversarial.effectiveDiscriminator();
    }

    /** The learning rate used: the given one, or the recipe's. */
    /**
     * The generator's learning-rate warm-up in steps: the one given, else {@link #FINE_TUNE_WARMUP} for a pixel-MSE
     * run that starts from a model ({@code --from}) and 0 otherwise. Why: Adam's first update moves every weight
     * by the whole learning rate whatever its gradient ({@code lr * sign(g)}, the moments being empty), which a
     * trained network pays for: measured on the six validation photos, {@code srresnet-x2} fell from +1.58 to
     * +0.96 dB over bicubic in 4 steps at 1e-4 (docs/training.md). The adversarial recipes were tuned without it
     * and keep 0 unless asked.
     */
    public int effectiveLrWarmup() {
        if (schedule.lrWarmup() != AUTO_WARMUP) return schedule.lrWarmup();
        return adversarial.method() == Method.SRRESNET && network.from() != null && !network.from().isBlank() ? FINE_TUNE_WARMUP : 0;
    }

    public double effectiveLearningRate() {
        return Double.isNaN(schedule.learningRate()) ? network.recipe().learningRate() : schedule.learningRate();
    }

    /** The discriminator's learning rate: its own, or the generator's. */
    public double effectiveDiscLearningRate() {
        return Double.isNaN(adversarial.discLearningRate()) ? effectiveLearningRate() : adversarial.discLearningRate();
    }

    /** {@code NAME.zip} -> {@code NAME.checkpoint.zip} beside it. */
    public Path checkpoint() {
        return sibling(".checkpoint.zip");
    }

    /** {@code NAME.zip} -> {@code NAME-stepN.zip}: the model kept at step N ({@link Output#keepCheckpoints}). */
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
        String n = output.model().getFileName().toString();
        return n.substring(0, n.length() - 4);
    }

    private Path sibling(String suffix) {
        return output.model().resolveSibling(modelName() + suffix);
    }

    /** The name users give a constant: lower case, dashes for underscores. */
    public static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The labels of an enum's constants as a sentence: "a, b or c". */
    public static String labels(Class<? extends Enum<?>> type) {
        Enum<?>[] all = type.getEnumConstants();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < all.length; i++)
            b.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(label(all[i]));
        return b.toString();
    }

    /** A constant by its label (any case, dashes or underscores); a sentence naming the choices otherwise. */
    static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        String v = text == null ? "" : text.trim().replace('-', '_');
        for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(v)) return e;
        throw new IllegalArgumentException("Unknown " + what + " '" + text + "': use " + labels(type) + ".");
    }

    /**
     * The options of a run, each with its default: the one place the defaults live. Setters are named
     * after the command line's options; the text setters take what users type (labels, "auto", blank for
     * the default) and refuse anything else with a sentence.
     */
    public static final class Builder {
        private Path hrDir, valDir, lrDir, model;
        private String fileFilter = "", from;
        private int patch = DEFAULT_PATCH, batch = DEFAULT_BATCH, scale = DEFAULT_SCALE, channels = DEFAULT_CHANNELS,
                blocks = DEFAULT_BLOCKS, width = DEFAULT_WIDTH, checkpointEvery, validateEvery, adversarialRamp, discWarmup;
        private long cacheMb = DEFAULT_CACHE_MB, steps = DEFAULT_STEPS, seed = DEFAULT_SEED;
        private Recipe recipe = Recipe.FAST;
        private boolean freezeTrunk, resume, overwrite, keepCheckpoints, conditional;
        private double learningRate = Double.NaN, adversarialWeight = DEFAULT_ADVERSARIAL_WEIGHT, discLearningRate = Double.NaN,
                instanceNoise;
        private Engine engine = Engine.AUTO;
        private int lrWarmup = AUTO_WARMUP;
        private Boolean skipFlat;
        private Method method = Method.SRRESNET;
        private Discriminator.Kind discriminator;
        private Discriminator.Filter filter;
        private AdversarialLoss adversarialLoss = AdversarialLoss.STANDARD;

        private Builder() {
        }

        public Builder hrDir(Path v) { hrDir = v; return this; }
        public Builder valDir(Path v) { valDir = v; return this; }
        public Builder lrDir(Path v) { lrDir = v; return this; }
        public Builder fileFilter(String v) { fileFilter = v; return this; }
        public Builder patch(int v) { patch = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder cacheMb(long v) { cacheMb = v; return this; }
        /** Redraw flat crops; null: no, or a resumed run's own. */
        public Builder skipFlatPatches(Boolean v) { skipFlat = v; return this; }
        public Builder scale(int v) { scale = v; return this; }
        public Builder channels(int v) { channels = v; return this; }
        public Builder recipe(Recipe v) { recipe = v == null ? Recipe.FAST : v; return this; }
        public Builder recipe(String v) { return recipe(blank(v) ? null : Recipe.parse(v)); }
        public Builder blocks(int v) { blocks = v; return this; }
        public Builder width(int v) { width = v; return this; }
        public Builder from(String v) { from = v; return this; }
        public Builder freezeTrunk(boolean v) { freezeTrunk = v; return this; }
        public Builder steps(long v) { steps = v; return this; }
        /** NaN, 0 or less: the recipe's. */
        public Builder learningRate(double v) { learningRate = v; return this; }
        /** 0 or less: a resumed run's own, else {@link #DEFAULT_EVERY}. */
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
        public Builder validateEvery(int v) { validateEvery = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        /** Steps of learning-rate warm-up; {@link #AUTO_WARMUP} (-1): {@link TrainingOptions#effectiveLrWarmup()}. */
        public Builder lrWarmup(int v) { lrWarmup = v; return this; }
        public Builder engine(Engine v) { engine = v == null ? Engine.AUTO : v; return this; }
        public Builder engine(String v) { return engine(blank(v) ? null : Engine.parse(v)); }
        public Builder method(Method v) { method = v == null ? Method.SRRESNET : v; return this; }
        public Builder method(String v) { return method(blank(v) ? null : Method.parse(v)); }
        public Builder adversarialWeight(double v) { adversarialWeight = v; return this; }
        public Builder adversarialRamp(int v) { adversarialRamp = v; return this; }
        public Builder discWarmup(int v) { discWarmup = v; return this; }
        /** NaN or 0: the generator's. */
        public Builder discLearningRate(double v) { discLearningRate = v; return this; }
        /** A discriminator by its one-word label (conv, highpass-strong, ...), or null / blank / auto for the method's own. */
        public Builder discriminator(String v) {
            discriminator = blank(v) || v.trim().equalsIgnoreCase("auto") ? null : Discriminator.Kind.parse(v);
            return this;
        }
        public Builder discriminator(Discriminator.Kind v) { discriminator = v; return this; }
        /** The discriminator's filter (the first of its two choices), or null / blank / auto for the method's own. */
        public Builder discriminatorFilter(String v) {
            filter = blank(v) || v.trim().equalsIgnoreCase("auto") ? null : Discriminator.Filter.parse(v);
            return this;
        }
        public Builder discriminatorFilter(Discriminator.Filter v) { filter = v; return this; }
        /** Whether the discriminator also sees the generator's input (the second of its two choices). */
        public Builder conditional(boolean v) { conditional = v; return this; }
        public Builder instanceNoise(double v) { instanceNoise = v; return this; }
        public Builder adversarialLoss(AdversarialLoss v) { adversarialLoss = v == null ? AdversarialLoss.STANDARD : v; return this; }
        public Builder adversarialLoss(String v) { return adversarialLoss(blank(v) ? null : AdversarialLoss.parse(v)); }
        public Builder output(Path v) { model = v; return this; }
        public Builder resume(boolean v) { resume = v; return this; }
        public Builder overwrite(boolean v) { overwrite = v; return this; }
        public Builder keepCheckpoints(boolean v) { keepCheckpoints = v; return this; }

        /** The options, checked: an {@link IllegalArgumentException} with one sentence for the first thing wrong. */
        public TrainingOptions build() {
            Discriminator.Kind kind = discriminator;
            if (filter != null || conditional) {
                Discriminator.Kind chosen = Discriminator.Kind.of(filter != null ? filter
                        : method == Method.FFTGAN ? Discriminator.Filter.FFT : Discriminator.Filter.NONE, conditional);
                if (kind != null && kind != chosen)
                    throw new IllegalArgumentException("The discriminator " + kind.label() + " and the choice of filter"
                            + (filter != null ? " " + filter.label() : "") + (conditional ? ", conditional" : "")
                            + " disagree: give one of them.");
                kind = chosen;
            }
            return new TrainingOptions(new Data(hrDir, valDir, lrDir, fileFilter, patch, batch, cacheMb, skipFlat),
                    new Network(scale, channels, recipe, blocks, width, from, freezeTrunk),
                    new Schedule(steps, learningRate, checkpointEvery, validateEvery, seed, engine, lrWarmup),
                    new Adversarial(method, adversarialWeight, adversarialRamp, discWarmup, discLearningRate, kind, instanceNoise,
                            adversarialLoss),
                    new Output(model, resume, overwrite, keepCheckpoints));
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }
    }
}
