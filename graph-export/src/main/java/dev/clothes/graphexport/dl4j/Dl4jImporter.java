package dev.clothes.graphexport.dl4j;

import dev.clothes.graphexport.ir.Activation;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.ir.Op;
import dev.clothes.graphexport.ir.Padding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J {@link ComputationGraph} (NCHW) to the NHWC intermediate graph: batch norm folded into the
 * convolution before it, ReLU/ReLU6 fused into the op before them, weights in TFLite layouts.
 */
public final class Dl4jImporter {

    private Dl4jImporter() {
    }

    /** @param height, width, channels the image input (DL4J keeps no input type in a saved graph) */
    public static IrGraph importGraph(ComputationGraph graph, int height, int width, int channels) {
        return importGraph(graph, height, width, channels, List.of());
    }

    /**
     * @param alsoOutput vertices whose activations become further outputs (e.g. the embedding), under the
     *                   vertex's name; a vertex folded into a later op cannot be one
     */
    public static IrGraph importGraph(ComputationGraph graph, int height, int width, int channels,
                                      List<String> alsoOutput) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new UnsupportedLayerException("(graph)", "ComputationGraph", "only one input and one output are supported");
        }
        String input = conf.getNetworkInputs().get(0);
        Map<String, Integer> consumers = new HashMap<>();
        conf.getVertexInputs().values().forEach(ins -> ins.forEach(i -> consumers.merge(i, 1, Integer::sum)));

        List<Op> ops = new ArrayList<>();
        Map<String, String> tensorOf = new HashMap<>();
        tensorOf.put(input, input);
        for (String name : conf.getTopologicalOrderStr()) {
            if (name.equals(input)) {
                continue;
            }
            List<String> ins = conf.getVertexInputs().get(name).stream().map(tensorOf::get).toList();
            GraphVertex vertex = conf.getVertices().get(name);
            if (vertex instanceof ElementWiseVertex add) {
                if (add.getOp() != ElementWiseVertex.Op.Add || ins.size() != 2) {
                    throw new UnsupportedLayerException(name, "ElementWiseVertex " + add.getOp(), "only 2-input Add is supported");
                }
                ops.add(new Op.Add(name, ins.get(0), ins.get(1), Activation.NONE));
                tensorOf.put(name, name);
            } else if (vertex instanceof MergeVertex) {
                ops.add(new Op.Concat(name, ins));
                tensorOf.put(name, name);
            } else if (vertex instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer();
                String in = ins.get(0);
                String out = layer(graph, name, layer, in, ops, consumers);
                tensorOf.put(name, out);
            } else {
                throw new UnsupportedLayerException(name, vertex.getClass().getSimpleName(), "no conversion for this vertex");
            }
        }
        for (String vertex : alsoOutput) {
            if (!vertex.equals(tensorOf.get(vertex))) {
                throw new UnsupportedLayerException(vertex, "output", tensorOf.containsKey(vertex)
                        ? "its value is folded into " + tensorOf.get(vertex) + " or fused away"
                        : "no such vertex in the graph");
            }
        }
        return new IrGraph(input, height, width, channels, ops, alsoOutput);
    }

    /** Adds the op(s) for one layer and returns the tensor that now holds its output. */
    private static String layer(ComputationGraph graph, String name, Layer layer, String in, List<Op> ops,
                                Map<String, Integer> consumers) {
        org.deeplearning4j.nn.api.Layer params = graph.getLayer(name);
        String type = layer.getClass().getSimpleName();
        if (layer instanceof DropoutLayer) {
            return in; // inference: identity
        }
        if (layer instanceof BatchNormalization bn) {
            return foldBatchNorm(name, bn, params, in, ops, consumers);
        }
        if (layer instanceof ActivationLayer act && act.getActivationFn() instanceof ActivationSoftmax) {
            ops.add(new Op.Softmax(name, in));
            return name;
        }
        if (layer instanceof ZeroPaddingLayer pad) {
            int[] p = pad.getPadding(); // top, bottom, left, right
            ops.add(new Op.Pad(name, in, p[0], p[1], p[2], p[3]));
            return name;
        }
        if (layer instanceof ActivationLayer act) {
            return fuseActivation(name, activation(name, type, act.getActivationFn()), in, ops, consumers);
        }
        if (layer instanceof DepthwiseConvolution2D dw) {
            int[] k = dw.getKernelSize();
            int stride = stride(name, type, dw.getStride(), dw.getDilation());
            if (dw.getDepthMultiplier() != 1) {
                throw new UnsupportedLayerException(name, type, "depth multiplier " + dw.getDepthMultiplier());
            }
            INDArray w = params.getParam("W"); // [kh, kw, c, 1]
            int c = (int) w.size(2);
            float[] bias = dw.hasBias() ? params.getParam("b").toFloatVector() : new float[c];
            ops.add(new Op.DepthwiseConv2D(name, in, w.dup('c').reshape(w.length()).toFloatVector(),
                    new int[] {1, k[0], k[1], c}, bias, stride, padding(name, type, dw.getConvolutionMode(),
                    dw.getPadding()), activation(name, type, dw.getActivationFn())));
            return name;
        }
        if (layer instanceof SubsamplingLayer pool) {
            int[] k = pool.getKernelSize();
            if (k[0] != k[1]) {
                throw new UnsupportedLayerException(name, type, "non-square pooling");
            }
            boolean max = pool.getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.MAX;
            Padding padding = padding(name, type, pool.getConvolutionMode(), pool.getPadding());
            if (!max && padding == Padding.SAME && pool.isAvgPoolIncludePadInDivisor()) {
                throw new UnsupportedLayerException(name, type, "average pooling that counts padding (TFLite does not)");
            }
            ops.add(new Op.Pool2D(name, in, max, k[0], stride(name, type, pool.getStride(), pool.getDilation()), padding));
            return name;
        }
        // Exactly this type: its subclasses (separable, transposed, 1D/3D...) hold other weights.
        if (layer instanceof ConvolutionLayer conv && layer.getClass() == ConvolutionLayer.class) {
            int[] k = conv.getKernelSize();
            INDArray w = params.getParam("W"); // [o, i, kh, kw]
            int o = (int) w.size(0);
            float[] bias = conv.hasBias() ? params.getParam("b").toFloatVector() : new float[o];
            ops.add(new Op.Conv2D(name, in, w.permute(0, 2, 3, 1).dup('c').reshape(w.length()).toFloatVector(),
                    new int[] {o, k[0], k[1], (int) w.size(1)}, bias,
                    stride(name, type, conv.getStride(), conv.getDilation()),
                    padding(name, type, conv.getConvolutionMode(), conv.getPadding()),
                    activation(name, type, conv.getActivationFn())));
            return name;
        }
        if (layer instanceof GlobalPoolingLayer gp) {
            if (gp.getPoolingType() != PoolingType.AVG) {
                throw new UnsupportedLayerException(name, type, "only average global pooling is supported");
            }
            ops.add(new Op.GlobalAveragePool(name, in));
            return name;
        }
        if (layer instanceof DenseLayer || layer instanceof OutputLayer) {
            INDArray w = params.getParam("W"); // [in, out]
            boolean softmax = ((BaseLayer) layer).getActivationFn() instanceof ActivationSoftmax;
            Activation act = softmax ? Activation.NONE : activation(name, type, ((BaseLayer) layer).getActivationFn());
            String fc = softmax ? name + "/logits" : name;
            ops.add(new Op.FullyConnected(fc, in, w.transpose().dup('c').reshape(w.length()).toFloatVector(),
                    new int[] {(int) w.size(1), (int) w.size(0)}, params.getParam("b").toFloatVector(), act));
            if (softmax) {
                ops.add(new Op.Softmax(name, fc));
            }
            return name;
        }
        throw new UnsupportedLayerException(name, type, "no conversion for this layer type");
    }

    private static String foldBatchNorm(String name, BatchNormalization bn, org.deeplearning4j.nn.api.Layer params,
                                        String in, List<Op> ops, Map<String, Integer> consumers) {
        int at = indexOf(ops, in);
        Op producer = at < 0 ? null : ops.get(at);
        boolean foldable = producer != null && consumers.getOrDefault(in, 0) == 1
                && (producer instanceof Op.Conv2D c && c.activation() == Activation.NONE
                || producer instanceof Op.DepthwiseConv2D d && d.activation() == Activation.NONE);
        if (!foldable) {
            throw new UnsupportedLayerException(name, "BatchNormalization",
                    "only a batch norm right after a convolution without activation can be folded");
        }
        float[] gamma = params.getParam("gamma").toFloatVector();
        float[] beta = params.getParam("beta").toFloatVector();
        float[] mean = params.getParam("mean").toFloatVector();
        float[] var = bn.isUseLogStd()
                ? logStdToVar(params.getParam("log10stdev").toFloatVector(), bn.getEps())
                : params.getParam("var").toFloatVector();
        int channels = gamma.length;
        float[] scale = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (gamma[c] / Math.sqrt(var[c] + bn.getEps()));
        }
        // y = scale * (W x + b - mean) + beta: weights scaled per output channel, bias shifted.
        Op folded;
        if (producer instanceof Op.Conv2D c) {
            float[] w = c.weights().clone();
            int per = w.length / channels; // OHWI: output channel is the slowest axis
            for (int i = 0; i < w.length; i++) {
                w[i] *= scale[i / per];
            }
            folded = new Op.Conv2D(c.name(), c.input(), w, c.shape(), foldBias(c.bias(), scale, mean, beta), c.stride(),
                    c.padding(), Activation.NONE);
        } else {
            Op.DepthwiseConv2D d = (Op.DepthwiseConv2D) producer;
            float[] w = d.weights().clone();
            for (int i = 0; i < w.length; i++) {
                w[i] *= scale[i % channels]; // [1, kh, kw, c]: channel is the fastest axis
            }
            folded = new Op.DepthwiseConv2D(d.name(), d.input(), w, d.shape(), foldBias(d.bias(), scale, mean, beta),
                    d.stride(), d.padding(), Activation.NONE);
        }
        ops.set(at, folded);
        return folded.name();
    }

    /** The op that produces {@code tensor}; branches interleave, so it need not be the last one. */
    private static int indexOf(List<Op> ops, String tensor) {
        for (int i = ops.size() - 1; i >= 0; i--) {
            if (ops.get(i).name().equals(tensor)) {
                return i;
            }
        }
        return -1;
    }

    private static float[] foldBias(float[] bias, float[] scale, float[] mean, float[] beta) {
        float[] out = new float[bias.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = (bias[c] - mean[c]) * scale[c] + beta[c];
        }
        return out;
    }

    private static float[] logStdToVar(float[] log10std, double eps) {
        float[] var = new float[log10std.length];
        for (int i = 0; i < var.length; i++) {
            double std = Math.pow(10, log10std[i]);
            var[i] = (float) (std * std - eps);
        }
        return var;
    }

    private static String fuseActivation(String name, Activation act, String in, List<Op> ops,
                                         Map<String, Integer> consumers) {
        if (act == Activation.NONE) {
            return in;
        }
        int at = indexOf(ops, in);
        Op producer = at < 0 ? null : ops.get(at);
        if (producer == null || consumers.getOrDefault(in, 0) != 1) {
            throw new UnsupportedLayerException(name, "ActivationLayer", "a standalone activation must follow "
                    + "the op it can be fused into");
        }
        Op fused;
        if (producer instanceof Op.Conv2D c && c.activation() == Activation.NONE) {
            fused = new Op.Conv2D(c.name(), c.input(), c.weights(), c.shape(), c.bias(), c.stride(), c.padding(), act);
        } else if (producer instanceof Op.DepthwiseConv2D d && d.activation() == Activation.NONE) {
            fused = new Op.DepthwiseConv2D(d.name(), d.input(), d.weights(), d.shape(), d.bias(), d.stride(),
                    d.padding(), act);
        } else if (producer instanceof Op.Add a && a.activation() == Activation.NONE) {
            fused = new Op.Add(a.name(), a.left(), a.right(), act);
        } else if (producer instanceof Op.FullyConnected f && f.activation() == Activation.NONE) {
            fused = new Op.FullyConnected(f.name(), f.input(), f.weights(), f.shape(), f.bias(), act);
        } else {
            throw new UnsupportedLayerException(name, "ActivationLayer", "cannot fuse into "
                    + producer.getClass().getSimpleName());
        }
        ops.set(at, fused);
        return fused.name();
    }

    private static Activation activation(String name, String type, IActivation fn) {
        if (fn == null || fn instanceof ActivationIdentity) {
            return Activation.NONE;
        }
        if (fn instanceof ActivationReLU6) {
            return Activation.RELU6;
        }
        if (fn instanceof ActivationReLU relu && relu.getMax() == null && isZeroOrUnset(relu.getNegativeSlope())
                && isZeroOrUnset(relu.getThreshold())) {
            return Activation.RELU;
        }
        throw new UnsupportedLayerException(name, type, "activation " + fn + " has no fused equivalent");
    }

    private static boolean isZeroOrUnset(Double value) {
        return value == null || value == 0;
    }

    private static int stride(String name, String type, int[] stride, int[] dilation) {
        if (stride[0] != stride[1] || (dilation != null && (dilation[0] != 1 || dilation[1] != 1))) {
            throw new UnsupportedLayerException(name, type, "unequal strides or dilation are not supported");
        }
        return stride[0];
    }

    private static Padding padding(String name, String type, ConvolutionMode mode, int[] pad) {
        if (mode == ConvolutionMode.Same) {
            return Padding.SAME;
        }
        if ((mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) && (pad == null || pad[0] == 0 && pad[1] == 0)) {
            return Padding.VALID;
        }
        throw new UnsupportedLayerException(name, type, "explicit padding " + java.util.Arrays.toString(pad));
    }
}
