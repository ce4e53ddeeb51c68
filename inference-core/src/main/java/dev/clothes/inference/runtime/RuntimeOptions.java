package dev.clothes.inference.runtime;

/**
 * @param threads  intra-op threads per model instance
 * @param poolSize model instances that may run at once (requests beyond wait their turn)
 */
public record RuntimeOptions(int threads, int poolSize) {

    public static final RuntimeOptions DEFAULT = new RuntimeOptions(
            Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())), 1);

    public RuntimeOptions {
        if (threads < 1 || threads > 64 || poolSize < 1 || poolSize > 64) {
            throw new IllegalArgumentException("threads and poolSize must be within 1..64");
        }
    }
}
