package dev.clothes.trainer.backbone;

import dev.clothes.inference.preprocess.Normalization;
import dev.clothes.inference.preprocess.Preprocessing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Several trunks side by side on one input, their pooled features concatenated in order: one graph, so
 * every stage that serves a trunk + head graph serves this one unchanged.
 *
 * <p>The input is prepared as the first trunk expects ({@link #preprocessing()}). A trunk whose weights
 * expect other pixel scaling (MobileNetV2's (x - 127) / 127.5 against MobileNet-EdgeTPU's (x - 128) / 127)
 * reads it through a 1x1 depthwise convolution with a bias, {@code <id>/input_scale}: per channel
 * {@code y = a x + b} with {@code a = std1 / std2}, {@code b = (mean1 - mean2) / std2}, which gives exactly
 * its own normalisation of the same pixels (to float rounding) and exports to TFLite and ONNX as one cheap op.
 */
public final class ConcatenatedBackbone implements Backbone {

    /** The vertex that concatenates the trunks' pooled features. */
    public static final String FEATURES = "concatenated_features";

    private final List<Backbone> trunks;

    public ConcatenatedBackbone(List<Backbone> trunks) {
        if (trunks.size() < 2) {
            throw new IllegalArgumentException("a concatenation needs two trunks or more, got " + trunks.size());
        }
        this.trunks = List.copyOf(trunks);
        Preprocessing first = trunks.get(0).preprocessing();
        for (Backbone b : this.trunks) {
            Preprocessing p = b.preprocessing();
            if (!p.withNormalization(first.normalization()).equals(first)) {
                throw new IllegalArgumentException(b.id() + " prepares its input otherwise than " + trunks.get(0).id()
                        + " (" + p + " vs " + first + "); only the pixel scaling may differ between trunks");
            }
        }
        if (new HashSet<>(this.trunks.stream().map(Backbone::id).toList()).size() != this.trunks.size()) {
            throw new IllegalArgumentException("a trunk appears twice in " + id());
        }
    }

    public List<Backbone> trunks() {
        return trunks;
    }

    @Override
    public String id() {
        return String.join(Trunks.SEPARATOR, trunks.stream().map(Backbone::id).toList());
    }

    @Override
    public int inputSize() {
        return trunks.get(0).inputSize();
    }

    @Override
    public int featureSize() {
        return trunks.stream().mapToInt(Backbone::featureSize).sum();
    }

    /** The first trunk's: the others rescale it in the graph. */
    @Override
    public Preprocessing preprocessing() {
        return trunks.get(0).preprocessing();
    }

    @Override
    public String addTrunk(GraphBuilder g, String input) {
        List<String> pooled = new ArrayList<>();
        for (Backbone trunk : trunks) {
            String in = input;
            if (scaling(trunk) != null) {
                in = inputScale(trunk);
                g.addLayer(in, new DepthwiseConvolution2D.Builder().kernelSize(1, 1).stride(1, 1).depthMultiplier(1)
                        .hasBias(true).convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), input);
            }
            pooled.add(trunk.addTrunk(g, in));
        }
        g.addVertex(FEATURES, new MergeVertex(), pooled.toArray(String[]::new));
        return FEATURES;
    }

    /** Sets the input scaling layers {@link #addTrunk} added (the trunks' own weights are loaded by their files). */
    void loadInputScales(ComputationGraph graph) {
        for (Backbone trunk : trunks) {
            double[][] ab = scaling(trunk);
            if (ab != null) {
                var layer = graph.getLayer(inputScale(trunk));
                layer.setParam("W", Nd4j.create(ab[0]).castTo(layer.getParam("W").dataType()).reshape(1, 1, 3, 1));
                layer.setParam("b", Nd4j.create(ab[1]).castTo(layer.getParam("b").dataType())
                        .reshape(layer.getParam("b").shape()));
            }
        }
    }

    /** Fine-tuning works on one trunk: the caller refuses it for a concatenation. */
    @Override
    public String fineTuneCut() {
        throw new UnsupportedOperationException("fine-tuning takes one trunk, not " + id());
    }

    private static String inputScale(Backbone trunk) {
        return trunk.id() + "/input_scale";
    }

    /** {a, b} per channel taking the first trunk's input values to {@code trunk}'s, or null when they are the same. */
    private double[][] scaling(Backbone trunk) {
        Normalization from = trunks.get(0).preprocessing().normalization();
        Normalization to = trunk.preprocessing().normalization();
        if (from.equals(to)) {
            return null;
        }
        double[][] ab = new double[2][3];
        for (int c = 0; c < 3; c++) {
            // x = (p - m1) / s1  and  y = (p - m2) / s2  give  y = (s1 / s2) x + (m1 - m2) / s2.
            ab[0][c] = from.std().get(c) / to.std().get(c);
            ab[1][c] = (from.mean().get(c) - to.mean().get(c)) / to.std().get(c);
        }
        return ab;
    }
}
