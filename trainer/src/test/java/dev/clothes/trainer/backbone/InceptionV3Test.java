package dev.clothes.trainer.backbone;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

class InceptionV3Test {

    @Test
    void matchesKerasParameterCountAndShapes() {
        InceptionV3 inception = new InceptionV3();
        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1").setInputTypes(InputType.convolutional(299, 299, 3));
        g.setOutputs(inception.addTrunk(g, "input_1"));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();

        // Keras counts no gamma (scale=False); DL4J's batch norm always has one.
        long gammas = 0;
        int batchNorms = 0;
        for (var layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                gammas += layer.getParam("gamma").length();
                batchNorms++;
            }
        }
        assertThat(batchNorms).isEqualTo(94);
        assertThat(graph.numParams() - gammas).isEqualTo(InceptionV3.KERAS_PARAMETERS);
        assertThat(InceptionV3.convolutionsWithBatchNorm()).hasSize(94);
        assertThat(graph.getLayer("conv2d_94")).isNotNull();
        assertThat(graph.getVertex("mixed10")).isNotNull();

        INDArray features = graph.outputSingle(Nd4j.rand(DataType.FLOAT, 1, 3, 299, 299));
        assertThat(features.shape()).containsExactly(1, 2048);
    }
}
