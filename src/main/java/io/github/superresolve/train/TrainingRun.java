package io.github.superresolve.train;

import io.github.superresolve.nn.Discriminator;
import io.github.superresolve.nn.Generator;
import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.Json;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCard;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.nn.ModelFile;
import io.github.superresolve.nn.NativeBackend;
import io.github.superresolve.nn.ParameterTransfer;
import io.github.superresolve.nn.SrResNet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One training run of an SRResNet generator with pixel MSE: the loop shared by the CLI and the Fiji
 * command. It writes, beside the output model {@code NAME.zip}: {@code NAME.checkpoint.zip} (model +
 * Adam state + step, at every multiple of {@code checkpointEvery} steps, on cancel and at the end, so
 * that a resumed run's checkpoints fall on the same steps as its validations; a checkpoint also
 * opens as a model), {@code NAME.log.csv} (loss per step, validation scores) and
 * {@code NAME.log.png} (plot), and with {@code keepCheckpoints} each checkpoint's model as
 * {@code NAME-stepN.zip}. All files are written atomically. A resumed run continues from the
 * checkpoint's step with the same batches and optimiser state as an uninterrupted run.
 */
public final class TrainingRun {

    /** Receives what happens; {@link #cancelled()} is polled after every step. */
    public interface Listener {
        void message(String line);

        default void step(long step, long total, double loss, double secondsPerStep) {
        }

        default void validated(long step, Validator.Score score) {
        }

        default boolean cancelled() {
            return false;
        }
    }

    /** Outcome of a run. */
    public record Result(Path model, long steps, boolean cancelled, double lastLoss, Validator.Score score,
                         double wallSeconds, List<TrainingLog.Row> log) {
    }

    private final TrainingOptions o;
    /** rGAN: the fixed first stage whose outputs are the trained stage's inputs; null otherwise. */
    private Map<String, INDArray> stage1;
    private final Listener listener;
    private final ModelCatalog catalog;
    /** Steps between checkpoints and between validations: the options', else a resumed checkpoint's, else the default. */
    private int checkpointEvery, validateEvery, lrWarmup;
    private boolean skipFlat;
    /** Steps and wall seconds behind the model a run started from (--from), 0 for a new network. */
    private long baseSteps;
    private double baseWall;

    public TrainingRun(TrainingOptions options, Listener listener, ModelCatalog catalog) {
        this.o = options;
        this.listener = listener;
        this.catalog = catalog;
    }

