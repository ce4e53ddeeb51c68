package dev.clothes.inference.classify;

import dev.clothes.inference.ood.OutOfDistribution;

import java.util.List;
import java.util.Optional;

/**
 * The top-k classes of one image, best first, the time each step took, and, when the bundle has
 * out-of-distribution scorers, how unlike the training images the image is ({@code outOfDistribution}
 * is null otherwise).
 */
public record Classification(List<Prediction> predictions, Timings timings, OutOfDistribution outOfDistribution) {

    public Classification {
        predictions = List.copyOf(predictions);
    }

    /** A classification by a bundle without out-of-distribution scorers. */
    public Classification(List<Prediction> predictions, Timings timings) {
        this(predictions, timings, null);
    }

    public Prediction top() {
        return predictions.get(0);
    }

    /** The out-of-distribution verdict, when the bundle has scorers. */
    public Optional<OutOfDistribution> ood() {
        return Optional.ofNullable(outOfDistribution);
    }

    /** Whether the image looks like none of the classes; always false for a bundle without scorers. */
    public boolean unsure() {
        return outOfDistribution != null && outOfDistribution.unsure();
    }
}
