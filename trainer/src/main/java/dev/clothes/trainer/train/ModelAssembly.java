package dev.clothes.trainer.train;

import dev.clothes.trainer.backbone.Backbone;
import dev.clothes.trainer.backbone.PretrainedTrunk;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The deployable graph: pretrained trunk plus the trained head, Keras layer names throughout. */
public final class ModelAssembly {

    public static final String INPUT = "input_1";
    public static final String OUTPUT = "predictions";

    private ModelAssembly() {
    }

    /** A graph of {@code trunk} + a head shaped like {@code config}, weights not loaded. */
    public static ComputationGraph graph(Backbone backbone, HeadConfig config, int classes) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(config.seed()).dataType(DataType.FLOAT)
                .graphBuilder().addInputs(INPUT)
                .setInputTypes(InputType.convolutional(backbone.inputSize(), backbone.inputSize(), 3));
        String x = backbone.addTrunk(g, INPUT);
        if (config.hidden() > 0) {
            g.addLayer("dense", new DenseLayer.Builder().nOut(config.hidden()).activation(Activation.RELU).build(), x);
            x = "dense";
        }
        g.addLayer(OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                .activation(Activation.SOFTMAX).build(), x);
        g.setOutputs(OUTPUT);
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /** The full model with the trunk's pretrained weights and {@code head}'s trained weights. */
    public static ComputationGraph assemble(PretrainedTrunk trunk, HeadConfig config, MultiLayerNetwork head,
                                            int classes) {
        ComputationGraph graph = graph(trunk.backbone(), config, classes);
        trunk.loadInto(graph, java.util.Set.of("dense", OUTPUT));
        int layer = 0;
        if (config.hidden() > 0) {
            copy(head, layer++, graph, "dense");
        }
        copy(head, layer, graph, OUTPUT);
        return graph;
    }

    private static void copy(MultiLayerNetwork head, int index, ComputationGraph graph, String name) {
        graph.getLayer(name).setParam("W", head.getLayer(index).getParam("W").dup());
        graph.getLayer(name).setParam("b", head.getLayer(index).getParam("b").dup());
    }
}
