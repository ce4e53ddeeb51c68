package dev.clothes.trainer.backbone;

import dev.clothes.graphexport.dl4j.Dl4jImporter;
import dev.clothes.graphexport.dl4j.UnsupportedLayerException;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.ir.Op;
import dev.clothes.inference.preprocess.ChannelOrder;
import dev.clothes.inference.preprocess.Normalization;
import dev.clothes.inference.preprocess.TensorLayout;

import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The zoo's graphs as trunks, on the zoo's randomly initialised layers (no ImageNet weights are reachable here). */
class ZooBackboneTest {

    private static final List<String> ZOO_IDS = List.of("resnet50", "vgg16", "xception");

    @Test
    void eachRegisteredZooIdBuildsATrunkEndingInItsPooledFeatures() {
        assertThat(Backbones.ids()).containsAll(ZOO_IDS);
        for (String id : ZOO_IDS) {
            Backbone backbone = Backbones.byId(id).builder().get();
            int size = backbone.inputSize();
            ComputationGraphConfiguration conf = trunk(backbone);
            // Configuration only: the full-size graphs are not allocated.
            assertThat(conf.getLayerActivationTypes(InputType.convolutional(size, size, 3)).get(ZooBackbone.POOL))
                    .as(id).isEqualTo(InputType.feedForward(backbone.featureSize()));
            assertThat(conf.getVertices()).as(id + ": the ImageNet classifier is cut")
                    .doesNotContainKeys("output", "predictions", "18", "19", "20");
            assertThat(Backbones.byId(id).defaultWeights()).isInstanceOf(Backbones.ZooPretrained.class);
            assertThat(conf.getVertices()).as(id + ": fine-tuning cuts inside the trunk")
                    .containsKey(backbone.fineTuneCut());
        }
        assertThat(new ZooBackbone(ZooBackbone.Architecture.RESNET50).fineTuneCut()).as("the add of block 5b: block 5c above").isEqualTo("short5b_branch");
        assertThat(new ZooBackbone(ZooBackbone.Architecture.VGG16).fineTuneCut()).isEqualTo("13");
        assertThat(Backbones.byId("xception").inputSize()).isEqualTo(299);
        assertThat(Backbones.byId("resnet50").defaultWeights().fileName()).isEqualTo("resnet50_dl4j_inference.v3.zip");
    }

    @Test
    void preprocessingFollowsTheKerasWeightsTheZooConverted() {
        ZooBackbone xception = new ZooBackbone(ZooBackbone.Architecture.XCEPTION);
        assertThat(xception.preprocessing().normalization()).isEqualTo(Normalization.MINUS_ONE_TO_ONE);
        assertThat(xception.preprocessing().channelOrder()).isEqualTo(ChannelOrder.RGB);
        assertThat(xception.preprocessing().layout()).isEqualTo(TensorLayout.NCHW);
        ZooBackbone vgg = new ZooBackbone(ZooBackbone.Architecture.VGG16);
        assertThat(vgg.preprocessing().channelOrder()).isEqualTo(ChannelOrder.BGR);
        assertThat(vgg.preprocessing().normalization().mean()).containsExactly(103.939, 116.779, 123.68);
        assertThat(vgg.preprocessing().width()).isEqualTo(224);
    }

    @Test
    void anInputSizeTheArchitectureCannotTakeIsRefusedWithTheValue() {
        assertThatThrownBy(() -> new ZooBackbone(ZooBackbone.Architecture.XCEPTION, 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("71..1024, got 64");
    }

    /**
     * VGG16 and Xception, as the zoo's code builds them, do not convert to TFLite: graph-export refuses VGG16's
     * explicit convolution padding and Xception's sigmoid stem convolution (the zoo leaves it at DL4J's default
     * activation), each by name, so {@code FeatureTrunk.of} computes their features with DL4J. They still run
     * in DL4J.
     */
    @Test
    void graphExportRefusesTheZooTrunksByLayerAndDl4jRunsThem() {
        assertRefusedButRuns(new ZooBackbone(ZooBackbone.Architecture.VGG16, 32), "layer '0' (ConvolutionLayer)");
        assertRefusedButRuns(new ZooBackbone(ZooBackbone.Architecture.XCEPTION, 71),
                "layer 'block1_conv1' (ConvolutionLayer) cannot be converted: activation sigmoid");
    }

    /** ResNet50's zero padding converts to a PAD op (added with the TFLite importer), so its trunk converts. */
    @Test
    void graphExportConvertsResNet50WithItsZeroPaddingAsAPadOp() {
        ZooBackbone resnet = new ZooBackbone(ZooBackbone.Architecture.RESNET50, 64);
        ComputationGraph graph = new ComputationGraph(trunk(resnet));
        graph.init();
        try {
            IrGraph ir = Dl4jImporter.importGraph(graph, 64, 64, 3);
            assertThat(ir.ops()).filteredOn(op -> op instanceof Op.Pad).isNotEmpty();
        } finally {
            graph.close();
        }
    }

    private static void assertRefusedButRuns(ZooBackbone backbone, String refusal) {
        int size = backbone.inputSize();
        ComputationGraph graph = new ComputationGraph(trunk(backbone));
        graph.init();
        try {
            assertThatThrownBy(() -> Dl4jImporter.importGraph(graph, size, size, 3))
                    .isInstanceOf(UnsupportedLayerException.class).hasMessageContaining(refusal);
            INDArray features = graph.outputSingle(Nd4j.rand(DataType.FLOAT, 1, 3, size, size));
            assertThat(features.shape()).as(backbone.id()).containsExactly(1, backbone.featureSize());
        } finally {
            graph.close();
        }
    }

    private static ComputationGraphConfiguration trunk(Backbone backbone) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1").setInputTypes(InputType.convolutional(backbone.inputSize(), backbone.inputSize(), 3));
        g.setOutputs(backbone.addTrunk(g, "input_1"));
        return g.build();
    }
}
