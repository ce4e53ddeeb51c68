package dev.clothes.inference.classify;

import java.util.List;

/** The top-k classes of one image, best first, and the time each step took. */
public record Classification(List<Prediction> predictions, Timings timings) {

    public Classification {
        predictions = List.copyOf(predictions);
    }

    public Prediction top() {
        return predictions.get(0);
    }
}
