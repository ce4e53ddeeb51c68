package dev.clothes.trainer.features;

import dev.clothes.graphexport.dl4j.UnsupportedLayerException;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.trainer.backbone.PretrainedTrunk;
import dev.clothes.trainer.backbone.Trunks;
import dev.clothes.trainer.finetune.TrunkCut;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/** A frozen pretrained trunk that turns an image into its pooled feature vector. Thread-safe. */
public interface FeatureTrunk extends AutoCloseable {

    float[] features(RgbImage image);

    /** The preprocessing {@link #features} applies; its decode scale says how images are decoded for it. */
    Preprocessing preprocessing();

    int featureSize();

    /** Identifies the weights, executor and preprocessing in feature cache keys. */
    String cacheIdentity();

    @Override
    void close();

    /**
     * The trainer's executor for {@code trunk}'s features, any backbone: the DL4J trunk graph (the one
     * the bundle serves) converted to float32 TFLite, ~10x faster than DL4J and equal to it within
     * float rounding (see TfliteTrunkTest); DL4J itself for a trunk with layers graph-export refuses
     * (the zoo backbones, see ZooBackboneTest).
     */
    static FeatureTrunk of(PretrainedTrunk trunk, int workers) {
        ComputationGraph graph = graph(trunk);
        try {
            return TfliteTrunk.compiled(graph, trunk.backbone(), trunk.weightsSha256(), workers);
        } catch (UnsupportedLayerException e) {
            return dl4j(trunk);
        } finally {
            graph.close();
        }
    }

    /** {@link #of} for each of the trunks, in order; close every one. */
    static List<FeatureTrunk> of(Trunks trunks, int workers) {
        List<FeatureTrunk> executors = new ArrayList<>();
        try {
            for (PretrainedTrunk part : trunks.parts()) {
                executors.add(of(part, workers));
            }
            return executors;
        } catch (RuntimeException e) {
            executors.forEach(FeatureTrunk::close);
            throw e;
        }
    }

    /** The same features computed by DL4J itself: the reference for parity tests and benchmarks. */
    static Dl4jTrunk dl4j(PretrainedTrunk trunk) {
        return new Dl4jTrunk(graph(trunk), trunk.backbone().preprocessing(), trunk.backbone().featureSize(),
                trunk.weightsSha256());
    }

    /**
     * The trainer's executor for the activations at {@code cut} of {@code trunk}, converted to float32
     * TFLite like {@link #of}.
     */
    static FeatureTrunk toCut(PretrainedTrunk trunk, TrunkCut cut, int workers) {
        ComputationGraph below = cut.below();
        try {
            return TfliteTrunk.compiledToCut(below, trunk.backbone(), trunk.weightsSha256(), cut, workers);
        } finally {
            below.close();
        }
    }

    /** The backbone's trunk alone (output: the pooled features) with {@code trunk}'s weights loaded. Close it. */
    static ComputationGraph graph(PretrainedTrunk trunk) {
        int size = trunk.backbone().inputSize();
        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1")
                .setInputTypes(InputType.convolutional(size, size, 3));
        g.setOutputs(trunk.backbone().addTrunk(g, "input_1"));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        trunk.loadInto(graph, java.util.Set.of());
        return graph;
    }
}
