package io.github.superresolve.spark;

import io.github.superresolve.infer.FileUpscaler;
import io.github.superresolve.infer.NetworkUpscaler;
import io.github.superresolve.resolve.ModelResolver;
import io.github.superresolve.resolve.ResolvedModel;
import io.github.superresolve.resolve.Tiling;
import io.github.superresolve.nn.ModelCatalog;
import io.github.superresolve.nn.NativeBackend;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * An executor JVM's upscalers: the model is loaded once per JVM (the catalog keeps it) and each task
 * running at the same time borrows an upscaler of its own, whose network is a worker (own native
 * buffers within the task's memory budget, the weights shared), and gives it back for the next task.
 * An executor running k tasks at once therefore holds the weights once and k sets of tile buffers.
 *
 * <p>Threads: each task's network ops use as many threads as the task has cores
 * ({@code spark.task.cpus}, 1 by default): the application sets {@code OMP_NUM_THREADS} for executors
 * ({@code spark.executorEnv.OMP_NUM_THREADS}), which oneDNN and OpenBLAS read when the native library
 * loads, and ND4J's own thread count is set here too, for a JVM started without it (local mode).
 */
final class Workers {

    private static final Map<String, ConcurrentLinkedDeque<FileUpscaler>> IDLE = new ConcurrentHashMap<>();
    private static volatile int threads;

    private Workers() {
    }

    static FileUpscaler borrow(JobSettings s, ModelShipment model, int taskCpus) {
        threads(taskCpus);
        FileUpscaler f = IDLE.computeIfAbsent(key(s, model), k -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (f != null) return f;
        return new FileUpscaler(ModelResolver.standard().resolve(model.localSpec()).upscaler(s.scale(),
                new Tiling(s.tile() <= 0 ? NetworkUpscaler.AUTO : s.tile(), s.overlap(), s.batch(), s.memory(), true)), s.options());
    }

    static void giveBack(JobSettings s, ModelShipment model, FileUpscaler f) {
        IDLE.computeIfAbsent(key(s, model), k -> new ConcurrentLinkedDeque<>()).offerFirst(f);
    }

    /** Upscalers made so far in this JVM and idle now (tests). */
    static int idle() {
        return IDLE.values().stream().mapToInt(ConcurrentLinkedDeque::size).sum();
    }

    private static String key(JobSettings s, ModelShipment model) {
        return model.localSpec() + "|" + s;
    }

    private static void threads(int taskCpus) {
        int n = Math.max(1, taskCpus);
        if (threads == n) return;
        synchronized (Workers.class) {
            if (threads == n) return;
            NativeBackend.init();
            Nd4j.getEnvironment().setMaxThreads(n);
            Nd4j.getEnvironment().setMaxMasterThreads(n);
            threads = n;
        }
    }
}
