package dev.clothes.graphexport.dl4j;

import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.ir.Op;
import dev.clothes.graphexport.ir.Padding;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The intermediate graph back to DL4J layers (NCHW), the inverse of {@link Dl4jImporter}: each op one
 * layer or vertex named after it, convolutions with their bias and fused activation, an activation
 * after an add as its own layer, a softmax after a fully connected op as that layer's activation.
 * Configuration and weights are two steps, as DL4J builds a graph before it holds parameters.
 */
public final class Dl4jBuilder {

    private Dl4jBuilder() {
    }

    /**
     * Adds {@code ir}'s ops to {@code g}, reading images of {@code ir}'s size from vertex {@code input}.
     *
     * @return the vertex that outputs {@code ir}'s output
     */
    public static String addTo(GraphBuilder g, IrGraph ir, String input) {
        Map<String, String> vertexOf = new HashMap<>();
        vertexOf.put(ir.input(), input);
        Set<String> withSoftmax = fullyConnectedBeforeSoftmax(ir);
        for (Op op : ir.ops()) {
            String name = op.name();
            List<String> in = op.inputs().stream().map(vertexOf::get).toList();
            if (op instanceof Op.Conv2D c) {
                g.addLayer(name, new ConvolutionLayer.Builder(c.shape()[1], c.shape()[2]).stride(c.stride(), c.stride())
                        .nOut(c.shape()[0]).hasBias(true).convolutionMode(mode(c.padding()))
                        .activation(activation(c.activation())).build(), in.get(0));
            } else if (op instanceof Op.DepthwiseConv2D d) {
                g.addLayer(name, new DepthwiseConvolution2D.Builder().kernelSize(d.shape()[1], d.shape()[2])
                        .stride(d.stride(), d.stride()).depthMultiplier(1).hasBias(true).convolutionMode(mode(d.padding()))
                        .activation(activation(d.activation())).build(), in.get(0));
            } else if (op instanceof Op.Add a) {
                if (a.activation() == dev.clothes.graphexport.ir.Activation.NONE) {
                    g.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), in.get(0), in.get(1));
                } else {
                    g.addVertex(name + "/sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), in.get(0), in.get(1));
                    g.addLayer(name, new ActivationLayer.Builder().activation(activation(a.activation())).build(),
                            name + "/sum");
                }
            } else if (op instanceof Op.Concat) {
                g.addVertex(name, new MergeVertex(), in.toArray(String[]::new));
            } else if (op instanceof Op.Pool2D p) {
                g.addLayer(name, new SubsamplingLayer.Builder(p.max() ? PoolingType.MAX : PoolingType.AVG)
                        .kernelSize(p.kernel(), p.kernel()).stride(p.stride(), p.stride()).convolutionMode(mode(p.padding()))
                        .avgPoolIncludePadInDivisor(false).build(), in.get(0));
            } else if (op instanceof Op.GlobalAveragePool) {
                g.addLayer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), in.get(0));
            } else if (op instanceof Op.Pad p) {
                g.addLayer(name, new ZeroPaddingLayer.Builder(p.top(), p.bottom(), p.left(), p.right()).build(),
                        in.get(0));
            } else if (op instanceof Op.FullyConnected f) {
                g.addLayer(name, new DenseLayer.Builder().nOut(f.shape()[0]).hasBias(true)
                        .activation(withSoftmax.contains(name) ? Activation.SOFTMAX : activation(f.activation())).build(),
                        in.get(0));
            } else if (op instanceof Op.Softmax s) {
                if (withSoftmax.contains(s.input())) {
                    vertexOf.put(name, vertexOf.get(s.input()));
                    continue;
                }
                g.addLayer(name, new ActivationLayer.Builder().activation(Activation.SOFTMAX).build(), in.get(0));
            } else {
                throw new IllegalArgumentException("no DL4J layer for " + op.getClass().getSimpleName());
            }
            vertexOf.put(name, name);
        }
        return vertexOf.get(ir.output());
    }

    /**
     * Sets the weights of the layers {@link #addTo} added for {@code ir} to {@code graph}.
     *
     * @throws IllegalArgumentException when a layer's parameters have another shape
     */
    public static void loadWeights(ComputationGraph graph, IrGraph ir) {
        for (Op op : ir.ops()) {
            if (op instanceof Op.Conv2D c) {
                int[] s = c.shape(); // OHWI to DL4J's OIHW
                set(graph, c.name(), "W", Nd4j.create(c.weights(), new long[] {s[0], s[1], s[2], s[3]}, 'c')
                        .permute(0, 3, 1, 2).dup('c'));
                set(graph, c.name(), "b", Nd4j.create(c.bias(), 1, c.bias().length));
            } else if (op instanceof Op.DepthwiseConv2D d) {
                int[] s = d.shape(); // [1, kh, kw, c]: DL4J's [kh, kw, c, 1] in the same order
                set(graph, d.name(), "W", Nd4j.create(d.weights(), new long[] {s[1], s[2], s[3], 1}, 'c'));
                set(graph, d.name(), "b", Nd4j.create(d.bias(), 1, d.bias().length));
            } else if (op instanceof Op.FullyConnected f) {
                set(graph, f.name(), "W", Nd4j.create(f.weights(), new long[] {f.shape()[0], f.shape()[1]}, 'c')
                        .transpose().dup('c'));
                set(graph, f.name(), "b", Nd4j.create(f.bias(), 1, f.bias().length));
            }
        }
    }

    private static void set(ComputationGraph graph, String layer, String param, INDArray value) {
        var target = graph.getLayer(layer);
        if (target == null) {
            throw new IllegalArgumentException("the graph has no layer " + layer);
        }
        INDArray current = target.getParam(param);
        long[] want = current.shape();
        // Biases are [n] in some layers and [1, n] in others: same values, same order.
        boolean bias = param.equals("b") && current.length() == value.length();
        if (!bias && !java.util.Arrays.equals(want, value.shape())) {
            throw new IllegalArgumentException("layer " + layer + " expects " + param + " of shape "
                    + java.util.Arrays.toString(want) + ", the graph gives " + java.util.Arrays.toString(value.shape()));
        }
        target.setParam(param, value.reshape(want).castTo(current.dataType()));
    }

    /** Fully connected ops without activation whose only reader is a softmax: DL4J computes both in one layer. */
    private static Set<String> fullyConnectedBeforeSoftmax(IrGraph ir) {
        Map<String, Integer> readers = new HashMap<>();
        ir.ops().forEach(op -> op.inputs().forEach(i -> readers.merge(i, 1, Integer::sum)));
        Map<String, Op> byName = new HashMap<>();
        ir.ops().forEach(op -> byName.put(op.name(), op));
        Set<String> names = new HashSet<>();
        for (Op op : ir.ops()) {
            if (op instanceof Op.Softmax s && byName.get(s.input()) instanceof Op.FullyConnected f
                    && f.activation() == dev.clothes.graphexport.ir.Activation.NONE && readers.get(f.name()) == 1
                    && !ir.extraOutputs().contains(f.name())) {
                names.add(f.name());
            }
        }
        return names;
    }

    private static ConvolutionMode mode(Padding padding) {
        return padding == Padding.SAME ? ConvolutionMode.Same : ConvolutionMode.Truncate;
    }

    private static Activation activation(dev.clothes.graphexport.ir.Activation activation) {
        return switch (activation) {
            case NONE -> Activation.IDENTITY;
            case RELU -> Activation.RELU;
            case RELU6 -> Activation.RELU6;
        };
    }
}
