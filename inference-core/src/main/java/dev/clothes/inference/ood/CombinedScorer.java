package dev.clothes.inference.ood;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Several scorers at once: the mean of each one's rank among the validation images' scores (0 below every
 * validation image, 1 above every one). No scorer is picked, so nothing is fitted on out-of-distribution
 * images: a confidence scorer (msp, energy) and a distance scorer (knn, mahalanobis) catch different
 * images, and an image unlike the training set by either way ranks high.
 *
 * @param parts      the scorers combined
 * @param validation each part's scores of the validation images, ascending
 */
public record CombinedScorer(List<OodScorer> parts, List<float[]> validation) implements OodScorer {

    public static final String NAME = "combined";

    public CombinedScorer {
        parts = List.copyOf(parts);
        validation = List.copyOf(validation);
        if (parts.isEmpty() || parts.size() != validation.size()) {
            throw new IllegalArgumentException("combined: " + parts.size() + " scorers with " + validation.size()
                    + " validation score lists");
        }
        for (float[] v : validation) {
            if (v.length == 0) {
                throw new IllegalArgumentException("combined: a validation score list is empty");
            }
            for (int i = 1; i < v.length; i++) {
                if (v[i] < v[i - 1]) {
                    throw new IllegalArgumentException("combined: validation scores must be in ascending order");
                }
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(float[] probabilities, float[] embedding) {
        double sum = 0;
        for (int i = 0; i < parts.size(); i++) {
            sum += rank(parts.get(i).score(probabilities, embedding), validation.get(i));
        }
        return sum / parts.size();
    }

    /** The same from the parts' scores already computed, by name. */
    double combine(Map<String, Double> scores) {
        double sum = 0;
        for (int i = 0; i < parts.size(); i++) {
            sum += rank(scores.get(parts.get(i).name()), validation.get(i));
        }
        return sum / parts.size();
    }

    /** The share of validation scores below {@code score}, ties counting half. */
    static double rank(double score, float[] sorted) {
        float s = (float) score;
        int below = lowerBound(sorted, s);
        int atOrBelow = below;
        while (atOrBelow < sorted.length && sorted[atOrBelow] == s) {
            atOrBelow++;
        }
        return (below + 0.5 * (atOrBelow - below)) / sorted.length;
    }

    private static int lowerBound(float[] sorted, float v) {
        int i = Arrays.binarySearch(sorted, v);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == v) {
            i--;
        }
        return i;
    }
}
