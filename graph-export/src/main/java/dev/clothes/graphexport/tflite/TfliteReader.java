package dev.clothes.graphexport.tflite;

import dev.clothes.graphexport.ir.Activation;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.ir.Op;
import dev.clothes.graphexport.ir.Padding;
import dev.clothes.graphexport.ir.Shapes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.ConcatenationOptions;
import org.tensorflow.lite.schema.Conv2DOptions;
import org.tensorflow.lite.schema.DepthwiseConv2DOptions;
import org.tensorflow.lite.schema.FullyConnectedOptions;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.Pool2DOptions;
import org.tensorflow.lite.schema.SoftmaxOptions;
import org.tensorflow.lite.schema.AddOptions;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;

/**
 * A {@code .tflite} image model of standard operators to the intermediate graph, weights dequantized
 * (uint8/int8 per tensor or per channel, int32 biases, float16, or constants behind DEQUANTIZE):
 * CONV_2D, DEPTHWISE_CONV_2D (multiplier 1), ADD, AVERAGE_POOL_2D, MAX_POOL_2D, MEAN over height and
 * width, PAD, RESHAPE and SQUEEZE that flatten a 1x1 map, CONCATENATION on channels,
 * FULLY_CONNECTED, SOFTMAX, each with fused NONE/RELU/RELU6. Activations become float: a fully
 * quantized file is read as the float model it approximates. An average pool over the whole map
 * becomes global pooling, and a 1x1 convolution of pooled features a fully connected op, so the
 * graph ends in {@code [1, c]} features as the DL4J trunks do. Anything else is refused, naming the
 * operator. Ops are named after their output tensor (up to the first ';' TFLite joins names with).
 */
public final class TfliteReader {

    private final Model model;
    private final SubGraph graph;
    /** IR tensor of each TFLite tensor that holds activations. */
    private final Map<Integer, String> irTensor = new HashMap<>();
    /** Real values of constants, and of DEQUANTIZE outputs of constants. */
    private final Map<Integer, float[]> constants = new HashMap<>();
    private final Map<String, int[]> shapes = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    private final List<Op> ops = new ArrayList<>();

    private TfliteReader(byte[] tflite) {
        this.model = TfliteTensors.model(tflite);
        if (model.subgraphsLength() != 1) {
            throw new UnsupportedOpException("the file has " + model.subgraphsLength() + " subgraphs; one is supported");
        }
        this.graph = model.subgraphs(0);
    }

    /** The whole model, up to its first output. */
    public static IrGraph read(byte[] tflite) {
        TfliteReader reader = new TfliteReader(tflite);
        return reader.read(reader.graph.outputs(0));
    }

    /**
     * The model up to {@code outputTensor} (its TFLite name, or that name up to the first ';'): the
     * operators after it are not read.
     */
    public static IrGraph read(byte[] tflite, String outputTensor) {
        TfliteReader reader = new TfliteReader(tflite);
        return reader.read(reader.tensorIndex(outputTensor));
    }

    /** The output tensor of the file's last global average pooling (AVERAGE_POOL_2D over the whole map, or MEAN). */
    public static String pooledTensor(byte[] tflite) {
        TfliteReader reader = new TfliteReader(tflite);
        String name = null;
        for (int i = 0; i < reader.graph.operatorsLength(); i++) {
            int builtin = TfliteTensors.builtinCode(reader.model, reader.graph.operators(i));
            if (builtin == BuiltinOperator.AVERAGE_POOL_2D || builtin == BuiltinOperator.MEAN) {
                name = reader.graph.tensors(reader.graph.operators(i).outputs(0)).name();
            }
        }
        if (name == null) {
            throw new UnsupportedOpException("the file has no global pooling to read features from");
        }
        return name;
    }

