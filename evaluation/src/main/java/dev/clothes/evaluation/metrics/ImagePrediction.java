package dev.clothes.evaluation.metrics;

import dev.clothes.inference.ood.OutOfDistribution;

/**
 * What the model said about one image: its top class, that class's probability and, when the
 * bundle has out-of-distribution scorers, their default's verdict ({@code ood} is null otherwise).
 */
public record ImagePrediction(String file, String actual, String predicted, double confidence, OutOfDistribution ood) {

    public ImagePrediction(String file, String actual, String predicted, double confidence) {
        this(file, actual, predicted, confidence, null);
    }

    public boolean correct() {
        return actual.equals(predicted);
    }

    public boolean unsure() {
        return ood != null && ood.unsure();
    }
}
