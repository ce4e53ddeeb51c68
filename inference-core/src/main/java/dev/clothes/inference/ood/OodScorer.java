package dev.clothes.inference.ood;

/**
 * A score of how unlike the training images one image is: higher is less like them. Scorers are
 * immutable and thread-safe.
 */
public sealed interface OodScorer permits MaxSoftmaxScorer, EnergyScorer, MahalanobisScorer, KnnCosineScorer,
        CombinedScorer {

    /** The name in {@code bundle.json} ({@code msp}, {@code energy}, {@code mahalanobis}, {@code knn}, {@code combined}). */
    String name();

    /**
     * @param probabilities the class probabilities (after the bundle's postprocessing)
     * @param embedding     the model's embedding; null for a bundle without one (then only {@code msp} exists)
     */
    double score(float[] probabilities, float[] embedding);
}
