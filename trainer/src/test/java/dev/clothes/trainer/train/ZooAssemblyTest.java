package dev.clothes.trainer.train;

import dev.clothes.trainer.backbone.PretrainedTrunk;
import dev.clothes.trainer.backbone.Trunks;
import dev.clothes.trainer.backbone.ZooBackbone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.model.Xception;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A zoo backbone end to end, with the zoo's randomly initialised Xception saved the way the zoo
 * saves its pretrained files standing in for the ImageNet weights (not reachable here).
 */
class ZooAssemblyTest {

    private static final int CLASSES = 3;

    @TempDir
    Path tmp;

    @Test
    void xceptionFromTheZoosSavedGraphAssemblesWithTheHeadAndCarriesEveryWeightByName() throws Exception {
        // Built at the smallest size the zoo allows; its weights do not depend on the input size.
        ComputationGraph zoo = Xception.builder().numClasses(1000).inputShape(new int[] {3, 71, 71}).build().init();
        Nd4j.getRandom().setSeed(3);
        for (Layer layer : zoo.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                // Statistics that differ from a fresh graph's, so their copy is seen.
                layer.setParam("mean", Nd4j.rand(DataType.FLOAT, layer.getParam("mean").shape()).muli(0.1));
                layer.setParam("beta", Nd4j.rand(DataType.FLOAT, layer.getParam("beta").shape()).muli(0.1));
            }
        }
        Path file = tmp.resolve("xception_dl4j_inference.v2.zip");
        ModelSerializer.writeModel(zoo, file.toFile(), false);

        PretrainedTrunk trunk = PretrainedTrunk.fromZoo(ZooBackbone.Architecture.XCEPTION, file, Files.readAllBytes(file));
        assertThat(trunk.format()).isEqualTo(PretrainedTrunk.Format.ZOO);
        assertThat(trunk.backbone().inputSize()).isEqualTo(299);
        assertThat(trunk.backbone().featureSize()).isEqualTo(2048);

        HeadConfig config = HeadConfig.DEFAULT;
        var g = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("features").setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(2048));
        g.setOutputs(new Head(config).addTrainingLayers(g, "features", 2048, CLASSES, null));
        ComputationGraph head = new ComputationGraph(g.build());
        head.init();
        ComputationGraph assembled = ModelAssembly.assemble(Trunks.of(trunk), config, head, CLASSES).graph();

        List<String> headLayers = new Head(config).layerNames();
        int copied = 0;
        for (Layer layer : assembled.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (headLayers.contains(name) || layer.numParams() == 0) {
                continue;
            }
            for (var param : layer.paramTable().entrySet()) {
                assertThat(param.getValue()).as(name + "." + param.getKey())
                        .isEqualTo(zoo.getLayer(name).getParam(param.getKey()));
            }
            copied++;
        }
        long zooLayersWithParams = java.util.Arrays.stream(zoo.getLayers()).filter(l -> l.numParams() > 0).count();
        assertThat(copied).as("every zoo layer but its ImageNet classifier").isEqualTo(zooLayersWithParams - 1);

        // 71 px: the convolutions and global pooling take any size; 299 px would only be slower.
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, 71, 71);
        java.util.Map<String, INDArray> activations = assembled.feedForward(image, false);
        INDArray probabilities = activations.get(ModelAssembly.OUTPUT);
        assertThat(probabilities.shape()).containsExactly(1, CLASSES);
        assertThat(probabilities.sumNumber().doubleValue()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(probabilities.minNumber().doubleValue()).isGreaterThanOrEqualTo(0);

        // The trunk computes the zoo graph's own pooled features.
        INDArray features = activations.get(ZooBackbone.POOL);
        INDArray expected = zoo.feedForward(image, false).get("avg_pool");
        assertThat(features.shape()).containsExactly(1, 2048);
        assertThat(features.equalsWithEps(expected, 1e-5)).isTrue();
        assembled.close();
        zoo.close();
    }
}
