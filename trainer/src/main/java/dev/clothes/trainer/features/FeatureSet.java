package dev.clothes.trainer.features;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Features of one split: row i holds {@code features[i]} for image {@code files.get(i)} with class
 * {@code labels[i]} (augmented variants are further rows of the same file).
 *
 * @param imageSha256 sha256 of every image file read, skipped ones included, so the run digest
 *                    need not read the images again
 */
public record FeatureSet(float[][] features, int[] labels, List<Path> files, List<Path> skipped,
                         Map<Path, String> imageSha256) {

    public FeatureSet {
        files = List.copyOf(files);
        skipped = List.copyOf(skipped);
        imageSha256 = Map.copyOf(imageSha256);
    }

    public int size() {
        return labels.length;
    }
}
