package dev.clothes.inference.bundle;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;

/**
 * One fitted out-of-distribution scorer as data: higher scores mean less like the training images,
 * and a score above {@code threshold} makes a classification unsure.
 *
 * @param name       the scorer's kind: {@code msp}, {@code energy}, {@code mahalanobis} or {@code knn}
 * @param threshold  scores above it are unsure (fitted so 95 % of validation images stay below)
 * @param parameters numbers the scorer needs (e.g. {@code temperature}, {@code k}); may be empty
 * @param arrays     matrices the scorer needs, in the bundle's binary file (e.g. {@code means}); may be empty
 */
public record ScorerSpec(String name, double threshold, Map<String, Double> parameters, Map<String, FloatBlock> arrays) {

    public ScorerSpec {
        Objects.requireNonNull(name, "name");
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("scorer " + name + ": threshold must be finite, got " + threshold);
        }
        // Sorted, so the same scorers always write the same bundle.json bytes (and checksums).
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(parameters));
        arrays = arrays == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(arrays));
    }

    public ScorerSpec withThreshold(double newThreshold) {
        return new ScorerSpec(name, newThreshold, parameters, arrays);
    }
}
