package dev.clothes.inference.ood;

import java.util.Arrays;

/**
 * 1 − the cosine similarity to the k-th most similar training embedding: far from every training
 * image means unlike them, whatever the class.
 *
 * @param neighbours [training images][embedding], each of unit length
 */
public record KnnCosineScorer(float[][] neighbours, int k) implements OodScorer {

    public static final String NAME = "knn";

    public KnnCosineScorer {
        if (k < 1 || k > neighbours.length) {
            throw new IllegalArgumentException("knn: k must be between 1 and " + neighbours.length + ", got " + k);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(float[] probabilities, float[] embedding) {
        double norm = 0;
        for (float v : embedding) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            return 1.0; // an all-zero embedding is like no training image
        }
        // The k most similar so far, ascending: best[0] is the k-th most similar.
        float[] best = new float[k];
        Arrays.fill(best, Float.NEGATIVE_INFINITY);
        for (float[] n : neighbours) {
            float similarity = (float) (dot(n, embedding) / norm);
            if (similarity > best[0]) {
                int i = 0;
                while (i + 1 < k && best[i + 1] < similarity) {
                    best[i] = best[i + 1];
                    i++;
                }
                best[i] = similarity;
            }
        }
        return 1.0 - best[0];
    }

    /** Four independent sums: the loop is bound by the multiply-adds, not by one chain of additions. */
    private static double dot(float[] a, float[] b) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = 0;
        for (; j + 3 < a.length; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < a.length; j++) {
            s0 += a[j] * b[j];
        }
        return (double) s0 + s1 + s2 + s3;
    }
}
