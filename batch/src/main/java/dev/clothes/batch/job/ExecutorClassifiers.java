package dev.clothes.batch.job;

import dev.clothes.inference.classify.Classifier;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The classifiers open in this JVM (a Spark executor, or the driver in local mode), one per bundle.
 *
 * <p>This is the module's only static mutable state, on purpose: Spark has no per-executor setup hook and
 * deserializes a fresh copy of the scoring function for every task, so a JVM-wide holder is the one way
 * for all tasks of an executor to share one loaded model instead of loading and verifying it per
 * partition. The classifier is thread-safe (a pool of model instances, one per task slot), opened on
 * the first task that needs it and closed when the JVM exits.
 */
final class ExecutorClassifiers {

    /** By bundle sha256: a test or a long-lived driver may score with several bundles in one JVM. */
    private static final Map<String, Classifier> OPEN = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorClassifiers::closeAll, "close-classifiers"));
    }

    private ExecutorClassifiers() {
    }

    static Classifier get(String bundleSha256, Supplier<Classifier> open) {
        return OPEN.computeIfAbsent(bundleSha256, sha -> open.get());
    }

    private static void closeAll() {
        OPEN.values().forEach(Classifier::close);
        OPEN.clear();
    }
}
