package dev.clothes.trainer.train;

import dev.clothes.trainer.backbone.Backbone;
import dev.clothes.trainer.backbone.Trunks;
import dev.clothes.trainer.finetune.TrunkCut;

import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The deployable graph: the pretrained trunk (or several side by side, their features concatenated) plus
 * the trained head, Keras layer names throughout.
 */
public final class ModelAssembly {

    public static final String INPUT = "input_1";
    public static final String OUTPUT = Head.OUTPUT;

    private ModelAssembly() {
    }

    /** A graph of {@code trunk} + a head shaped like {@code config}, weights not loaded. */
    public static ComputationGraph graph(Backbone backbone, HeadConfig config, int classes) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(config.seed()).dataType(DataType.FLOAT)
                .graphBuilder().addInputs(INPUT)
                .setInputTypes(InputType.convolutional(backbone.inputSize(), backbone.inputSize(), 3));
        String x = backbone.addTrunk(g, INPUT);
        for (Layer layer : new Head(config).graphLayers(backbone.featureSize(), classes)) {
            g.addLayer(layer.getLayerName(), layer, x);
            x = layer.getLayerName();
        }
        g.setOutputs(x);
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /** The full model with the trunk's pretrained weights and {@code head}'s trained weights. */
    public static ComputationGraph assemble(Trunks trunk, HeadConfig config, ComputationGraph head,
                                            int classes) {
        ComputationGraph graph = pretrained(trunk, config, classes);
        new Head(config).copyWeights(head, graph);
        return graph;
    }

    /** The full model with the trunk's pretrained weights below the cut and {@code top}'s fine-tuned ones above. */
    public static ComputationGraph assemble(Trunks trunk, HeadConfig config, TrunkCut cut,
                                            ComputationGraph top, int classes) {
        ComputationGraph graph = pretrained(trunk, config, classes);
        cut.unfoldInto(top, graph);
        return graph;
    }

    private static ComputationGraph pretrained(Trunks trunk, HeadConfig config, int classes) {
        ComputationGraph graph = graph(trunk.backbone(), config, classes);
        trunk.loadInto(graph, Set.copyOf(new Head(config).layerNames()));
        return graph;
    }
}
