package dev.clothes.trainer.backbone;

import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.TensorLayout;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * InceptionV3, as {@code keras.applications.InceptionV3(include_top=False, pooling="avg")} at
 * 299x299: the reference architecture. Layer names are those of the Keras 2 weight file
 * ({@code conv2d_1}, {@code batch_normalization_1}, {@code mixed0}, ...), so its groups load by name.
 * Keras builds these batch norms with {@code scale=False}; here gamma exists and is loaded as 1.
 */
public final class InceptionV3 implements Backbone {

    public static final String ID = "inception-v3";
    public static final String POOL = "global_average_pooling2d_1";
    /** Keras' notop weight file, and the parameter count Keras reports for that model. */
    public static final long KERAS_PARAMETERS = 21_802_784L;
    static final double BN_EPSILON = 1e-3;

    static final int CONVOLUTIONS = 94;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int inputSize() {
        return 299;
    }

    @Override
    public int featureSize() {
        return 2048;
    }

    @Override
    public Preprocessing preprocessing() {
        return Preprocessing.minusOneToOne(299).withLayout(TensorLayout.NCHW);
    }

    /** (conv, batch norm) names in creation order. */
    public static List<String[]> convolutionsWithBatchNorm() {
        List<String[]> names = new ArrayList<>();
        for (int n = 1; n <= CONVOLUTIONS; n++) {
            names.add(new String[] {"conv2d_" + n, "batch_normalization_" + n});
        }
        return names;
    }

    /** Keras' own fine-tuning example trains from the last inception block up: mixed10 above mixed9. */
    @Override
    public String fineTuneCut() {
        return "mixed9";
    }

    @Override
    public String addTrunk(GraphBuilder g, String input) {
        return new Build(g).trunk(input);
    }

    /** One graph's construction, with Keras' per-type layer counters. */
    private static final class Build {
        private final GraphBuilder g;
        private int conv;
        private int avgPool;
        private int maxPool;
        private int concat;

        Build(GraphBuilder g) {
            this.g = g;
        }

        String trunk(String input) {
            String x = convBn(g, input, 32, 3, 3, 2, ConvolutionMode.Truncate);
            x = convBn(g, x, 32, 3, 3, 1, ConvolutionMode.Truncate);
            x = convBn(g, x, 64, 3, 3, 1, ConvolutionMode.Same);
            x = maxPool(g, x);
            x = convBn(g, x, 80, 1, 1, 1, ConvolutionMode.Truncate);
            x = convBn(g, x, 192, 3, 3, 1, ConvolutionMode.Truncate);
            x = maxPool(g, x);

            // mixed 0, 1, 2: 35 x 35 x 256 / 288 / 288
            for (int i = 0; i < 3; i++) {
                String b1 = convBn(g, x, 64, 1, 1);
                String b5 = convBn(g, x, 48, 1, 1);
                b5 = convBn(g, b5, 64, 5, 5);
                String b3 = convBn(g, x, 64, 1, 1);
                b3 = convBn(g, b3, 96, 3, 3);
                b3 = convBn(g, b3, 96, 3, 3);
                String bp = avgPool(g, x);
                bp = convBn(g, bp, i == 0 ? 32 : 64, 1, 1);
                x = merge(g, "mixed" + i, b1, b5, b3, bp);
            }

            // mixed 3: 17 x 17 x 768
            String b3 = convBn(g, x, 384, 3, 3, 2, ConvolutionMode.Truncate);
            String b3d = convBn(g, x, 64, 1, 1);
            b3d = convBn(g, b3d, 96, 3, 3);
            b3d = convBn(g, b3d, 96, 3, 3, 2, ConvolutionMode.Truncate);
            x = merge(g, "mixed3", b3, b3d, maxPool(g, x));

            // mixed 4..7: 17 x 17 x 768
            int[] widths = {128, 160, 160, 192};
            for (int i = 0; i < 4; i++) {
                int c = widths[i];
                String b1 = convBn(g, x, 192, 1, 1);
                String b7 = convBn(g, x, c, 1, 1);
                b7 = convBn(g, b7, c, 1, 7);
                b7 = convBn(g, b7, 192, 7, 1);
                String b7d = convBn(g, x, c, 1, 1);
                b7d = convBn(g, b7d, c, 7, 1);
                b7d = convBn(g, b7d, c, 1, 7);
                b7d = convBn(g, b7d, c, 7, 1);
                b7d = convBn(g, b7d, 192, 1, 7);
                String bp = convBn(g, avgPool(g, x), 192, 1, 1);
                x = merge(g, "mixed" + (4 + i), b1, b7, b7d, bp);
            }

            // mixed 8: 8 x 8 x 1280
            String b33 = convBn(g, x, 192, 1, 1);
            b33 = convBn(g, b33, 320, 3, 3, 2, ConvolutionMode.Truncate);
            String b773 = convBn(g, x, 192, 1, 1);
            b773 = convBn(g, b773, 192, 1, 7);
            b773 = convBn(g, b773, 192, 7, 1);
            b773 = convBn(g, b773, 192, 3, 3, 2, ConvolutionMode.Truncate);
            x = merge(g, "mixed8", b33, b773, maxPool(g, x));

            // mixed 9, 10: 8 x 8 x 2048
            for (int i = 0; i < 2; i++) {
                String b1 = convBn(g, x, 320, 1, 1);
                String b3x = convBn(g, x, 384, 1, 1);
                String b3a = convBn(g, b3x, 384, 1, 3);
                String b3b = convBn(g, b3x, 384, 3, 1);
                String b3s = merge(g, "mixed9_" + i, b3a, b3b);
                String bd = convBn(g, x, 448, 1, 1);
                bd = convBn(g, bd, 384, 3, 3);
                String bda = convBn(g, bd, 384, 1, 3);
                String bdb = convBn(g, bd, 384, 3, 1);
                String bdc = merge(g, "concatenate_" + (++concat), bda, bdb);
                String bp = convBn(g, avgPool(g, x), 192, 1, 1);
                x = merge(g, "mixed" + (9 + i), b1, b3s, bdc, bp);
            }
            g.addLayer(POOL, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
            return POOL;
        }

        private String convBn(GraphBuilder g, String input, int filters, int kh, int kw) {
            return convBn(g, input, filters, kh, kw, 1, ConvolutionMode.Same);
        }

        /** Keras' conv2d_bn: convolution without bias, batch norm without scale, ReLU. */
        private String convBn(GraphBuilder g, String input, int filters, int kh, int kw, int stride, ConvolutionMode mode) {
            int n = ++conv;
            String c = KerasBlocks.conv(g, "conv2d_" + n, input, filters, kh, kw, stride, mode);
            String bn = KerasBlocks.batchNorm(g, "batch_normalization_" + n, c, BN_EPSILON);
            return KerasBlocks.activation(g, "activation_" + n, bn, Activation.RELU);
        }

        private String maxPool(GraphBuilder g, String input) {
            String name = "max_pooling2d_" + (++maxPool);
            g.addLayer(name, new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                    .convolutionMode(ConvolutionMode.Truncate).build(), input);
            return name;
        }

        /** 3x3 average pooling, stride 1, SAME, padding not counted (as TF). */
        private String avgPool(GraphBuilder g, String input) {
            String name = "average_pooling2d_" + (++avgPool);
            g.addLayer(name, new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(3, 3).stride(1, 1)
                    .convolutionMode(ConvolutionMode.Same).avgPoolIncludePadInDivisor(false).build(), input);
            return name;
        }

        private static String merge(GraphBuilder g, String name, String... inputs) {
            g.addVertex(name, new MergeVertex(), inputs);
            return name;
        }
    }
}
