package dev.clothes.inference.ood;

import java.util.PriorityQueue;

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
        // The k most similar, least similar on top.
        PriorityQueue<Double> best = new PriorityQueue<>(k + 1);
        for (float[] n : neighbours) {
            double dot = 0;
            for (int j = 0; j < n.length; j++) {
                dot += n[j] * embedding[j];
            }
            best.add(dot / norm);
            if (best.size() > k) {
                best.poll();
            }
        }
        return 1.0 - best.peek();
    }
}
