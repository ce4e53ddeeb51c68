package dev.clothes.trainer.features;

import dev.clothes.inference.image.RgbImage;
import dev.clothes.trainer.backbone.PretrainedTrunk;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/** A frozen pretrained trunk that turns an image into its pooled feature vector. Thread-safe. */
public interface FeatureTrunk extends AutoCloseable {

    float[] features(RgbImage image);

    int featureSize();

    /** Identifies the weights and preprocessing in feature cache keys. */
    String cacheIdentity();

    @Override
    void close();

    /** The fastest correct executor for {@code trunk}'s features: TFLite for a TFLite file, else DL4J. */
    static FeatureTrunk of(PretrainedTrunk trunk, int workers) {
        if (trunk.format() == PretrainedTrunk.Format.TFLITE) {
            return new TfliteTrunk(trunk.weights(), trunk.backbone().preprocessing(), workers);
        }
        int size = trunk.backbone().inputSize();
        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1")
                .setInputTypes(InputType.convolutional(size, size, 3));
        g.setOutputs(trunk.backbone().addTrunk(g, "input_1"));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        trunk.loadInto(graph, java.util.Set.of());
        return new Dl4jTrunk(graph, trunk.backbone().preprocessing(), trunk.backbone().featureSize(),
                trunk.weightsSha256());
    }
}
