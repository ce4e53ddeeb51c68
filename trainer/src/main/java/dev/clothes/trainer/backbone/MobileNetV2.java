package dev.clothes.trainer.backbone;

import dev.clothes.inference.preprocess.Normalization;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.TensorLayout;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.activations.Activation;

/**
 * MobileNetV2 (width 1.0), as {@code tf.keras.applications.MobileNetV2(include_top=False,
 * pooling="avg")}, with Keras layer names. Keras pads stride-2 layers with {@code ZeroPadding2D}
 * and a valid convolution; for even input sizes that is exactly TF "SAME", used here instead, so
 * the {@code *_pad} layers do not exist.
 */
public final class MobileNetV2 implements Backbone {

    public static final String ID = "mobilenet-v2";
    public static final String POOL = "global_average_pooling2d";
    static final double BN_EPSILON = 1e-3;

    /** (filters, stride, expansion) of blocks 0..16. */
    private static final int[][] BLOCKS = {
        {16, 1, 1},
        {24, 2, 6}, {24, 1, 6},
        {32, 2, 6}, {32, 1, 6}, {32, 1, 6},
        {64, 2, 6}, {64, 1, 6}, {64, 1, 6}, {64, 1, 6},
        {96, 1, 6}, {96, 1, 6}, {96, 1, 6},
        {160, 2, 6}, {160, 1, 6}, {160, 1, 6},
        {320, 1, 6},
    };

    private final Normalization normalization;

    /** @param normalization pixel scaling the weights expect ([-1, 1] for Keras weights) */
    public MobileNetV2(Normalization normalization) {
        this.normalization = normalization;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int inputSize() {
        return 224;
    }

    @Override
    public int featureSize() {
        return 1280;
    }

    @Override
    public Preprocessing preprocessing() {
        return Preprocessing.minusOneToOne(224).withNormalization(normalization).withLayout(TensorLayout.NCHW);
    }

    /** Before the last inverted residual block: block 16 and the 1x1 Conv_1 (1.0M weights) are fine-tuned. */
    @Override
    public String fineTuneCut() {
        return "block_15_add";
    }

    @Override
    public String addTrunk(GraphBuilder g, String input) {
        String x = KerasBlocks.conv(g, "Conv1", input, 32, 3, 3, 2, ConvolutionMode.Same);
        x = KerasBlocks.batchNorm(g, "bn_Conv1", x, BN_EPSILON);
        x = KerasBlocks.activation(g, "Conv1_relu", x, Activation.RELU6);
        int channels = 32;
        for (int id = 0; id < BLOCKS.length; id++) {
            x = invertedResidual(g, x, channels, BLOCKS[id][0], BLOCKS[id][1], BLOCKS[id][2], id);
            channels = BLOCKS[id][0];
        }
        x = KerasBlocks.conv(g, "Conv_1", x, 1280, 1, 1, 1, ConvolutionMode.Same);
        x = KerasBlocks.batchNorm(g, "Conv_1_bn", x, BN_EPSILON);
        x = KerasBlocks.activation(g, "out_relu", x, Activation.RELU6);
        g.addLayer(POOL, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        return POOL;
    }

    private static String invertedResidual(GraphBuilder g, String input, int inChannels, int filters, int stride,
                                           int expansion, int id) {
        String prefix = id == 0 ? "expanded_conv_" : "block_" + id + "_";
        String x = input;
        if (id != 0) {
            x = KerasBlocks.conv(g, prefix + "expand", x, expansion * inChannels, 1, 1, 1, ConvolutionMode.Same);
            x = KerasBlocks.batchNorm(g, prefix + "expand_BN", x, BN_EPSILON);
            x = KerasBlocks.activation(g, prefix + "expand_relu", x, Activation.RELU6);
        }
        x = KerasBlocks.depthwise(g, prefix + "depthwise", x, stride);
        x = KerasBlocks.batchNorm(g, prefix + "depthwise_BN", x, BN_EPSILON);
        x = KerasBlocks.activation(g, prefix + "depthwise_relu", x, Activation.RELU6);
        x = KerasBlocks.conv(g, prefix + "project", x, filters, 1, 1, 1, ConvolutionMode.Same);
        x = KerasBlocks.batchNorm(g, prefix + "project_BN", x, BN_EPSILON);
        if (inChannels == filters && stride == 1) {
            g.addVertex(prefix + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), input, x);
            x = prefix + "add";
        }
        return x;
    }

    /**
     * The convolution layers in graph order, each with the batch norm that follows it: the order
     * in which TF and TFLite exports list them too.
     */
    public static List<String[]> convolutionsWithBatchNorm() {
        List<String[]> convs = new ArrayList<>();
        convs.add(new String[] {"Conv1", "bn_Conv1"});
        for (int id = 0; id < BLOCKS.length; id++) {
            String prefix = id == 0 ? "expanded_conv_" : "block_" + id + "_";
            if (id != 0) {
                convs.add(new String[] {prefix + "expand", prefix + "expand_BN"});
            }
            convs.add(new String[] {prefix + "depthwise", prefix + "depthwise_BN"});
            convs.add(new String[] {prefix + "project", prefix + "project_BN"});
        }
        convs.add(new String[] {"Conv_1", "Conv_1_bn"});
        return convs;
    }
}