    private int tensorIndex(String name) {
        for (int t = 0; t < graph.tensorsLength(); t++) {
            String n = graph.tensors(t).name();
            if (n.equals(name) || shortName(n).equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no tensor '" + name + "' in the file");
    }

    private IrGraph read(int output) {
        if (graph.inputsLength() != 1) {
            throw new UnsupportedOpException("the file has " + graph.inputsLength() + " inputs; one image input is supported");
        }
        Tensor input = graph.tensors(graph.inputs(0));
        int[] in = TfliteTensors.shape(input);
        if (in.length != 4 || in[0] != 1) {
            throw new UnsupportedOpException("input " + input.name() + " has shape " + Arrays.toString(in)
                    + "; [1, height, width, channels] is supported");
        }
        String inputName = unique(shortName(input.name()));
        irTensor.put(graph.inputs(0), inputName);
        shapes.put(inputName, in);
        Set<Integer> needed = ancestors(output);
        for (int i = 0; i < graph.operatorsLength(); i++) {
            if (needed.contains(i)) {
                add(i, graph.operators(i));
            }
        }
        String last = irTensor.get(output);
        if (last == null || ops.isEmpty() || !ops.get(ops.size() - 1).name().equals(last)) {
            throw new UnsupportedOpException("tensor " + graph.tensors(output).name()
                    + " is not computed by the file's operators from its input");
        }
        return new IrGraph(inputName, in[1], in[2], in[3], ops);
    }

    /** The operators {@code tensor} depends on. */
    private Set<Integer> ancestors(int tensor) {
        Map<Integer, Integer> producer = new HashMap<>();
        for (int i = 0; i < graph.operatorsLength(); i++) {
            Operator op = graph.operators(i);
            for (int o = 0; o < op.outputsLength(); o++) {
                producer.put(op.outputs(o), i);
            }
        }
        Set<Integer> ops = new HashSet<>();
        Deque<Integer> todo = new ArrayDeque<>(List.of(tensor));
        while (!todo.isEmpty()) {
            Integer op = producer.get(todo.pop());
            if (op != null && ops.add(op)) {
                Operator o = graph.operators(op);
                for (int j = 0; j < o.inputsLength(); j++) {
                    if (o.inputs(j) >= 0) {
                        todo.push(o.inputs(j));
                    }
                }
            }
        }
        return ops;
    }

    private void add(int index, Operator op) {
        int builtin = TfliteTensors.builtinCode(model, op);
        String opName = BuiltinOperator.name(builtin);
        int out = op.outputs(0);
        String name = unique(shortName(graph.tensors(out).name()));
        Where where = new Where(index, opName, graph.tensors(out).name());
        switch (builtin) {
            case BuiltinOperator.CONV_2D -> {
                Conv2DOptions o = (Conv2DOptions) op.builtinOptions(new Conv2DOptions());
                if (o.dilationHFactor() != 1 || o.dilationWFactor() != 1) {
                    throw where.refuse("dilation " + o.dilationHFactor() + "x" + o.dilationWFactor());
                }
                String in = activations(op, 0, where);
                int[] w = constantShape(op, 1, where);
                float[] weights = constant(op, 1, where);
                float[] bias = bias(op, w[0], where);
                Activation act = activation(o.fusedActivationFunction(), where);
                if (shapes.get(in).length == 2) {
                    // A 1x1 convolution of pooled features (a classifier written as a convolution).
                    if (w[1] != 1 || w[2] != 1) {
                        throw where.refuse("a " + w[1] + "x" + w[2] + " convolution of pooled features");
                    }
                    emit(out, new Op.FullyConnected(name, in, weights, new int[] {w[0], w[3]}, bias, act));
                } else {
                    emit(out, new Op.Conv2D(name, in, weights, w, bias, stride(o.strideH(), o.strideW(), where),
                            padding(o.padding()), act));
                }
            }
            case BuiltinOperator.DEPTHWISE_CONV_2D -> {
                DepthwiseConv2DOptions o = (DepthwiseConv2DOptions) op.builtinOptions(new DepthwiseConv2DOptions());
                if (o.dilationHFactor() > 1 || o.dilationWFactor() > 1) {
                    throw where.refuse("dilation " + o.dilationHFactor() + "x" + o.dilationWFactor());
                }
                String in = activations(op, 0, where);
                int[] w = constantShape(op, 1, where);
                int channels = shapes.get(in)[3];
                if (w[3] != channels) {
                    throw where.refuse("depth multiplier " + w[3] / channels + " (1 is supported)");
                }
                emit(out, new Op.DepthwiseConv2D(name, in, constant(op, 1, where), w, bias(op, w[3], where),
                        stride(o.strideH(), o.strideW(), where), padding(o.padding()),
                        activation(o.fusedActivationFunction(), where)));
            }
            case BuiltinOperator.ADD -> {
                AddOptions o = (AddOptions) op.builtinOptions(new AddOptions());
                String left = activations(op, 0, where);
                String right = activations(op, 1, where);
                if (!Arrays.equals(shapes.get(left), shapes.get(right))) {
                    throw where.refuse("broadcasting " + Arrays.toString(shapes.get(left)) + " + "
                            + Arrays.toString(shapes.get(right)));
                }
                emit(out, new Op.Add(name, left, right, o == null ? Activation.NONE
                        : activation(o.fusedActivationFunction(), where)));
            }
            case BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MAX_POOL_2D -> {
                Pool2DOptions o = (Pool2DOptions) op.builtinOptions(new Pool2DOptions());
                String in = activations(op, 0, where);
                int[] s = shapes.get(in);
                if (activation(o.fusedActivationFunction(), where) != Activation.NONE) {
                    throw where.refuse("a fused activation on pooling");
                }
                boolean average = builtin == BuiltinOperator.AVERAGE_POOL_2D;
                if (average && o.filterHeight() == s[1] && o.filterWidth() == s[2]) {
                    // Over the whole map: no padding either way, the mean of every position.
                    emit(out, new Op.GlobalAveragePool(name, in));
                } else {
                    if (o.filterHeight() != o.filterWidth()) {
                        throw where.refuse("a non-square " + o.filterHeight() + "x" + o.filterWidth() + " window");
                    }
                    emit(out, new Op.Pool2D(name, in, !average, o.filterHeight(), stride(o.strideH(), o.strideW(),
                            where), padding(o.padding())));
                }
            }
            case BuiltinOperator.MEAN -> {
                String in = activations(op, 0, where);
                int[] axes = TfliteTensors.ints(model, graph.tensors(op.inputs(1)));
                int rank = shapes.get(in).length;
                int[] sorted = Arrays.stream(axes).map(a -> a < 0 ? a + rank : a).sorted().toArray();
                if (rank != 4 || !Arrays.equals(sorted, new int[] {1, 2})) {
                    throw where.refuse("a mean over axes " + Arrays.toString(axes) + " (height and width are supported)");
                }
                emit(out, new Op.GlobalAveragePool(name, in));
            }
            case BuiltinOperator.PAD -> {
                String in = activations(op, 0, where);
                int[] p = TfliteTensors.ints(model, graph.tensors(op.inputs(1)));
                if (p.length != 8 || p[0] != 0 || p[1] != 0 || p[6] != 0 || p[7] != 0) {
                    throw where.refuse("paddings " + Arrays.toString(p) + " (height and width only are supported)");
                }
                emit(out, new Op.Pad(name, in, p[2], p[3], p[4], p[5]));
            }
            case BuiltinOperator.RESHAPE, BuiltinOperator.SQUEEZE -> {
                String in = activations(op, 0, where);
                int[] s = shapes.get(in);
                int channels = s[s.length - 1];
                int elements = Arrays.stream(s).reduce(1, (a, b) -> a * b);
                if (elements != channels) {
                    throw where.refuse("reshaping " + Arrays.toString(s) + " (only flattening a 1x1 map is supported)");
                }
                // [1, 1, 1, c] and [1, c] hold the same values in the same order: the op reads the same tensor.
                irTensor.put(out, in);
            }
            case BuiltinOperator.CONCATENATION -> {
                ConcatenationOptions o = (ConcatenationOptions) op.builtinOptions(new ConcatenationOptions());
                List<String> inputs = new ArrayList<>();
                for (int j = 0; j < op.inputsLength(); j++) {
                    inputs.add(activations(op, j, where));
                }
                int rank = shapes.get(inputs.get(0)).length;
                int axis = o.axis() < 0 ? o.axis() + rank : o.axis();
                if (axis != rank - 1) {
                    throw where.refuse("concatenation on axis " + o.axis() + " (channels are supported)");
                }
                for (String i : inputs) {
                    int[] s = shapes.get(i);
                    if (s.length != rank || !Arrays.equals(Arrays.copyOf(s, rank - 1),
                            Arrays.copyOf(shapes.get(inputs.get(0)), rank - 1))) {
                        throw where.refuse("inputs of different sizes");
                    }
                }
                if (activation(o.fusedActivationFunction(), where) != Activation.NONE) {
                    throw where.refuse("a fused activation on concatenation");
                }
                emit(out, new Op.Concat(name, inputs));
            }
            case BuiltinOperator.FULLY_CONNECTED -> {
                FullyConnectedOptions o = (FullyConnectedOptions) op.builtinOptions(new FullyConnectedOptions());
                String in = activations(op, 0, where);
                int[] s = shapes.get(in);
                int[] w = constantShape(op, 1, where);
                if (s.length != 2 && !(s[1] == 1 && s[2] == 1)) {
                    throw where.refuse("a fully connected op on a " + s[1] + "x" + s[2] + " map (flatten orders differ)");
                }
                emit(out, new Op.FullyConnected(name, in, constant(op, 1, where), w, bias(op, w[0], where),
                        o == null ? Activation.NONE : activation(o.fusedActivationFunction(), where)));
            }
            case BuiltinOperator.SOFTMAX -> {
                SoftmaxOptions o = (SoftmaxOptions) op.builtinOptions(new SoftmaxOptions());
                if (o != null && o.beta() != 1f) {
                    throw where.refuse("softmax beta " + o.beta());
                }
                emit(out, new Op.Softmax(name, activations(op, 0, where)));
            }
            case BuiltinOperator.DEQUANTIZE, BuiltinOperator.QUANTIZE -> {
                Tensor source = graph.tensors(op.inputs(0));
                if (TfliteTensors.isConstant(model, source)) {
                    constants.put(out, TfliteTensors.dequantize(model, source)); // weights stored quantized
                } else {
                    irTensor.put(out, activations(op, 0, where)); // activations are real-valued here
                }
            }
            default -> throw where.refuse("no import for this operator");
        }
    }

    /** Which operator an error is about. */
    private record Where(int index, String op, String tensor) {
        UnsupportedOpException refuse(String reason) {
            return new UnsupportedOpException("operator #" + index + " " + op + " (output " + tensor + "): " + reason);
        }
    }

    private void emit(int tfliteTensor, Op op) {
        shapes.put(op.name(), Shapes.output(op, shapes));
        ops.add(op);
        irTensor.put(tfliteTensor, op.name());
    }

    /** The IR tensor an operator input reads: activations, never a constant. */
    private String activations(Operator op, int input, Where where) {
        String t = irTensor.get(op.inputs(input));
        if (t == null) {
            throw where.refuse("input " + input + " (" + graph.tensors(op.inputs(input)).name()
                    + ") is a constant or not computed from the image");
        }
        return t;
    }

    private float[] constant(Operator op, int input, Where where) {
        int t = op.inputs(input);
        float[] values = constants.get(t);
        if (values != null) {
            return values;
        }
        Tensor tensor = graph.tensors(t);
        if (!TfliteTensors.isConstant(model, tensor)) {
            throw where.refuse("input " + input + " (" + tensor.name() + ") is not a constant");
        }
        return TfliteTensors.dequantize(model, tensor);
    }

    /** The shape of a constant input; through a DEQUANTIZE, the shape of its source. */
    private int[] constantShape(Operator op, int input, Where where) {
        int t = op.inputs(input);
        int[] shape = TfliteTensors.shape(graph.tensors(t));
        if (shape.length == 0) {
            for (int i = 0; i < graph.operatorsLength(); i++) {
                Operator producer = graph.operators(i);
                if (producer.outputs(0) == t) {
                    shape = TfliteTensors.shape(graph.tensors(producer.inputs(0)));
                }
            }
        }
        if (shape.length == 0) {
            throw where.refuse("input " + input + " has no shape");
        }
        return shape;
    }

    private float[] bias(Operator op, int channels, Where where) {
        if (op.inputsLength() < 3 || op.inputs(2) < 0) {
            return new float[channels];
        }
        float[] bias = constant(op, 2, where);
        if (bias.length != channels) {
            throw where.refuse("bias of " + bias.length + " values for " + channels + " channels");
        }
        return bias;
    }

    private static int stride(int h, int w, Where where) {
        if (h != w) {
            throw where.refuse("strides " + h + "x" + w);
        }
        return h;
    }

    private static Padding padding(byte padding) {
        return padding == org.tensorflow.lite.schema.Padding.SAME ? Padding.SAME : Padding.VALID;
    }

    private static Activation activation(byte fused, Where where) {
        return switch (fused) {
            case ActivationFunctionType.NONE -> Activation.NONE;
            case ActivationFunctionType.RELU -> Activation.RELU;
            case ActivationFunctionType.RELU6 -> Activation.RELU6;
            default -> throw where.refuse("fused activation " + ActivationFunctionType.name(fused));
        };
    }

    private static String shortName(String tensor) {
        int semicolon = tensor.indexOf(';');
        return semicolon < 0 ? tensor : tensor.substring(0, semicolon);
    }

    private String unique(String name) {
        String candidate = name;
        for (int n = 1; !names.add(candidate); n++) {
            candidate = name + "_" + n;
        }
        return candidate;
    }
}
