package io.github.superresolve.exchange;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * ONNX Runtime calls under a time limit: each call gets its own run options, whose terminate flag a
 * timer thread sets when the limit passes; ONNX Runtime then stops between operators and the call
 * fails, which {@link #run} reports as {@link Expired}. A network from a stranger can hold a graph
 * that runs for hours on a small tile; this stops it with a sentence instead of hanging a batch.
 * Each call's options also ask for the memory arena to be shrunk when it ends, and keep ONNX Runtime's
 * own log lines (printed on the process's standard error, in colour) out of the user's terminal.
 */
final class OnnxTimeLimit {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "super-resolve ONNX time limit");
        t.setDaemon(true);
        return t;
    });

    /** A call that was stopped at its time limit. */
    static final class Expired extends Exception {
        final double seconds;

        Expired(double seconds) {
            super("stopped after " + seconds + " s");
            this.seconds = seconds;
        }
    }

    private OnnxTimeLimit() {
    }

    /**
     * Runs {@code session} on {@code inputs}, asking for {@code outputs} (all when null), stopped after
     * {@code seconds}. The caller closes the result.
     */
    static OrtSession.Result run(OrtSession session, Map<String, OnnxTensor> inputs, Set<String> outputs, double seconds)
            throws OrtException, Expired {
        OrtSession.RunOptions opts = new OrtSession.RunOptions();
        try {
            opts.addRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
            opts.setLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            AtomicBoolean fired = new AtomicBoolean();
            ScheduledFuture<?> alarm = TIMER.schedule(() -> {
                try {
                    fired.set(true);
                    opts.setTerminate(true);
                } catch (OrtException e) {
                    // the call has ended meanwhile
                }
            }, Math.max(1, (long) (seconds * 1000)), TimeUnit.MILLISECONDS);
            try {
                return outputs == null ? session.run(inputs, opts) : session.run(inputs, outputs, opts);
            } catch (OrtException e) {
                if (fired.get()) throw new Expired(seconds);
                throw e;
            } finally {
                alarm.cancel(false);
            }
        } finally {
            closeLater(opts);
        }
    }

    /** Closes the options once no alarm can touch them any more (an alarm runs on the timer's thread). */
    private static void closeLater(OrtSession.RunOptions opts) {
        TIMER.execute(opts::close);
    }
}
