package io.github.superresolve.cli;

import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.train.TrainingOptions;
import io.github.superresolve.train.TrainingRun;
import io.github.superresolve.train.Validator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code super-resolve train}: trains an SRResNet on a folder of images with pixel MSE, writing the
 * model, its checkpoint, a CSV log and a PNG plot. Ctrl-C (SIGINT/SIGTERM) finishes the current step,
 * writes a checkpoint and exits 130; {@code --resume} continues.
 */
final class TrainTool {

    /** The command's name and options (also read by {@code super-resolve completion}). */
    static final String COMMAND = "train";
    static final Set<String> VALUED = Set.of("hr-dir", "val-dir", "lr-dir", "filter", "scale", "channels", "patch", "batch", "steps",
                "recipe", "lr", "blocks", "width", "out", "o", "from", "checkpoint-every", "validate-every", "seed", "cache-mb",
                "method", "adversarial-weight", "adversarial-ramp", "instance-noise", "adversarial-loss", "disc-warmup", "disc-lr", "discriminator", "engine");
    static final Set<String> FLAGS = Set.of("resume", "overwrite", "quiet", "freeze-trunk", "keep-checkpoints");

    private final PrintStream out, err;

    TrainTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws IOException {
        Args a = new Args(COMMAND, argv, VALUED, FLAGS);
        String hr = a.get("hr-dir", null), outFile = a.get("out", "o", null);
        if (hr == null) throw new Args.UsageException("Name the training images with --hr-dir DIR.");
        if (outFile == null) throw new Args.UsageException("Name the model file to write with --out FILE.zip.");
        double lr;
        try {
            lr = Double.parseDouble(a.get("lr", "NaN"));
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--lr must be a number such as 2e-4.");
        }
        double advWeight;
        try {
            advWeight = Double.parseDouble(a.get("adversarial-weight", String.valueOf(TrainingOptions.DEFAULT_ADVERSARIAL_WEIGHT)));
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--adversarial-weight must be a number such as 1e-4.");
        }
        double discLr;
        try {
            discLr = Double.parseDouble(a.get("disc-lr", "NaN"));
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--disc-lr must be a number such as 1e-4.");
        }
        double instanceNoise;
        try {
            instanceNoise = Double.parseDouble(a.get("instance-noise", "0"));
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--instance-noise must be a number such as 0.01.");
        }
        long steps;
        try {
            steps = Long.parseLong(a.get("steps", String.valueOf(TrainingOptions.DEFAULT_STEPS)));
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--steps must be a whole number.");
        }
        TrainingOptions o;
        try {
            o = new TrainingOptions(Path.of(hr), path(a.get("val-dir", null)), path(a.get("lr-dir", null)), a.get("filter", ""),
                    a.integer("scale", 4), a.integer("channels", 3), a.integer("patch", 96), a.integer("batch", 16), steps,
                    a.get("recipe", "fast"), lr, a.integer("blocks", 16), a.integer("width", 64), Path.of(outFile),
                    a.flag("resume"), a.get("from", null), a.flag("overwrite"), a.integer("checkpoint-every", 0),
                    a.integer("validate-every", 0), Long.parseLong(a.get("seed", "1")), a.integer("cache-mb", 2048),
                    a.get("method", "srresnet"), advWeight, a.integer("disc-warmup", 0), discLr, a.get("discriminator", null),
                    a.integer("adversarial-ramp", 0), a.flag("freeze-trunk"), instanceNoise,
                    a.get("adversarial-loss", TrainingOptions.STANDARD_LOSS), a.flag("keep-checkpoints"), a.get("engine", null));
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--seed must be a whole number.");
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        boolean quiet = a.flag("quiet");
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
