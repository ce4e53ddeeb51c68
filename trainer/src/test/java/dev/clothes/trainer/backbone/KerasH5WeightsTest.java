package dev.clothes.trainer.backbone;

import java.nio.file.Path;

import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.hdf5.global.hdf5.H5F_ACC_TRUNC;

/** A Keras-layout weights file written by the test, loaded into a small Keras-named graph. */
class KerasH5WeightsTest {

    @TempDir
    Path tmp;

    private static ComputationGraph graph() {
        return graph(4);
    }

    private static ComputationGraph graph(int convFilters) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1").setInputTypes(InputType.convolutional(8, 8, 3));
        String x = KerasBlocks.conv(g, "conv2d_1", "input_1", convFilters, 3, 3, 1, ConvolutionMode.Same);
        x = KerasBlocks.batchNorm(g, "batch_normalization_1", x, 1e-3);
        x = KerasBlocks.depthwise(g, "block_1_depthwise", x, 1);
        x = KerasBlocks.batchNorm(g, "block_1_depthwise_BN", x, 1e-3);
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        g.addLayer("predictions", new DenseLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build(), "pool");
        g.setOutputs("predictions");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /** Value of element i of a weight: distinct everywhere, so any transposition error shows. */
    private static float[] ramp(int n, float offset) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = offset + i * 0.01f;
        }
        return v;
    }

    private static void dataset(Group group, String name, long[] dims, float[] values) {
        DataSpace space = new DataSpace(dims.length, dims);
        DataSet ds = group.createDataSet(name, PredType.NATIVE_FLOAT(), space);
        ds.write(new FloatPointer(values), PredType.NATIVE_FLOAT());
        ds.close();
        space.close();
    }

    private static void layer(H5File file, String name, Object... weights) {
        Group outer = file.createGroup(name);
        Group inner = outer.createGroup(name);
        for (int i = 0; i < weights.length; i += 3) {
            dataset(inner, (String) weights[i], (long[]) weights[i + 1], (float[]) weights[i + 2]);
        }
        inner.close();
        outer.close();
    }

    private Path writeH5(boolean withDense) {
        Path h5 = tmp.resolve("weights.h5");
        H5File file = new H5File(h5.toString(), H5F_ACC_TRUNC);
        layer(file, "conv2d_1", "kernel:0", new long[] {3, 3, 3, 4}, ramp(108, 0));
        // scale=False: no gamma
        layer(file, "batch_normalization_1", "beta:0", new long[] {4}, ramp(4, 1), "moving_mean:0", new long[] {4},
                ramp(4, 2), "moving_variance:0", new long[] {4}, ramp(4, 3));
        layer(file, "block_1_depthwise", "depthwise_kernel:0", new long[] {3, 3, 4, 1}, ramp(36, 4));
        layer(file, "block_1_depthwise_BN", "gamma:0", new long[] {4}, ramp(4, 5), "beta:0", new long[] {4},
                ramp(4, 6), "moving_mean:0", new long[] {4}, ramp(4, 7), "moving_variance:0", new long[] {4}, ramp(4, 8));
        file.createGroup("activation_1").close(); // layers without weights have empty groups
        if (withDense) {
            layer(file, "predictions", "kernel:0", new long[] {4, 2}, ramp(8, 9), "bias:0", new long[] {2}, ramp(2, 10));
        }
        file.close();
        return h5;
    }

    @Test
    void loadsEveryWeightInDl4jLayout() {
        ComputationGraph graph = graph();
        KerasH5Weights.load(graph, writeH5(true));

        // kernel[h][w][i][o] = 0.01 * (((h * 3 + w) * 3 + i) * 4 + o) -> W[o][i][h][w]
        var w = graph.getLayer("conv2d_1").getParam("W");
        assertThat(w.shape()).containsExactly(4, 3, 3, 3);
        assertThat(w.getFloat(3, 2, 1, 0)).isCloseTo(0.01f * (((1 * 3 + 0) * 3 + 2) * 4 + 3), within());
        var bn = graph.getLayer("batch_normalization_1");
        assertThat(bn.getParam("gamma").toFloatVector()).containsExactly(1, 1, 1, 1);
        assertThat(bn.getParam("beta").toFloatVector()[2]).isCloseTo(1.02f, within());
        assertThat(bn.getParam("var").toFloatVector()[3]).isCloseTo(3.03f, within());
        assertThat(graph.getLayer("block_1_depthwise").getParam("W").getFloat(2, 1, 3, 0))
                .isCloseTo(4 + 0.01f * ((2 * 3 + 1) * 4 + 3), within());
        assertThat(graph.getLayer("block_1_depthwise_BN").getParam("gamma").toFloatVector()[1]).isCloseTo(5.01f, within());
        assertThat(graph.getLayer("predictions").getParam("W").getFloat(3, 1)).isCloseTo(9 + 0.01f * 7, within());
        assertThat(graph.getLayer("predictions").getParam("b").toFloatVector()[1]).isCloseTo(10.01f, within());
    }

    @Test
    void refusesAFileThatLeavesLayersRandomOrDoesNotFit() {
        Path partial = writeH5(false);
        assertThatThrownBy(() -> KerasH5Weights.load(graph(), partial))
                .hasMessageContaining("no weights for 1 layer(s)").hasMessageContaining("predictions");

        assertThatThrownBy(() -> KerasH5Weights.load(graph(5), writeH5(true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has shape [4] but the graph expects [5]");

        GraphBuilder other = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1").setInputTypes(InputType.convolutional(8, 8, 3));
        other.setOutputs(KerasBlocks.conv(other, "conv2d_1", "input_1", 4, 3, 3, 1, ConvolutionMode.Same));
        ComputationGraph otherArchitecture = new ComputationGraph(other.build());
        otherArchitecture.init();
        assertThatThrownBy(() -> KerasH5Weights.load(otherArchitecture, writeH5(true)))
                .hasMessageContaining("the graph has no layer of that name");
    }

    private static org.assertj.core.data.Offset<Float> within() {
        return org.assertj.core.data.Offset.offset(1e-5f);
    }
}
