package dev.clothes.inference.classify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every figure a bundle gives for one image, for evaluation: the class probabilities and each
 * out-of-distribution scorer's score by name (empty for a bundle without scorers).
 */
public record ImageScores(float[] probabilities, Map<String, Double> oodScores) {

    public ImageScores {
        oodScores = Collections.unmodifiableMap(new LinkedHashMap<>(oodScores)); // bundle.json's order
    }
}
