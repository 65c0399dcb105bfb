package io.github.superresolve.ij;

import ij.ImagePlus;
import io.github.superresolve.train.TrainingOptions;
import io.github.superresolve.train.TrainingPlot;
import io.github.superresolve.train.TrainingRun;
import io.github.superresolve.train.Validator;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;
import java.io.IOException;
import java.util.Locale;

/**
 * Trains an SRResNet on a folder of images (pixel MSE), writing a model file that Super-Resolve Image
 * can use, with a checkpoint, CSV log and plot beside it. Cancel (Esc) finishes the current step and
 * writes a checkpoint; {@code resume} continues. Keys are API, as for {@link SuperResolveImage}:
 * {@code run("Train on Folder...", "input_directory=[...] output_model=[...] scale=4 steps=2000")}.
 * Defaults and checks are {@link TrainingOptions.Builder}'s, as the command line's; the lists' choices are
 * the labels of the options' enums (annotations need constants: TrainOnFolderCommandTest keeps them equal).
 */
@Plugin(type = Command.class, headless = true, label = "Train on Folder",
        description = "Trains a super-resolution network on a folder of high-resolution images.")
public class TrainOnFolder extends ContextCommand {

    @Parameter(label = "Input_directory", style = "directory", description = "High-resolution training images (subfolders too)")
    private File input_directory;

    @Parameter(label = "Validation_directory", style = "directory", required = false,
            description = "Held-out images scored every Validate_every steps (optional)")
    private File validation_directory;

    @Parameter(label = "Lr_directory", style = "directory,advanced", required = false,
            description = "Matching low-resolution images (same names), instead of bicubic downsampling (optional)")
    private File lr_directory;

    @Parameter(label = "File_filter", style = "advanced", required = false, description = "Only files whose name contains this text")
    private String file_filter = "";

    @Parameter(label = "Scale", choices = {"2", "4", "8"}, persist = false)
    private String scale = String.valueOf(TrainingOptions.DEFAULT_SCALE);

    @Parameter(label = "Channels", choices = {"3", "1"}, persist = false, description = "3 = RGB, 1 = grey (microscopy, medical)")
    private String channels = String.valueOf(TrainingOptions.DEFAULT_CHANNELS);

    @Parameter(label = "Recipe", style = "advanced", choices = {"fast", "study"}, persist = false,
            description = "fast: no batch-norm, residual x0.1, bicubic skip, Adam 2e-4; study: the SRResNet paper")
    private String recipe = TrainingOptions.Recipe.FAST.label();

    @Parameter(label = "Method", choices = {"srresnet", "srgan", "fftgan", "rgan"}, persist = false,
            description = "srresnet: pixel MSE; srgan / fftgan: MSE + adversarial loss (convolutional / Fourier discriminator); rgan: second x2 stage on From_model's outputs")
    private String method = TrainingOptions.Method.SRRESNET.label();

    @Parameter(label = "Adversarial_weight", style = "advanced", persist = false, description = "Weight of the adversarial loss (srgan, fftgan)")
    private double adversarial_weight = TrainingOptions.DEFAULT_ADVERSARIAL_WEIGHT;

    @Parameter(label = "Adversarial_ramp", style = "advanced", min = "0", max = "100000", persist = false,
            description = "Joint steps over which the adversarial weight rises linearly to Adversarial_weight (0: in full from the first)")
    private int adversarial_ramp = 0;

    @Parameter(label = "Discriminator_filter", style = "advanced", choices = {"auto", "none", "highpass", "highpass-fine", "band", "strong", "fft"},
            persist = false,
            description = "What the discriminator is shown: the image (none; srgan's default), its fine detail (highpass), the top band (highpass-fine), the band from half Nyquist up (band), the finest detail without grain (strong), or Fourier magnitudes (fft, fftgan's); auto: the method's own")
    private String discriminator_filter = "auto";

    @Parameter(label = "Conditional", style = "advanced", persist = false,
            description = "The discriminator also sees the network's input upscaled (filters none, band and strong)")
    private boolean conditional = false;

