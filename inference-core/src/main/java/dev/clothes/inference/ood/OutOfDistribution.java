package dev.clothes.inference.ood;

import java.util.Objects;

/**
 * How unlike the training images one image is, by the bundle's default scorer: {@code unsure}
 * when the score is above the threshold fitted on validation images (95 % of them fall below it).
 *
 * @param score     the scorer's value; higher is less like the training images
 * @param threshold the fitted threshold
 * @param scorer    the scorer's name ({@code mahalanobis}, {@code energy}, ...)
 */
public record OutOfDistribution(double score, double threshold, String scorer) {

    public OutOfDistribution {
        Objects.requireNonNull(scorer, "scorer");
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("out-of-distribution score of " + scorer + " is NaN");
        }
    }

    /** The image looks like none of the classes: its score is above the threshold. */
    public boolean unsure() {
        return score > threshold;
    }
}
