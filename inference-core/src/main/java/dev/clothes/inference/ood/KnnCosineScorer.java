package dev.clothes.inference.ood;

import java.util.Arrays;

/**
 * 1 − the cosine similarity to the k-th most similar training embedding: far from every training
 * image means unlike them, whatever the class.
 *
 * @param neighbours the training embeddings, each of unit length, one after another in one array: read front to
 *                   back on every request, which the memory system streams (1.6 MB), where one array per row
 *                   cost twice the time once the model's weights had pushed them out of the cache
 * @param dims       the embedding's length
 */
public record KnnCosineScorer(float[] neighbours, int dims, int k) implements OodScorer {

    public static final String NAME = "knn";

    public KnnCosineScorer {
        if (dims < 1 || neighbours.length % dims != 0) {
            throw new IllegalArgumentException("knn: " + neighbours.length + " values are not rows of " + dims);
        }
        int rows = neighbours.length / dims;
        if (k < 1 || k > rows) {
            throw new IllegalArgumentException("knn: k must be between 1 and " + rows + ", got " + k);
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
        for (int row = 0; row < neighbours.length; row += dims) {
            float similarity = (float) (dot(neighbours, row, embedding) / norm);
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
    private static double dot(float[] rows, int at, float[] b) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = 0;
        for (; j + 3 < b.length; j += 4) {
            s0 += rows[at + j] * b[j];
            s1 += rows[at + j + 1] * b[j + 1];
            s2 += rows[at + j + 2] * b[j + 2];
            s3 += rows[at + j + 3] * b[j + 3];
        }
        for (; j < b.length; j++) {
            s0 += rows[at + j] * b[j];
        }
        return (double) s0 + s1 + s2 + s3;
    }
}