    /** The one-word discriminator of earlier versions' macros (conv, highpass-strong, ...): still accepted. */
    @Parameter(label = "Discriminator", style = "macro-only", required = false, persist = false)
    private String discriminator = "";

    @Parameter(label = "Discriminator_warmup", style = "advanced", min = "0", max = "100000", persist = false,
            description = "Discriminator-only steps against the starting generator before the joint steps (adversarial methods)")
    private int discriminator_warmup = 0;

    @Parameter(label = "Discriminator_learning_rate", min = "0", persist = false, stepSize = "0.00001", style = "auto=0,advanced",
            description = "The discriminator's Adam rate; auto (or 0): the generator's")
    private double discriminator_learning_rate = 0;

    @Parameter(label = "Instance_noise", style = "advanced", min = "0", max = "0.5", persist = false, stepSize = "0.005",
            description = "Standard deviation of the noise added to every image the discriminator sees, real and generated (0: none)")
    private double instance_noise = 0;

    @Parameter(label = "Adversarial_loss", style = "advanced", choices = {"standard", "relativistic"}, persist = false,
            description = "srgan and rgan: each image judged alone (standard, the study's) or each ground truth against the image generated from its input (relativistic)")
    private String adversarial_loss = TrainingOptions.AdversarialLoss.STANDARD.label();

    @Parameter(label = "Patch_size", style = "advanced", min = "16", max = "512", persist = false)
    private int patch_size = TrainingOptions.DEFAULT_PATCH;

    @Parameter(label = "Batch_size", style = "advanced", min = "1", max = "256", persist = false)
    private int batch_size = TrainingOptions.DEFAULT_BATCH;

    @Parameter(label = "Skip_flat_patches", style = "advanced", persist = false,
            description = "Draw again crops that bicubic upsampling already reproduces (sky, blur, empty background); a resumed run keeps its own")
    private boolean skip_flat_patches = false;

    @Parameter(label = "Steps", min = "1", persist = false)
    private int steps = (int) TrainingOptions.DEFAULT_STEPS;

    @Parameter(label = "Learning_rate", persist = false, style = "auto=0,advanced", description = "auto (or 0) = the recipe's")
    private double learning_rate = 0;

    @Parameter(label = "Learning_rate_warmup", persist = false, min = "-1", max = "100000", style = "auto=-1,advanced",
            description = "Steps over which the learning rate rises from 0; auto (or -1): " + TrainingOptions.FINE_TUNE_WARMUP
                    + " when fine-tuning an SRResNet from a model, else none")
    private int learning_rate_warmup = TrainingOptions.AUTO_WARMUP;

    @Parameter(label = "Output_model", style = "save", description = "Model file (.zip) to write")
    private File output_model;

    @Parameter(label = "Resume", persist = false, description = "Continue from the output model's checkpoint")
    private boolean resume = false;

    @Parameter(label = "From_model", required = false, persist = false, description = "Model name or file to fine-tune (optional)")
    private String from_model = "";

    @Parameter(label = "Freeze_trunk", style = "advanced", persist = false,
            description = "Train only the upsampling blocks and output convolution of From_model, its trunk kept")
    private boolean freeze_trunk = false;

    @Parameter(label = "Overwrite", persist = false, description = "Replace an existing output model")
    private boolean overwrite = false;

    @Parameter(label = "Keep_checkpoints", style = "advanced", persist = false,
            description = "Also keep the model of every checkpoint as NAME-stepN.zip, to choose among them afterwards")
    private boolean keep_checkpoints = false;

    @Parameter(label = "Checkpoint_every", style = "auto=0,advanced", min = "0", persist = false,
            description = "Steps between checkpoints; auto (or 0): a resumed run's own, else 500 (as the command line)")
    private int checkpoint_every = 0;

    @Parameter(label = "Validate_every", style = "auto=0,advanced", min = "0", persist = false,
            description = "Steps between validations; auto (or 0): a resumed run's own, else 500 (as the command line)")
    private int validate_every = 0;

    @Parameter(label = "Seed", style = "advanced", persist = false)
    private int seed = (int) TrainingOptions.DEFAULT_SEED;

