package dev.clothes.trainer.train;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The classifier head's layers and their names, the same for training on features ({@link HeadTrainer}),
 * fine-tuning ({@link FineTuner}) and in the deployable graph ({@link ModelAssembly}), so trained
 * weights move across by name.
 */
final class Head {

    static final String DENSE = "dense";
    static final String OUTPUT = "predictions";

    private final HeadConfig config;

    Head(HeadConfig config) {
        this.config = config;
    }

    /** The layers, in order, each named as in {@link #layerNames()}. */
    List<Layer> trainingLayers(int inputs, int classes, INDArray classWeights) {
        // DL4J's Dropout takes the probability of keeping an input.
        return layers(inputs, classes, classWeights == null ? new LossMCXENT() : new LossMCXENT(classWeights),
                new Dropout(1 - config.dropout()));
    }

    /** The same layers for inference: no dropout, unweighted loss. */
    List<Layer> graphLayers(int inputs, int classes) {
        return layers(inputs, classes, new LossMCXENT(), null);
    }

    List<String> layerNames() {
        return config.hidden() > 0 ? List.of(DENSE, OUTPUT) : List.of(OUTPUT);
    }

    /** Adds the training layers after {@code input} and returns the output layer's name. */
    String addTrainingLayers(ComputationGraphConfiguration.GraphBuilder g, String input, int inputs, int classes,
                             INDArray classWeights) {
        String x = input;
        for (Layer layer : trainingLayers(inputs, classes, classWeights)) {
            g.addLayer(layer.getLayerName(), layer, x);
            x = layer.getLayerName();
        }
        return x;
    }

    /** Inverse class frequency, or null when the config does not weight classes. */
    INDArray classWeights(int[] labels, int classes) {
        if (!config.classWeighting()) {
            return null;
        }
        double[] counts = new double[classes];
        for (int label : labels) {
            counts[label]++;
        }
        double[] weights = new double[classes];
        for (int c = 0; c < classes; c++) {
            weights[c] = counts[c] == 0 ? 0 : labels.length / (classes * counts[c]);
        }
        return Nd4j.create(weights).castTo(DataType.FLOAT).reshape(1, classes);
    }

    /** Copies {@code trained}'s weights into the head layers of {@code graph}. */
    void copyWeights(ComputationGraph trained, ComputationGraph graph) {
        for (String name : layerNames()) {
            for (String param : List.of("W", "b")) {
                graph.getLayer(name).setParam(param, trained.getLayer(name).getParam(param).dup());
            }
        }
    }

    private List<Layer> layers(int inputs, int classes, LossMCXENT loss, Dropout dropout) {
        List<Layer> layers = new ArrayList<>();
        int nIn = inputs;
        if (config.hidden() > 0) {
            layers.add(new DenseLayer.Builder().name(DENSE).nIn(nIn).nOut(config.hidden())
                    .activation(Activation.RELU).build());
            nIn = config.hidden();
        }
        OutputLayer.Builder output = new OutputLayer.Builder(loss).name(OUTPUT).nIn(nIn).nOut(classes)
                .activation(Activation.SOFTMAX);
        if (dropout != null) {
            output.dropOut(dropout);
        }
        layers.add(output.build());
        return layers;
    }
}
