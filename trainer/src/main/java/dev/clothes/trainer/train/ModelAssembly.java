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

    /**
     * An assembled graph and its embedding: the vertex the output layer reads, which every runtime returns as the
     * bundle's second output; the caller closes the graph.
     */
    public record Assembled(ComputationGraph graph, String embedding) {
    }

    /** A graph of {@code trunk} + a head shaped like {@code config}, weights not loaded. */
    public static ComputationGraph graph(Backbone backbone, HeadConfig config, int classes) {
        return build(backbone, config, classes).graph();
    }

    private static Assembled build(Backbone backbone, HeadConfig config, int classes) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(config.seed()).dataType(DataType.FLOAT)
                .graphBuilder().addInputs(INPUT)
                .setInputTypes(InputType.convolutional(backbone.inputSize(), backbone.inputSize(), 3));
        String x = backbone.addTrunk(g, INPUT);
        String embedding = x;
        for (Layer layer : new Head(config).graphLayers(backbone.featureSize(), classes)) {
            embedding = x;
            g.addLayer(layer.getLayerName(), layer, x);
            x = layer.getLayerName();
        }
        g.setOutputs(x);
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return new Assembled(graph, embedding);
    }

    /** The full model with the trunk's pretrained weights and {@code head}'s trained weights. */
    public static Assembled assemble(Trunks trunk, HeadConfig config, ComputationGraph head, int classes) {
        Assembled assembled = pretrained(trunk, config, classes);
        new Head(config).copyWeights(head, assembled.graph());
        return assembled;
    }

    /** The full model with the trunk's pretrained weights below the cut and {@code top}'s fine-tuned ones above. */
    public static Assembled assemble(Trunks trunk, HeadConfig config, TrunkCut cut, ComputationGraph top,
                                     int classes) {
        Assembled assembled = pretrained(trunk, config, classes);
        cut.unfoldInto(top, assembled.graph());
        return assembled;
    }

    private static Assembled pretrained(Trunks trunk, HeadConfig config, int classes) {
        Assembled assembled = build(trunk.backbone(), config, classes);
        trunk.loadInto(assembled.graph(), Set.copyOf(new Head(config).layerNames()));
        return assembled;
    }
}