    public Result run() throws IOException {
        NativeBackend.init(); // one sentence if networks cannot run on this platform
        Path out = o.output().model();
        boolean haveCheckpoint = Files.exists(o.checkpoint());
        if (o.output().resume() && !haveCheckpoint)
            throw new IllegalArgumentException("Cannot resume: there is no checkpoint " + o.checkpoint() + ". Start without resume.");
        if (!o.output().resume() && !o.output().overwrite() && (Files.exists(out) || haveCheckpoint))
            throw new IllegalArgumentException("Model file " + (Files.exists(out) ? out : o.checkpoint())
                    + " already exists: resume that run, allow overwriting, or choose another output name.");
        if (o.output().resume() && o.network().from() != null)
            throw new IllegalArgumentException("Resume continues the checkpoint's own network: do not also name a model to start from.");
        // a run killed while writing (kill -9) leaves hidden temporary files beside its outputs
        int stale = 0;
        for (Path f : List.of(out, o.checkpoint(), o.log())) stale += io.github.superresolve.io.AtomicFile.removeStaleParts(f, ".part");
        stale += io.github.superresolve.io.AtomicFile.removeStaleParts(o.plot(), ".png");
        if (stale > 0) listener.message("Removed " + stale + " unfinished temporary file(s) left by an interrupted run.");

        checkpointEvery = o.schedule().checkpointEvery() > 0 ? o.schedule().checkpointEvery() : TrainingOptions.DEFAULT_EVERY;
        lrWarmup = o.effectiveLrWarmup();
        skipFlat = Boolean.TRUE.equals(o.data().skipFlat());
        validateEvery = o.schedule().validateEvery() > 0 ? o.schedule().validateEvery() : TrainingOptions.DEFAULT_EVERY;
        GeneratorConfig config;
        Map<String, INDArray> params;
        Map<String, INDArray> optimizer = null;
        long startStep = 0;
        double wallBefore = 0;
        List<TrainingLog.Row> rows = new ArrayList<>();
        String origin;
        stage1 = null;
        if (o.output().resume()) {
            ModelFile.Checkpoint cp = ModelFile.readCheckpoint(o.checkpoint());
            config = cp.model().card().config();
            params = cp.model().params();
            if (cp.model().card().stages() == 2) {
                stage1 = cp.model().stageParams(1);
                params = cp.model().stageParams(2);
            }
            optimizer = cp.optimizer();
            @SuppressWarnings("unchecked")
            Map<String, Object> state = (Map<String, Object>) Json.parse(cp.trainerState());
            startStep = ((Number) state.get("step")).longValue();
            wallBefore = ((Number) state.getOrDefault("wall_seconds", 0)).doubleValue();
            long seed = ((Number) state.get("seed")).longValue();
            if (seed != o.schedule().seed())
                listener.message("Resuming with the checkpoint's seed " + seed + " (not " + o.schedule().seed() + ").");
            origin = String.valueOf(state.getOrDefault("origin", "new"));
            if (state.get("base_steps") instanceof Number n) baseSteps = n.longValue();
            if (state.get("base_wall_seconds") instanceof Number n) baseWall = n.doubleValue();
            // intervals not given again are the run's own (checkpoints before this version did not record them)
            if (o.schedule().checkpointEvery() == 0 && state.get("checkpoint_every") instanceof Number n) checkpointEvery = n.intValue();
            // a resumed fine-tune is named without --from: its warm-up is the run's own, so it continues exactly
            if (o.schedule().lrWarmup() == TrainingOptions.AUTO_WARMUP && state.get("lr_warmup") instanceof Number n) lrWarmup = n.intValue();
            if (o.schedule().validateEvery() == 0 && state.get("validate_every") instanceof Number n) validateEvery = n.intValue();
            // the same batches as an uninterrupted run: the crop filter is the run's own unless given
            if (o.data().skipFlat() == null && state.get("skip_flat_patches") instanceof Boolean f) skipFlat = f;
            if (stage1 == null) checkCompatible(config, "The checkpoint " + o.checkpoint());
            if (Files.exists(o.log())) rows = TrainingLog.read(o.log(), startStep);
            listener.message("Resuming " + o.checkpoint().getFileName() + " at step " + startStep + " of " + o.schedule().steps()
                    + " (a checkpoint every " + checkpointEvery + " steps" + (o.data().valDir() != null ? ", validation every " + validateEvery : "") + ").");
            return loop(config, params, optimizer, startStep, wallBefore, rows, origin, seed);
        } else if (o.network().from() != null && !o.network().from().isBlank()) {
            Model m = catalog.load(o.network().from());
            config = m.card().config();
            baseSteps = totalSteps(m.card());
            baseWall = totalWallSeconds(m.card());
            if (o.adversarial().method() == TrainingOptions.Method.RGAN) {
                if (m.card().stages() != 1 || m.card().scale() * 2 != o.network().scale() || m.card().scale() != 2)
                    throw new IllegalArgumentException("rGAN builds x4 from a x2 model: model " + o.network().from() + " is x" + m.card().scale()
                            + "; choose a single-stage x2 model and scale=4.");
                if (m.card().channels() != o.network().channels())
                    throw new IllegalArgumentException("Model " + o.network().from() + " has " + m.card().channels() + " channel(s): set channels=" + m.card().channels() + ".");
                stage1 = m.params();
                origin = "rGAN: stage 1 = " + m.card().name() + ", stage 2 started from it";
                listener.message("rGAN: stage 1 is " + m.card().name() + "; stage 2 (a copy of it) learns x2 from stage 1's outputs to the ground truth.");
                params = m.params();
            } else if (ParameterTransfer.needed(config, o.network().channels(), o.network().scale())) {
                if (m.card().stages() != 1)
                    throw new IllegalArgumentException("Model " + o.network().from() + " applies " + m.card().stages()
                            + " stages: start a x" + o.network().scale() + " network from a single-stage model.");
                ParameterTransfer.Result t = ParameterTransfer.adapt(config, m.params(), o.network().channels(), o.network().scale(), o.schedule().seed());
                config = t.config();
                params = t.params();
                origin = "initialised from " + m.card().name() + " (" + m.card().channels() + " channel(s), x"
                        + m.card().scale() + ")";
                listener.message("Starting " + config.describe() + " from " + m.card().name() + ": " + String.join(" ", t.notes()));
            } else {
                origin = "fine-tuned from " + m.card().name();
                listener.message("Fine-tuning " + m.card().name() + " (" + config.describe() + ").");
                params = m.params();
            }
        } else {
            if (o.adversarial().method() == TrainingOptions.Method.RGAN)
                throw new IllegalArgumentException("rGAN starts from a trained x2 model: name it with --from (Fiji: from_model).");
            config = o.network().recipe() == TrainingOptions.Recipe.STUDY
                    ? new GeneratorConfig(o.network().channels(), o.network().scale(), o.network().blocks(), o.network().width(), true, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL)
                    : new GeneratorConfig(o.network().channels(), o.network().scale(), o.network().blocks(), o.network().width(), false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
            params = SrResNet.initParams(config, o.schedule().seed());
            origin = "new";
            listener.message("New network: " + config.describe() + ".");
        }
        return loop(config, params, null, 0, 0, rows, origin, o.schedule().seed());
    }

    /** The steps behind a model: its card's {@code total_steps}, else its {@code steps} (0 when it says neither). */
    static long totalSteps(ModelCard card) {
        Object t = card.training().get("total_steps");
        if (!(t instanceof Number)) t = card.training().get("steps");
        return t instanceof Number n ? Math.max(0, n.longValue()) : 0;
    }

    /** The wall time behind a model: its card's {@code total_wall_seconds}, else its {@code wall_seconds}. */
    static double totalWallSeconds(ModelCard card) {
        Object t = card.training().get("total_wall_seconds");
        if (!(t instanceof Number)) t = card.training().get("wall_seconds");
        return t instanceof Number n ? Math.max(0, n.doubleValue()) : 0;
    }

    private void checkCompatible(GeneratorConfig c, String what) {
        if (c.scale() != o.network().scale())
            throw new IllegalArgumentException(what + " upscales by " + c.scale() + ", not by the scale " + o.network().scale() + " asked: set scale=" + c.scale() + ".");
        if (c.channels() != o.network().channels())
            throw new IllegalArgumentException(what + " has " + c.channels() + " channel(s), not the " + o.network().channels() + " asked: set channels=" + c.channels() + ".");
    }

    private Result loop(GeneratorConfig config, Map<String, INDArray> params, Map<String, INDArray> optimizer, long start,
                        double wallBefore, List<TrainingLog.Row> rows, String origin, long seed) throws IOException {
        List<String> warnings = new ArrayList<>();
        TrainingImages images = TrainingImages.scan(o.data().hrDir(), o.data().lrDir(), o.data().fileFilter(), o.network().channels(),
                PatchSampler.minSide(o.data().patch()), o.network().scale(), o.data().cacheMb(), w -> {
                    warnings.add(w);
                    listener.message("Warning: " + w);
                });
        listener.message(String.format(Locale.ROOT, "Training data: %d planes from %s (%.1f megapixels)%s.", images.size(), o.data().hrDir(),
                images.megapixels(), images.size() < o.data().batch() ? "; fewer than the batch size, so batches repeat images" : ""));
        PatchSampler sampler = new PatchSampler(images, o.network().scale(), o.data().patch(), o.data().batch(), seed, true, skipFlat);
        Validator validator = null;
        if (o.data().valDir() != null) {
            validator = Validator.load(o.data().valDir(), o.network().channels(), o.network().scale(), 512, w -> listener.message("Warning: " + w));
            listener.message("Validation: " + validator.size() + " images from " + o.data().valDir() + ".");
        }
        GeneratorTrainer.AdamSettings adam = GeneratorTrainer.AdamSettings.of(o.effectiveLearningRate()).withWarmup(lrWarmup);
        TrainingLog log = new TrainingLog(o.log(), rows);
        Validator.Score score = lastScore(rows);
        double lastLoss = Double.NaN;
        long t0 = System.nanoTime();
        boolean cancelled = false;
        Generator first = stage1 == null ? null : new Generator(config, stage1);
        Discriminator.Kind kind = o.discriminator();
        Map<String, INDArray> disc = null;
        if (kind != null) {
            disc = new LinkedHashMap<>();
            if (optimizer != null) {
                for (Map.Entry<String, INDArray> e : optimizer.entrySet())
                    if (e.getKey().startsWith(DISC)) disc.put(e.getKey().substring(DISC.length()), e.getValue());
                if (disc.isEmpty())
                    throw new IllegalArgumentException("The checkpoint " + o.checkpoint() + " has no discriminator: it was not an "
                            + o.adversarial().method().label() + " run. Resume it with method srresnet, or start " + o.adversarial().method().label() + " from its model.");
            } else {
                disc.putAll(Discriminator.initParams(kind, config.channels(), o.data().patch(), seed + 1));
            }
            listener.message("Adversarial training (" + o.adversarial().method().label() + "): discriminator " + kind.label()
                    + ", adversarial weight " + o.adversarial().weight()
                    + (o.adversarial().ramp() > 0 ? " (reached by a linear ramp over the first " + o.adversarial().ramp() + " joint steps)" : "")
                    + (o.adversarial().instanceNoise() > 0 ? ", instance noise " + o.adversarial().instanceNoise() : "")
                    + (o.adversarial().relativistic() ? ", relativistic loss (each ground truth against the image generated from its input)" : "") + ".");
        }
        GeneratorTrainer.Adversary adversary = kind == null ? null
                : new GeneratorTrainer.Adversary(kind, disc, o.data().patch(), o.adversarial().weight(), o.adversarial().ramp(), o.adversarial().instanceNoise(),
                        o.adversarial().relativistic());
        if (o.network().freezeTrunk()) listener.message("Trunk frozen: training only the upsampling blocks and the output convolution.");
        listener.message(!o.schedule().eager() ? "Engine: SameDiff graph."
                : kind == null ? "Engine: eager (the inference engine's kernels, pixel MSE)."
                : kind == Discriminator.Kind.FFT ? "Engine: eager (the generator on the inference engine's kernels; the FFT discriminator as a SameDiff graph)."
                : "Engine: eager (generator and discriminator on the inference engine's kernels).");
        // the critic first: the eager generator's adversarial term runs on its pass's buffers (closed after the trainer)
        try (DiscriminatorTraining critic = kind == null ? null : o.schedule().eager()
                ? EagerDiscriminatorTrainer.create(kind, config.channels(), o.data().patch(), config.scale(), disc,
                GeneratorTrainer.AdamSettings.of(o.effectiveDiscLearningRate()), o.adversarial().instanceNoise(), o.adversarial().relativistic())
                : new DiscriminatorTrainer(kind, config.channels(), o.data().patch(), config.scale(), disc,
                GeneratorTrainer.AdamSettings.of(o.effectiveDiscLearningRate()), o.adversarial().instanceNoise(), o.adversarial().relativistic());
             GeneratorTraining trainer = o.schedule().eager() ? new EagerGeneratorTrainer(config, params, adam, adversary, o.network().freezeTrunk(), critic)
                     : new GeneratorTrainer(config, params, adam, adversary, o.network().freezeTrunk())) {
            if (optimizer != null) trainer.restore(optimizer, start);
            if (critic != null && optimizer != null) {
                Map<String, INDArray> dState = new LinkedHashMap<>();
                for (Map.Entry<String, INDArray> e : optimizer.entrySet())
                    if (e.getKey().startsWith(DISC_ADAM)) dState.put(e.getKey().substring(DISC_ADAM.length() - "adam/".length()), e.getValue());
                critic.restore(dState, start);
            }
            if (critic != null && optimizer == null && o.adversarial().discWarmup() > 0)
                cancelled = warmUp(critic, sampler, first, new Generator(config, trainer.params()), config);
            while (!cancelled && trainer.step() < o.schedule().steps()) {
                long s = trainer.step();
                PatchSampler.Batch b = sampler.batch(s);
                long ts = System.nanoTime();
                // the trained network's inputs: the low-resolution crops, or for rGAN stage 1's x2 outputs (SR2X)
                float[] input = b.lr();
                int m = b.lrSize();
                if (first != null) {
                    input = first.run(b.lr(), b.n(), b.lrSize(), b.lrSize());
                    m = b.lrSize() * first.scale();
                }
                lastLoss = trainer.step(input, b.hr(), b.n(), m, m);
                double dLoss = Double.NaN, dAcc = Double.NaN;
                if (critic != null) {
                    try (INDArray real = Nd4j.create(b.hr(), new long[]{b.n(), config.channels(), b.hrSize(), b.hrSize()}, 'c');
                         INDArray inputs = Nd4j.create(input, new long[]{b.n(), config.channels(), m, m}, 'c')) {
                        dLoss = critic.step(real, trainer.lastFake(), inputs);
                        dAcc = critic.lastAccuracy();
                    }
                }
                double sec = (System.nanoTime() - ts) / 1e9;
                log.add(new TrainingLog.Row(trainer.step(), lastLoss, sec, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        critic == null ? Double.NaN : trainer.lastMse(), critic == null ? Double.NaN : trainer.lastAdversarial(), dLoss, dAcc));
                if (critic != null && trainer.step() % 10 == 0)
                    listener.message(String.format(Locale.ROOT, "step %d: MSE %.5f, adversarial %.4f (x%.4g = %.1f%% of MSE), discriminator loss %.4f, accuracy %.2f",
                            trainer.step(), trainer.lastMse(), trainer.lastAdversarial(), trainer.lastAdversarialWeight(),
                            100 * trainer.lastAdversarialWeight() * trainer.lastAdversarial() / trainer.lastMse(), dLoss, dAcc));
                listener.step(trainer.step(), o.schedule().steps(), lastLoss, sec);
                boolean done = trainer.step() >= o.schedule().steps();
                if (validator != null && (trainer.step() % validateEvery == 0 || done)) {
                    Validator.Score v = validate(validator, config, stage1, trainer, listener);
                    if (v != null) {
                        score = v;
                        log.add(new TrainingLog.Row(trainer.step(), Double.NaN, Double.NaN, score.psnr(), score.ssim(), score.bicubicPsnr(), score.bicubicSsim()));
                        listener.validated(trainer.step(), score);
                        listener.message(String.format(Locale.ROOT, "Step %d: validation PSNR %.2f dB (bicubic %.2f, %+.2f dB), SSIM %.4f (bicubic %.4f).",
                                trainer.step(), score.psnr(), score.bicubicPsnr(), score.gain(), score.ssim(), score.bicubicSsim()));
                    }
                }
                cancelled = listener.cancelled();
                if (done || cancelled || trainer.step() % checkpointEvery == 0) {
                    double wall = wallBefore + (System.nanoTime() - t0) / 1e9;
                    save(trainer, critic, disc, config, images, validator, score, wall, origin, seed);
                    log.flush();
                    TrainingPlot.write(log.rows(), o.plot());
                    listener.message("Saved " + o.output().model().getFileName() + " and its checkpoint at step " + trainer.step()
                            + (o.output().keepCheckpoints() ? " (kept as " + o.keptModel(trainer.step()).getFileName() + ")" : "") + ".");
                }
                if (cancelled) {
                    listener.message("Cancelled at step " + trainer.step() + ": resume to continue.");
                    break;
                }
            }
            double wall = wallBefore + (System.nanoTime() - t0) / 1e9;
            return new Result(o.output().model(), trainer.step(), cancelled, lastLoss, score, wall, log.rows());
        }
    }

    /**
     * Discriminator-only steps against the fixed starting generator (its inference pass, no gradients),
     * so that the joint steps start with a discriminator that already tells the generator's outputs from
     * real crops and gives a useful gradient. Batches come from their own stream of the sampler. Returns
     * whether the run was cancelled meanwhile.
     */
    private boolean warmUp(DiscriminatorTraining critic, PatchSampler sampler, Generator first, Generator g, GeneratorConfig config) {
        listener.message("Discriminator warm-up: " + o.adversarial().discWarmup() + " steps against the starting generator.");
        double accSum = 0, lossSum = 0;
        long t0 = System.nanoTime();
        for (int w = 1; w <= o.adversarial().discWarmup(); w++) {
            PatchSampler.Batch b = sampler.batch(WARMUP_STREAM + w);
            float[] in = b.lr();
            int size = b.lrSize();
            if (first != null) {
                in = first.run(b.lr(), b.n(), b.lrSize(), b.lrSize());
                size = b.lrSize() * first.scale();
            }
            float[] fake = g.run(in, b.n(), size, size);
            try (INDArray real = Nd4j.create(b.hr(), new long[]{b.n(), config.channels(), b.hrSize(), b.hrSize()}, 'c');
                 INDArray f = Nd4j.create(fake, new long[]{b.n(), config.channels(), b.hrSize(), b.hrSize()}, 'c');
                 INDArray inputs = Nd4j.create(in, new long[]{b.n(), config.channels(), size, size}, 'c')) {
                lossSum += critic.step(real, f, inputs);
                accSum += critic.lastAccuracy();
            }
            if (w % 10 == 0 || w == o.adversarial().discWarmup()) {
                listener.message(String.format(Locale.ROOT, "warm-up %d/%d: discriminator loss %.4f, accuracy %.2f (mean of the last %d), %.1f s/step",
                        w, o.adversarial().discWarmup(), lossSum / (w % 10 == 0 ? 10 : w % 10), accSum / (w % 10 == 0 ? 10 : w % 10),
                        w % 10 == 0 ? 10 : w % 10, (System.nanoTime() - t0) / 1e9 / w));
                accSum = lossSum = 0;
            }
            if (listener.cancelled()) return true;
        }
        g.release();
        return false;
    }

    /** Sampler steps of the warm-up's batches: far from the joint steps', so neither repeats the other's crops. */
    private static final long WARMUP_STREAM = 1L << 40;

    /**
     * Validates the current weights; when memory runs out (whole validation images on top of the
     * training graph), warns and returns null, so the run goes on and its checkpoint is still written.
     */
    private static Validator.Score validate(Validator validator, GeneratorConfig config, Map<String, INDArray> stage1,
                                            GeneratorTraining trainer, Listener listener) {
        Generator g = null;
        try {
            g = stage1 == null ? new Generator(config, trainer.params())
                    : Generator.recursive(config, java.util.List.of(stage1, trainer.params()), 2);
            return validator.evaluate(g);
        } catch (OutOfMemoryError e) {
            System.gc();
            listener.message("Warning: validation at step " + trainer.step() + " skipped, not enough memory (" + e.getMessage()
                    + "): give the run more memory (JAVA_OPTS=-Xmx8g) or use fewer or smaller validation images.");
            return null;
        } finally {
            // its weights and buffers now, not when the JVM collects it: training holds what a step needs
            if (g != null) g.release();
        }
    }

    private static Validator.Score lastScore(List<TrainingLog.Row> rows) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            TrainingLog.Row r = rows.get(i);
            if (!Double.isNaN(r.valPsnr())) return new Validator.Score(r.valPsnr(), r.valSsim(), r.bicubicPsnr(), r.bicubicSsim(), 0);
        }
        return null;
    }

    /** Checkpoint keys of the discriminator's parameters and Adam state (beside the generator's "adam/..."). */
    static final String DISC = "disc/";
    static final String DISC_ADAM = "disc-adam/";

    private void save(GeneratorTraining trainer, DiscriminatorTraining critic, Map<String, INDArray> disc, GeneratorConfig config,
                      TrainingImages images, Validator validator, Validator.Score score, double wall, String origin, long seed)
            throws IOException {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", o.data().hrDir().getFileName() + " (" + images.size() + " planes, "
                + String.format(Locale.ROOT, "%.1f", images.megapixels()) + " megapixels)" + (o.data().lrDir() != null ? ", paired with " + o.data().lrDir().getFileName() : ""));
        training.put("recipe", o.network().recipe() == TrainingOptions.Recipe.STUDY
                ? "study: batch-norm, plain output, pixel MSE, Adam"
                : "fast: no batch-norm, residual scaling 0.1, bicubic skip, pixel MSE, Adam");
        training.put("origin", origin);
        training.put("steps", trainer.step());
        if (baseSteps > 0) {
            // a model fine-tuned over several sittings (each from the last shipped model) says how long its whole lineage trained
            training.put("steps_before", baseSteps);
            training.put("total_steps", baseSteps + trainer.step());
        }
        training.put("engine", o.schedule().eager() ? "eager" : "samediff");
        training.put("batch", o.data().batch());
        training.put("patch", o.data().patch());
        training.put("learning_rate", trainer.adam().learningRate());
        training.put("beta1", trainer.adam().beta1());
        if (trainer.adam().warmup() > 0) training.put("learning_rate_warmup", trainer.adam().warmup());
        if (critic != null) {
            training.put("method", o.adversarial().method().label());
            training.put("discriminator", o.discriminator().label());
            training.put("adversarial_weight", o.adversarial().weight());
            training.put("discriminator_learning_rate", o.effectiveDiscLearningRate());
            if (o.adversarial().discWarmup() > 0) training.put("discriminator_warmup", o.adversarial().discWarmup());
            if (o.adversarial().ramp() > 0) training.put("adversarial_ramp", o.adversarial().ramp());
            if (o.adversarial().instanceNoise() > 0) training.put("instance_noise", o.adversarial().instanceNoise());
            training.put("adversarial_loss", o.adversarial().loss().label());
        }
        if (o.network().freezeTrunk()) training.put("trained_layers", "upsampling blocks and output convolution (trunk frozen)");
        training.put("augmentation", "random crops of distinct images, flips and 90-degree rotations; inputs by antialiased bicubic downsampling"
                + (skipFlat ? "; crops that bicubic upsampling of their input reproduces to " + (int) PatchSampler.FLAT_PSNR
                + " dB drawn again (up to " + PatchSampler.FLAT_TRIES + " draws)" : ""));
        if (skipFlat) training.put("skip_flat_patches", true);
        training.put("wall_seconds", Math.round(wall));
        if (baseSteps > 0) training.put("total_wall_seconds", Math.round(baseWall + wall));
        training.put("seed", seed);
        training.put("finished", Instant.now().toString());
        Map<String, Object> metrics = new LinkedHashMap<>();
        if (score != null && validator != null) {
            metrics.put("validation", o.data().valDir().getFileName() + " (" + validator.size() + " images, centre crops <= 512, "
                    + (o.network().channels() == 3 ? "RGB" : "luminance") + ", border " + o.network().scale() + " px)");
            metrics.put("psnr", round(score.psnr()));
            metrics.put("ssim", round(score.ssim()));
            metrics.put("bicubic_psnr", round(score.bicubicPsnr()));
            metrics.put("bicubic_ssim", round(score.bicubicSsim()));
        }
        String method = switch (o.adversarial().method()) {
            case SRGAN -> "SRGAN";
            case FFTGAN -> "fftGAN";
            case RGAN -> "rGAN";
            case SRRESNET -> "SRResNet";
        };
        ModelCard card = new ModelCard(o.modelName(), method, config.describe() + (critic == null ? ", trained with pixel MSE"
                : ", trained with pixel MSE + " + o.adversarial().weight() + " x adversarial loss (" + o.adversarial().method().label() + ")"),
                config, "trained by the user", training, metrics);
        Map<String, INDArray> params = trainer.params();
        if (stage1 != null) {
            Map<String, INDArray> staged = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : stage1.entrySet()) staged.put(ModelCard.stagePrefix(1) + e.getKey(), e.getValue());
            for (Map.Entry<String, INDArray> e : params.entrySet()) staged.put(ModelCard.stagePrefix(2) + e.getKey(), e.getValue());
            params = staged;
            card = new ModelCard(card.name(), card.method(), card.description() + "; two x2 stages applied in turn", config,
                    card.license(), card.training(), card.metrics(), 2);
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("step", trainer.step());
        state.put("seed", seed);
        state.put("wall_seconds", wall);
        state.put("origin", origin);
        state.put("base_steps", baseSteps);
        state.put("base_wall_seconds", baseWall);
        state.put("method", o.adversarial().method().label());
        state.put("checkpoint_every", checkpointEvery);
        state.put("validate_every", validateEvery);
        state.put("lr_warmup", lrWarmup);
        state.put("skip_flat_patches", skipFlat);
        Map<String, INDArray> optimizer = new LinkedHashMap<>(trainer.optimizerState());
        if (critic != null) {
            for (Map.Entry<String, INDArray> e : disc.entrySet()) optimizer.put(DISC + e.getKey(), e.getValue());
            for (Map.Entry<String, INDArray> e : critic.optimizerState().entrySet()) optimizer.put("disc-" + e.getKey(), e.getValue());
        }
        ModelFile.write(card, params, optimizer, Json.write(state), o.checkpoint(), true);
        ModelFile.write(card, params, o.output().model(), true);
        if (o.output().keepCheckpoints()) ModelFile.write(card, params, o.keptModel(trainer.step()), true);
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    /** Writes text atomically. */
    static void writeAtomically(Path file, String text) throws IOException {
        io.github.superresolve.io.AtomicFile.write(file, ".part", tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }
}
