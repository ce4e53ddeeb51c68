package dev.clothes.trainer.ood;

import dev.clothes.trainer.features.FeatureSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The trained network's view of a split: each image's embedding (the output layer's input), its class
 * probabilities before calibration, and its label. Augmented copies are left out: the scorers
 * describe the images as they will be served.
 */
public record Embeddings(float[][] embeddings, float[][] probabilities, int[] labels) {

    /** The rows of {@code set} that hold each image itself (variant 0 comes first), in order. */
    public static int[] imageRows(FeatureSet set) {
        Set<Path> seen = new HashSet<>();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            if (seen.add(set.files().get(i))) {
                rows.add(i);
            }
        }
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param net    the head (pooled features in) or the fine-tuned top (cut activations in), probabilities out
     * @param inputs one row per image, what {@code net} reads
     */
    public static Embeddings of(ComputationGraph net, INDArray inputs, int[] labels) {
        var conf = net.getConfiguration();
        String output = conf.getNetworkOutputs().get(0);
        String embedding = conf.getVertexInputs().get(output).get(0);
        float[][] embeddings = new float[labels.length][];
        float[][] probabilities = new float[labels.length][];
        for (int from = 0; from < labels.length; from += 256) {
            int to = Math.min(labels.length, from + 256);
            Map<String, INDArray> activations = net.feedForward(inputs.get(NDArrayIndex.interval(from, to)), false);
            float[][] e = activations.get(embedding).toFloatMatrix();
            float[][] p = activations.get(output).toFloatMatrix();
            System.arraycopy(e, 0, embeddings, from, e.length);
            System.arraycopy(p, 0, probabilities, from, p.length);
        }
        return new Embeddings(embeddings, probabilities, labels.clone());
    }

    int size() {
        return labels.length;
    }

    int dimension() {
        return embeddings[0].length;
    }
}