    @Parameter(type = ItemIO.OUTPUT, label = "Training log")
    private ImagePlus plot;

    @Parameter
    private SuperResolveService superResolve;

    @Parameter(required = false)
    private StatusService status;

    @Parameter(required = false)
    private LogService log;

    private volatile boolean interrupted;

    @Override
    public void run() {
        try {
            train();
        } catch (IllegalArgumentException | io.github.superresolve.nn.ModelException e) {
            cancel(e.getMessage());
        } catch (IOException e) {
            cancel("Training could not write its files (" + e.getMessage() + "): check that the output folder is writable.");
        } catch (OutOfMemoryError e) {
            cancel("Not enough memory for training: lower Batch_size or Patch_size, or give ImageJ more memory.");
        } finally {
            if (status != null) status.clearStatus();
        }
    }

    private void train() throws IOException {
        if (input_directory == null || input_directory.getPath().isBlank())
            throw new IllegalArgumentException("Choose the folder of training images (Input_directory).");
        if (output_model == null || output_model.getPath().isBlank())
            throw new IllegalArgumentException("Choose the model file to write (Output_model).");
        TrainingOptions o;
        try {
            o = TrainingOptions.builder().hrDir(input_directory.toPath()).valDir(path(validation_directory)).lrDir(path(lr_directory))
                    .fileFilter(file_filter).scale(Integer.parseInt(scale)).channels(Integer.parseInt(channels))
                    .patch(patch_size).batch(batch_size).steps(steps).recipe(recipe).learningRate(learning_rate).lrWarmup(learning_rate_warmup)
                    .output(output_model.toPath()).resume(resume).from(from_model).overwrite(overwrite)
                    .checkpointEvery(checkpoint_every).validateEvery(validate_every).seed(seed).method(method)
                    .adversarialWeight(adversarial_weight).discWarmup(discriminator_warmup).discLearningRate(discriminator_learning_rate)
                    .discriminator(discriminator).discriminatorFilter(discriminator_filter).conditional(conditional)
                    .adversarialRamp(adversarial_ramp).freezeTrunk(freeze_trunk).skipFlatPatches(skip_flat_patches ? Boolean.TRUE : null).instanceNoise(instance_noise)
                    .adversarialLoss(adversarial_loss).keepCheckpoints(keep_checkpoints).build();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Scale must be 2, 4 or 8 and Channels 1 or 3.");
        }
        long t0 = System.nanoTime();
        TrainingRun.Result r = new TrainingRun(o, new TrainingRun.Listener() {
            @Override
            public void message(String line) {
                if (log != null) log.info("Super-Resolve training: " + line);
                if (status != null) status.showStatus(line);
            }

            @Override
            public void step(long step, long total, double loss, double seconds) {
                if (status == null) return;
                status.showProgress((int) step, (int) total);
                status.showStatus(String.format(Locale.ROOT, "Training %s: step %d/%d, loss %.5f, ETA %s (Esc saves a checkpoint and stops)",
                        o.modelName(), step, total, loss, eta((total - step) * seconds)));
            }

            @Override
            public void validated(long step, Validator.Score s) {
                message(String.format(Locale.ROOT, "step %d: validation PSNR %.2f dB (bicubic %.2f), SSIM %.4f", step, s.psnr(), s.bicubicPsnr(), s.ssim()));
            }

            @Override
            public boolean cancelled() {
                // an interrupt (Esc in ImageJ) must not break the checkpoint's file writes: clear it, remember it
                if (Thread.interrupted()) interrupted = true;
                return interrupted || isCanceled();
            }
        }, superResolve.catalog()).run();
        plot = TrainingPlot.render(r.log());
        plot.setTitle(o.modelName() + " training log");
        if (r.cancelled() && status != null) status.showStatus("Training stopped at step " + r.steps() + "; checkpoint saved (Resume continues).");
    }

    private static java.nio.file.Path path(File f) {
        return f == null || f.getPath().isBlank() ? null : f.toPath();
    }

    private static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60) : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    public ImagePlus getPlot() {
        return plot;
    }
}
