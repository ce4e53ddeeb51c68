package dev.clothes.inference.runtime;

import java.util.Objects;

/**
 * What one run of a model gives: the class scores and, when the bundle declares it, the embedding
 * (the head's input, which out-of-distribution scorers read); {@code embedding} is null otherwise.
 */
public record ModelOutputs(float[] scores, float[] embedding) {

    public ModelOutputs {
        Objects.requireNonNull(scores, "scores");
    }
}
