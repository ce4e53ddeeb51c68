package dev.clothes.inference.ood;

/**
 * A score of how unlike the training images one image is: higher is less like them. Scorers are
 * immutable and thread-safe.
 */
public sealed interface OodScorer permits MaxSoftmaxScorer, EnergyScorer, MahalanobisScorer, KnnCosineScorer {

    /** The name in {@code bundle.json} ({@code msp}, {@code energy}, {@code mahalanobis}, {@code knn}). */
    String name();

    /** Whether {@link #score} reads the embedding (otherwise it may be null). */
    boolean needsEmbedding();

    /** @param probabilities the class probabilities (after the bundle's postprocessing) */
    double score(float[] probabilities, float[] embedding);
}
