package dev.clothes.trainer.backbone;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.nd4j.linalg.activations.Activation;

/** Keras layer equivalents used by the backbone builders. Convolutions have no bias: a BN follows. */
final class KerasBlocks {

    private KerasBlocks() {
    }

    static String conv(GraphBuilder g, String name, String input, int filters, int kh, int kw, int stride,
                       ConvolutionMode mode) {
        g.addLayer(name, new ConvolutionLayer.Builder(kh, kw).stride(stride, stride).nOut(filters).hasBias(false)
                .convolutionMode(mode).activation(Activation.IDENTITY).build(), input);
        return name;
    }

    static String depthwise(GraphBuilder g, String name, String input, int stride) {
        g.addLayer(name, new DepthwiseConvolution2D.Builder().kernelSize(3, 3).stride(stride, stride)
                .depthMultiplier(1).hasBias(false).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.IDENTITY).build(), input);
        return name;
    }

    /**
     * Keras BatchNormalization; {@code useLogStd(false)} keeps a plain "var" parameter to load
     * weights into. Keras layers built with {@code scale=False} load gamma = 1.
     */
    static String batchNorm(GraphBuilder g, String name, String input, double epsilon) {
        g.addLayer(name, new BatchNormalization.Builder().eps(epsilon).decay(0.99).useLogStd(false).build(), input);
        return name;
    }

    static String activation(GraphBuilder g, String name, String input, Activation activation) {
        g.addLayer(name, new ActivationLayer.Builder().activation(activation).build(), input);
        return name;
    }
}
