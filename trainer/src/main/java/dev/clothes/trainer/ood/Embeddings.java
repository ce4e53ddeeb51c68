package dev.clothes.trainer.ood;

import dev.clothes.trainer.features.FeatureSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The head's view of a split: each image's embedding (the output layer's input), its class
 * probabilities before calibration, and its label. Augmented copies are left out: the scorers
 * describe the images as they will be served.
 */
record Embeddings(float[][] embeddings, float[][] probabilities, int[] labels) {

    static Embeddings of(MultiLayerNetwork head, FeatureSet set) {
        Set<Path> seen = new HashSet<>();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            // Variant 0 of an image is the image itself and comes first.
            if (seen.add(set.files().get(i))) {
                rows.add(i);
            }
        }
        float[][] features = new float[rows.size()][];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < features.length; i++) {
            features[i] = set.features()[rows.get(i)];
            labels[i] = set.labels()[rows.get(i)];
        }
        List<INDArray> activations = head.feedForward(Nd4j.create(features), false);
        // activations: the input, then each layer's output; the embedding is the last layer's input.
        float[][] embeddings = activations.get(activations.size() - 2).toFloatMatrix();
        float[][] probabilities = activations.get(activations.size() - 1).toFloatMatrix();
        return new Embeddings(embeddings, probabilities, labels);
    }

    int size() {
        return labels.length;
    }

    int dimension() {
        return embeddings[0].length;
    }
}
