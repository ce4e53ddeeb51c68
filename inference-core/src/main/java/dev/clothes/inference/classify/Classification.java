package dev.clothes.inference.classify;

import java.util.List;

/**
 * The top-k classes of one image, best first, every class's probability in label order, and the time
 * each step took.
 */
public record Classification(List<Prediction> predictions, float[] probabilities, Timings timings) {

    public Classification {
        predictions = List.copyOf(predictions);
        probabilities = probabilities.clone();
    }

    public Prediction top() {
        return predictions.get(0);
    }

    /** A copy: the record stays immutable. */
    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }
}
