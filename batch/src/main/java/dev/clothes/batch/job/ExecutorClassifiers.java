package dev.clothes.batch.job;

import dev.clothes.inference.classify.Classifier;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

/**
 * The classifiers open in this JVM (a Spark executor, or the driver in local mode): one per task running at
 * once, lent to a task for its whole partition and handed back when it ends.
 *
 * <p>This is the module's only static mutable state, on purpose: Spark has no per-executor setup hook and
 * deserializes a fresh copy of the scoring function for every task, so a JVM-wide holder is the one way
 * for the tasks of an executor to share loaded models instead of loading and verifying one per partition.
 * Instances are made when a task finds none idle, so an executor holds as many as it runs tasks at once,
 * whatever the cluster manager told it (no guess from {@code spark.executor.cores}); each runs
 * {@code spark.task.cpus} threads, so the model never runs more threads than the tasks were given cores.
 * All are closed when the JVM exits.
 */
final class ExecutorClassifiers {

    /** Idle instances by bundle sha256 and thread count: a JVM may score with several bundles. */
    private static final Map<String, Deque<Classifier>> IDLE = new ConcurrentHashMap<>();
    private static final List<Classifier> OPEN = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorClassifiers::closeAll, "close-classifiers"));
    }

    private ExecutorClassifiers() {
    }

    /** An idle instance for this bundle and thread count, or a new one from {@code open}. */
    static Classifier borrow(String bundleSha256, int threads, Supplier<Classifier> open) {
        Classifier idle = IDLE.computeIfAbsent(key(bundleSha256, threads), k -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (idle != null) {
            return idle;
        }
        Classifier opened = open.get();
        synchronized (OPEN) {
            OPEN.add(opened);
        }
        return opened;
    }

    /** Back to the idle ones, for the executor's next task. */
    static void giveBack(String bundleSha256, int threads, Classifier classifier) {
        IDLE.get(key(bundleSha256, threads)).addFirst(classifier);
    }

    private static String key(String bundleSha256, int threads) {
        return bundleSha256 + "/" + threads;
    }

    private static void closeAll() {
        synchronized (OPEN) {
            OPEN.forEach(Classifier::close);
            OPEN.clear();
        }
        IDLE.clear();
    }
}
