package dev.clothes.inference.bundle;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code bundle.json} → {@code outOfDistribution}: the scorers fitted at training time and the one
 * that decides whether a classification is unsure.
 *
 * @param file          the bundle file holding the scorers' arrays (float32, little-endian), or null when none needs any
 * @param defaultScorer name of the scorer that sets {@code unsure}
 * @param scorers       every fitted scorer
 */
public record OutOfDistributionConfig(String file, String defaultScorer, List<ScorerSpec> scorers) {

    public OutOfDistributionConfig {
        Objects.requireNonNull(defaultScorer, "defaultScorer");
        scorers = List.copyOf(scorers);
        Set<String> names = new HashSet<>();
        for (ScorerSpec s : scorers) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("out-of-distribution scorer " + s.name() + " is listed twice");
            }
            if (!s.arrays().isEmpty() && file == null) {
                throw new IllegalArgumentException("out-of-distribution scorer " + s.name()
                        + " has arrays but no file is named");
            }
        }
        if (!names.contains(defaultScorer)) {
            throw new IllegalArgumentException("default out-of-distribution scorer " + defaultScorer
                    + " is not among the scorers " + names);
        }
        if (file != null && (file.contains("/") || file.contains("\\") || file.isBlank())) {
            throw new IllegalArgumentException("out-of-distribution file must be a plain file name, got '" + file + "'");
        }
    }

    public ScorerSpec scorer(String name) {
        return scorers.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no out-of-distribution scorer named " + name));
    }

    /** The same scorers with {@code name} deciding. */
    public OutOfDistributionConfig withDefault(String name) {
        return new OutOfDistributionConfig(file, name, scorers);
    }
}
