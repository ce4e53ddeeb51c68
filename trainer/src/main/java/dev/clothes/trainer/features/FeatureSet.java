package dev.clothes.trainer.features;

import java.nio.file.Path;
import java.util.List;

/**
 * Features of one split: row i holds {@code features[i]} for image {@code files.get(i)} with class
 * {@code labels[i]} (augmented variants are further rows of the same file).
 */
public record FeatureSet(float[][] features, int[] labels, List<Path> files, List<Path> skipped) {

    public int size() {
        return labels.length;
    }
}
