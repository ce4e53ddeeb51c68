package dev.clothes.graphexport;

import dev.clothes.graphexport.dl4j.Dl4jImporter;
import dev.clothes.graphexport.dl4j.UnsupportedLayerException;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.onnx.OnnxWriter;
import dev.clothes.graphexport.tflite.TfliteWriter;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.tflite.TfliteRuntime;

import java.util.Random;
import java.util.function.Consumer;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each op, as a tiny DL4J graph, converted and run by the real TFLite and ONNX runtimes against DL4J. */
class OpParityTest {

    private static final int H = 9;
    private static final int W = 7;
    private static final int C = 3;

    private static ComputationGraph graph(Consumer<GraphBuilder> layers) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(H, W, C));
        layers.accept(g);
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        // Batch norms get statistics far from the identity, so folding is really exercised.
        Random random = new Random(5);
        for (var layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                for (String p : new String[] {"gamma", "beta", "mean", "var"}) {
                    INDArray v = layer.getParam(p);
                    float[] values = new float[(int) v.length()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = p.equals("var") ? 0.2f + random.nextFloat() : (float) random.nextGaussian();
                    }
                    layer.setParam(p, Nd4j.create(values).reshape(v.shape()));
                }
            }
        }
        return net;
    }

    /** Max |TFLite - DL4J| and |ONNX - DL4J| over the output for a random input. */
    private static double maxDifference(ComputationGraph net) {
        IrGraph ir = Dl4jImporter.importGraph(net, H, W, C);
        byte[] tflite = TfliteWriter.write(ir, "parity test");
        Random random = new Random(3);
        float[] nhwc = new float[H * W * C];
        for (int i = 0; i < nhwc.length; i++) {
            nhwc[i] = random.nextFloat() * 2 - 1;
        }
        INDArray nchw = Nd4j.create(nhwc, new long[] {1, H, W, C}, 'c').permute(0, 3, 1, 2).dup('c');
        INDArray expected = net.outputSingle(false, nchw);
        if (expected.rank() == 4) {
            expected = expected.permute(0, 2, 3, 1).dup('c');
        }
        float[] want = expected.reshape(expected.length()).toFloatVector();
        float[] got;
        try (TfliteRuntime runtime = new TfliteRuntime(tflite, new RuntimeOptions(1, 1), "parity")) {
            got = runtime.run(nhwc);
        }
        assertThat(got).hasSameSizeAs(want);
        double max = 0;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs(want[i] - got[i]));
        }
        // ONNX keeps NCHW: compare with DL4J's output as it is.
        float[] wantNchw = net.outputSingle(false, nchw).reshape(want.length).toFloatVector();
        float[] onnx = runOnnx(OnnxWriter.write(ir, "parity test"), nchw);
        for (int i = 0; i < wantNchw.length; i++) {
            max = Math.max(max, Math.abs(wantNchw[i] - onnx[i]));
        }
        return max;
    }

    static float[] runOnnx(byte[] model, INDArray nchw) {
        return OnnxRuns.run(model, nchw, "in");
    }

    @Test
    void convolutionSameStride2OddSizeWithBiasAndRelu() {
        assertThat(maxDifference(graph(g -> g.addLayer("conv", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(5)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), "in").setOutputs("conv"))))
                .isLessThan(1e-5);
    }

    @Test
    void convolutionValidRectangularKernel() {
        assertThat(maxDifference(graph(g -> g.addLayer("conv", new ConvolutionLayer.Builder(5, 3).nOut(4)
                .convolutionMode(ConvolutionMode.Truncate).activation(Activation.IDENTITY).build(), "in")
                .setOutputs("conv")))).isLessThan(1e-5);
    }

    @Test
    void batchNormFoldedAndRelu6Fused() {
        assertThat(maxDifference(graph(g -> g
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(6).hasBias(false)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().eps(1e-3).useLogStd(false).build(), "conv")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU6).build(), "bn")
                .setOutputs("relu")))).isLessThan(1e-5);
    }

    @Test
    void depthwiseStride2WithBatchNorm() {
        assertThat(maxDifference(graph(g -> g
                .addLayer("dw", new DepthwiseConvolution2D.Builder().kernelSize(3, 3).stride(2, 2).depthMultiplier(1)
                        .hasBias(false).convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().eps(1e-3).useLogStd(false).build(), "dw")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU6).build(), "bn")
                .setOutputs("relu")))).isLessThan(1e-5);
    }

    @Test
    void residualAddAndConcatenation() {
        assertThat(maxDifference(graph(g -> g
                .addLayer("a", new ConvolutionLayer.Builder(1, 1).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("b", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "in")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a", "b")
                .addVertex("cat", new MergeVertex(), "add", "a")
                .setOutputs("cat")))).isLessThan(1e-5);
    }

    @Test
    void maxAndAveragePooling() {
        assertThat(maxDifference(graph(g -> g
                .addLayer("max", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Truncate).build(), "in")
                .addLayer("avg", new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(3, 3).stride(1, 1)
                        .convolutionMode(ConvolutionMode.Same).avgPoolIncludePadInDivisor(false).build(), "max")
                .setOutputs("avg")))).isLessThan(1e-5);
    }

    @Test
    void pooledHeadWithSoftmax() {
        assertThat(maxDifference(graph(g -> g
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(8).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU6).build(), "in")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv")
                .addLayer("dense", new DenseLayer.Builder().nOut(6).activation(Activation.RELU).build(), "gap")
                .addLayer("predictions", new OutputLayer.Builder().nOut(4).activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("predictions")))).isLessThan(1e-6);
    }

    /** conv -> batch norm -> ReLU, as Keras' conv2d_bn (no bias, no BN scale). */
    private static String convBn(GraphBuilder g, String name, String in, int filters, int kh, int kw) {
        g.addLayer(name, new ConvolutionLayer.Builder(kh, kw).nOut(filters).hasBias(false)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), in);
        g.addLayer(name + "_bn", new BatchNormalization.Builder().eps(1e-3).useLogStd(false).build(), name);
        g.addLayer(name + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), name + "_bn");
        return name + "_relu";
    }

    @Test
    void inceptionBlockShapedGraph() {
        assertThat(maxDifference(graph(g -> {
            String b1 = convBn(g, "b1", "in", 4, 1, 1);
            String b5 = convBn(g, "b5", convBn(g, "b5r", "in", 3, 1, 1), 4, 5, 5);
            String b3 = convBn(g, "b3b", convBn(g, "b3a", convBn(g, "b3r", "in", 3, 1, 1), 4, 3, 3), 4, 3, 3);
            g.addLayer("pool", new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(3, 3).stride(1, 1)
                    .convolutionMode(ConvolutionMode.Same).avgPoolIncludePadInDivisor(false).build(), "in");
            String bp = convBn(g, "bp", "pool", 2, 1, 1);
            String b7 = convBn(g, "b7b", convBn(g, "b7a", "in", 3, 1, 7), 3, 7, 1);
            g.addVertex("mixed0", new MergeVertex(), b1, b5, b3, bp, b7);
            g.addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "mixed0");
            g.addLayer("predictions", new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build(), "gap");
            g.setOutputs("predictions");
        }))).isLessThan(1e-6);
    }

    @Test
    void unsupportedLayerIsNamedWithItsType() {
        ComputationGraph tanh = graph(g -> g.addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(2)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), "in").setOutputs("conv"));
        assertThatThrownBy(() -> Dl4jImporter.importGraph(tanh, H, W, C)).isInstanceOf(UnsupportedLayerException.class)
                .hasMessageContaining("layer 'conv' (ConvolutionLayer)").hasMessageContaining("tanh");
        ComputationGraph multiplier = graph(g -> g.addLayer("dw", new DepthwiseConvolution2D.Builder().kernelSize(3, 3)
                .depthMultiplier(2).convolutionMode(ConvolutionMode.Same).build(), "in").setOutputs("dw"));
        assertThatThrownBy(() -> Dl4jImporter.importGraph(multiplier, H, W, C))
                .hasMessageContaining("layer 'dw' (DepthwiseConvolution2D)").hasMessageContaining("depth multiplier 2");
        // A subclass of ConvolutionLayer with other weights (Xception's) is not read as a plain convolution.
        ComputationGraph separable = graph(g -> g.addLayer("sep", new SeparableConvolution2D.Builder(3, 3).nOut(4)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), "in").setOutputs("sep"));
        assertThatThrownBy(() -> Dl4jImporter.importGraph(separable, H, W, C))
                .hasMessageContaining("layer 'sep' (SeparableConvolution2D)").hasMessageContaining("no conversion");
    }
}
