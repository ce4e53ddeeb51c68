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

    /**
     * The rows of the first {@code k} variants of each image, from a set extracted with {@code n} variants per
     * image (variant k is the same whatever n: its cache key does not depend on n).
     */
    public FeatureSet firstVariants(int k, int n) {
        if (k < 1 || k > n || size() % n != 0) {
            throw new IllegalArgumentException("cannot take " + k + " of " + n + " variants from " + size() + " rows");
        }
        if (k == n) {
            return this;
        }
        int images = size() / n;
        float[][] f = new float[images * k][];
        int[] l = new int[images * k];
        List<Path> fs = new java.util.ArrayList<>(images * k);
        for (int image = 0, at = 0; image < images; image++) {
            for (int v = 0; v < k; v++, at++) {
                f[at] = features[image * n + v];
                l[at] = labels[image * n + v];
                fs.add(files.get(image * n + v));
            }
        }
        return new FeatureSet(f, l, fs, skipped, imageSha256);
    }
}
