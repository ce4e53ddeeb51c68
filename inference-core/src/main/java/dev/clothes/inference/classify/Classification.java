package dev.clothes.inference.classify;

import dev.clothes.inference.ood.OutOfDistribution;

import java.util.List;
import java.util.Optional;

/**
 * The top-k classes of one image, best first, every class's probability in label order, the time each
 * step took, and, when the bundle has out-of-distribution scorers, how unlike the training images the
 * image is ({@code outOfDistribution} is null otherwise).
 */
public record Classification(List<Prediction> predictions, float[] probabilities, Timings timings,
                             OutOfDistribution outOfDistribution) {

    public Classification {
        predictions = List.copyOf(predictions);
        probabilities = probabilities.clone();
    }

    /** A classification by a bundle without out-of-distribution scorers. */
    public Classification(List<Prediction> predictions, float[] probabilities, Timings timings) {
        this(predictions, probabilities, timings, null);
    }

    public Prediction top() {
        return predictions.get(0);
    }

    /** A copy: the record stays immutable. */
    @Override
    public float[] probabilities() {
        return probabilities.clone();
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
