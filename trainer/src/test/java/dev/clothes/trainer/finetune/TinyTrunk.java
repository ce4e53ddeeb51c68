package dev.clothes.trainer.finetune;

import java.util.Random;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A MobileNet-shaped trunk small enough to train in a test: conv + BN blocks without biases, a
 * depthwise block, a residual add (the cut), and real batch-norm statistics (random, not identity),
 * so folding is exercised for real.
 */
public final class TinyTrunk {

    public static final int SIZE = 16;
    public static final String CUT = "block_add";

    private TinyTrunk() {
    }

    public static ComputationGraph build(long seed) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1").setInputTypes(InputType.convolutional(SIZE, SIZE, 3));
        String x = convBn(g, "stem", "input_1", 8, 3, 2);
        String y = convBn(g, "block_expand", x, 8, 1, 1);
        g.addVertex(CUT, new ElementWiseVertex(ElementWiseVertex.Op.Add), x, y);
        g.addLayer("top_depthwise", new DepthwiseConvolution2D.Builder().kernelSize(3, 3).depthMultiplier(1)
                .hasBias(false).convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), CUT);
        g.addLayer("top_depthwise_BN", new BatchNormalization.Builder().eps(1e-3).useLogStd(false).build(),
                "top_depthwise");
        g.addLayer("top_depthwise_relu", new ActivationLayer.Builder().activation(Activation.RELU6).build(),
                "top_depthwise_BN");
        String z = convBn(g, "top_project", "top_depthwise_relu", 12, 1, 1);
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), z);
        g.setOutputs("pool");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        Random random = new Random(seed);
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            if (layer.paramTable().containsKey("gamma")) {
                long c = layer.getParam("gamma").length();
                layer.setParam("gamma", uniform(random, c, 0.5, 1.5));
                layer.setParam("beta", uniform(random, c, -0.5, 0.5));
                layer.setParam("mean", uniform(random, c, -0.3, 0.3));
                layer.setParam("var", uniform(random, c, 0.5, 2.0));
            }
        }
        return graph;
    }

    private static String convBn(GraphBuilder g, String name, String input, int filters, int kernel, int stride) {
        g.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(filters)
                .hasBias(false).convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), input);
        g.addLayer(name + "_BN", new BatchNormalization.Builder().eps(1e-3).useLogStd(false).build(), name);
        g.addLayer(name + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), name + "_BN");
        return name + "_relu";
    }

    private static INDArray uniform(Random random, long n, double lo, double hi) {
        float[] v = new float[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return Nd4j.create(v).reshape(1, n);
    }
}
