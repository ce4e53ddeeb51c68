package dev.clothes.graphexport.tflite;

import dev.clothes.graphexport.ir.Activation;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.ir.Op;
import dev.clothes.graphexport.ir.Shapes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.MetadataT;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.PadOptionsT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.Pool2DOptionsT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Writes an {@link IrGraph} as a {@code .tflite} flatbuffer with builtin ops only: float32
 * activations, weights as float32, float16 (+ DEQUANTIZE) or int8 ({@link WeightFormat}).
 * Optional vectors are left null (the object API would otherwise write empty ones TFLite rejects).
 */
public final class TfliteWriter {

    private final List<TensorT> tensors = new ArrayList<>();
    private final Map<String, Integer> tensorIndex = new HashMap<>();
    private final Map<String, int[]> shapes = new HashMap<>();
    private final List<BufferT> buffers = new ArrayList<>();
    private final Map<Integer, Integer> opcodeIndex = new LinkedHashMap<>();
    private final List<OperatorT> operators = new ArrayList<>();

    private final WeightFormat format;

    private TfliteWriter(WeightFormat format) {
        this.format = format;
        buffers.add(new BufferT()); // buffer 0: the empty sentinel every tensor without data points to
    }

    public static byte[] write(IrGraph graph, String description) {
        return write(graph, WeightFormat.FLOAT32, description, List.of());
    }

    /** @param labels class names in output order, stored as the model's "labels" metadata (may be empty) */
    public static byte[] write(IrGraph graph, WeightFormat format, String description, List<String> labels) {
        return new TfliteWriter(format).build(graph, description, labels);
    }

    private byte[] build(IrGraph g, String description, List<String> labels) {
        int input = tensor(g.input(), new int[] {1, g.height(), g.width(), g.channels()}, TensorType.FLOAT32, null);
        for (Op op : g.ops()) {
            add(op);
        }
        SubGraphT subgraph = new SubGraphT();
        subgraph.setTensors(tensors.toArray(TensorT[]::new));
        subgraph.setInputs(new int[] {input});
        subgraph.setOutputs(g.outputs().stream().mapToInt(tensorIndex::get).toArray());
        subgraph.setOperators(operators.toArray(OperatorT[]::new));
        subgraph.setName("main");
        ModelT model = new ModelT();
        model.setVersion(3);
        model.setDescription(description);
        model.setSubgraphs(new SubGraphT[] {subgraph});
        // A signature names input and output for TFLite's signature runner; labels travel in metadata.
        SignatureDefT signature = new SignatureDefT();
        signature.setSignatureKey("serving_default");
        signature.setSubgraphIndex(0);
        signature.setInputs(new TensorMapT[] {tensorMap(g.input(), input)});
        signature.setOutputs(g.outputs().stream().map(o -> tensorMap(o, tensorIndex.get(o))).toArray(TensorMapT[]::new));
        model.setSignatureDefs(new SignatureDefT[] {signature});
        if (!labels.isEmpty()) {
            byte[] text = String.join("\n", labels).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            BufferT buffer = new BufferT();
            int[] unsigned = new int[text.length];
            for (int i = 0; i < text.length; i++) {
                unsigned[i] = text[i] & 0xFF;
            }
            buffer.setData(unsigned);
            buffers.add(buffer);
            MetadataT metadata = new MetadataT();
            metadata.setName("labels");
            metadata.setBuffer(buffers.size() - 1);
            model.setMetadata(new MetadataT[] {metadata});
        }
        model.setBuffers(buffers.toArray(BufferT[]::new));
        model.setOperatorCodes(opcodeIndex.keySet().stream().map(code -> {
            OperatorCodeT c = new OperatorCodeT();
            c.setBuiltinCode(code);
            c.setDeprecatedBuiltinCode((byte) Math.min(code, 127));
            c.setVersion(1);
            return c;
        }).toArray(OperatorCodeT[]::new));
        return model.serializeToBinary();
    }

    private void add(Op op) {
        if (op instanceof Op.Conv2D c) {
            int[] in = shapes.get(c.input());
            int[] out = {1, c.padding().outputSize(in[1], c.shape()[1], c.stride()),
                c.padding().outputSize(in[2], c.shape()[2], c.stride()), c.shape()[0]};
            Conv2DOptionsT o = new Conv2DOptionsT();
            o.setPadding(padding(c.padding()));
            o.setStrideH(c.stride());
            o.setStrideW(c.stride());
            o.setDilationHFactor(1);
            o.setDilationWFactor(1);
            o.setFusedActivationFunction(activation(c.activation()));
            operator(BuiltinOperator.CONV_2D, BuiltinOptions.Conv2DOptions, o,
                    new int[] {index(c.input()), weights(c.name() + "/weights", c.shape(), c.weights(), 0),
                        constant(c.name() + "/bias", new int[] {c.bias().length}, c.bias())},
                    output(c.name(), out));
        } else if (op instanceof Op.DepthwiseConv2D d) {
            int[] in = shapes.get(d.input());
            int[] out = {1, d.padding().outputSize(in[1], d.shape()[1], d.stride()),
                d.padding().outputSize(in[2], d.shape()[2], d.stride()), d.shape()[3]};
            DepthwiseConv2DOptionsT o = new DepthwiseConv2DOptionsT();
            o.setPadding(padding(d.padding()));
            o.setStrideH(d.stride());
            o.setStrideW(d.stride());
            o.setDepthMultiplier(1);
            o.setDilationHFactor(1);
            o.setDilationWFactor(1);
            o.setFusedActivationFunction(activation(d.activation()));
            operator(BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOptions.DepthwiseConv2DOptions, o,
                    new int[] {index(d.input()), weights(d.name() + "/weights", d.shape(), d.weights(), 3),
                        constant(d.name() + "/bias", new int[] {d.bias().length}, d.bias())},
                    output(d.name(), out));
        } else if (op instanceof Op.Add a) {
            AddOptionsT o = new AddOptionsT();
            o.setFusedActivationFunction(activation(a.activation()));
            operator(BuiltinOperator.ADD, BuiltinOptions.AddOptions, o, new int[] {index(a.left()), index(a.right())},
                    output(a.name(), shapes.get(a.left()).clone()));
        } else if (op instanceof Op.Concat c) {
            // Channels are the last axis: 3 for images, 1 for pooled features.
            int[] out = Shapes.output(c, shapes);
            ConcatenationOptionsT o = new ConcatenationOptionsT();
            o.setAxis(out.length - 1);
            o.setFusedActivationFunction(ActivationFunctionType.NONE);
            operator(BuiltinOperator.CONCATENATION, BuiltinOptions.ConcatenationOptions, o,
                    c.inputs().stream().mapToInt(this::index).toArray(), output(c.name(), out));
        } else if (op instanceof Op.Pool2D p) {
            int[] in = shapes.get(p.input());
            int[] out = {1, p.padding().outputSize(in[1], p.kernel(), p.stride()),
                p.padding().outputSize(in[2], p.kernel(), p.stride()), in[3]};
            Pool2DOptionsT o = new Pool2DOptionsT();
            o.setPadding(padding(p.padding()));
            o.setStrideH(p.stride());
            o.setStrideW(p.stride());
            o.setFilterHeight(p.kernel());
            o.setFilterWidth(p.kernel());
            o.setFusedActivationFunction(ActivationFunctionType.NONE);
            operator(p.max() ? BuiltinOperator.MAX_POOL_2D : BuiltinOperator.AVERAGE_POOL_2D,
                    BuiltinOptions.Pool2DOptions, o, new int[] {index(p.input())}, output(p.name(), out));
        } else if (op instanceof Op.Pad p) {
            int paddings = constantInts(p.name() + "/paddings", new int[] {0, 0, p.top(), p.bottom(), p.left(),
                p.right(), 0, 0});
            tensors.get(paddings).setShape(new int[] {4, 2});
            operator(BuiltinOperator.PAD, BuiltinOptions.PadOptions, new PadOptionsT(),
                    new int[] {index(p.input()), paddings}, output(p.name(), Shapes.output(p, shapes)));
        } else if (op instanceof Op.GlobalAveragePool gap) {
            int[] in = shapes.get(gap.input());
            ReducerOptionsT o = new ReducerOptionsT();
            o.setKeepDims(false);
            int axes = constantInts(gap.name() + "/axes", new int[] {1, 2});
            operator(BuiltinOperator.MEAN, BuiltinOptions.ReducerOptions, o, new int[] {index(gap.input()), axes},
                    output(gap.name(), new int[] {1, in[3]}));
        } else if (op instanceof Op.FullyConnected f) {
            FullyConnectedOptionsT o = new FullyConnectedOptionsT();
            o.setFusedActivationFunction(activation(f.activation()));
            operator(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, o,
                    new int[] {index(f.input()), weights(f.name() + "/weights", f.shape(), f.weights(), -1),
                        constant(f.name() + "/bias", new int[] {f.bias().length}, f.bias())},
                    output(f.name(), new int[] {1, f.shape()[0]}));
        } else if (op instanceof Op.Softmax s) {
            SoftmaxOptionsT o = new SoftmaxOptionsT();
            o.setBeta(1f);
            operator(BuiltinOperator.SOFTMAX, BuiltinOptions.SoftmaxOptions, o, new int[] {index(s.input())},
                    output(s.name(), shapes.get(s.input()).clone()));
        } else {
            throw new IllegalArgumentException("no TFLite op for " + op.getClass().getSimpleName());
        }
    }

    private void operator(int builtin, byte optionsType, Object options, int[] inputs, int output) {
        OperatorT op = new OperatorT();
        op.setOpcodeIndex(opcodeIndex.computeIfAbsent(builtin, k -> opcodeIndex.size()));
        op.setInputs(inputs);
        op.setOutputs(new int[] {output});
        if (options != null) {
            BuiltinOptionsUnion union = new BuiltinOptionsUnion();
            union.setType(optionsType);
            union.setValue(options);
            op.setBuiltinOptions(union);
        }
        operators.add(op);
    }

    private static TensorMapT tensorMap(String name, int index) {
        TensorMapT map = new TensorMapT();
        map.setName(name);
        map.setTensorIndex(index);
        return map;
    }

    private int index(String tensor) {
        Integer i = tensorIndex.get(tensor);
        if (i == null) {
            throw new IllegalStateException("tensor " + tensor + " is used before it is produced");
        }
        return i;
    }

    private int output(String name, int[] shape) {
        return tensor(name, shape, TensorType.FLOAT32, null);
    }

    private int tensor(String name, int[] shape, byte type, byte[] data) {
        TensorT t = new TensorT();
        t.setName(name);
        t.setShape(shape);
        t.setType(type);
        if (data != null) {
            BufferT buffer = new BufferT();
            int[] unsigned = new int[data.length];
            for (int i = 0; i < data.length; i++) {
                unsigned[i] = data[i] & 0xFF;
            }
            buffer.setData(unsigned);
            buffers.add(buffer);
            t.setBuffer(buffers.size() - 1);
        }
        tensors.add(t);
        tensorIndex.put(name, tensors.size() - 1);
        shapes.put(name, shape);
        return tensors.size() - 1;
    }

    /**
     * A weight tensor in this writer's format; returns the float32 tensor the op reads.
     *
     * @param channelAxis axis of per-channel int8 scales, or -1 for one scale per tensor
     */
    private int weights(String name, int[] shape, float[] values, int channelAxis) {
        return switch (format) {
            case FLOAT32 -> constant(name, shape, values);
            case FLOAT16 -> {
                ByteBuffer bytes = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : values) {
                    bytes.putShort(Half.fromFloat(v));
                }
                int half = tensor(name + "/float16", shape, TensorType.FLOAT16, bytes.array());
                int dequantized = tensor(name, shape, TensorType.FLOAT32, null);
                operator(BuiltinOperator.DEQUANTIZE, BuiltinOptions.NONE, null, new int[] {half}, dequantized);
                yield dequantized;
            }
            case INT8 -> int8(name, shape, values, channelAxis);
        };
    }

    /** Symmetric int8 (zero point 0, range -127..127), as TFLite's dynamic-range quantization. */
    private int int8(String name, int[] shape, float[] values, int channelAxis) {
        int channels = channelAxis < 0 ? 1 : shape[channelAxis];
        int inner = 1;
        for (int d = channelAxis + 1; d < shape.length && channelAxis >= 0; d++) {
            inner *= shape[d];
        }
        float[] maxAbs = new float[channels];
        for (int i = 0; i < values.length; i++) {
            int c = channelAxis < 0 ? 0 : (i / inner) % channels;
            maxAbs[c] = Math.max(maxAbs[c], Math.abs(values[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = maxAbs[c] == 0 ? 1f : maxAbs[c] / 127f;
        }
        byte[] q = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            int c = channelAxis < 0 ? 0 : (i / inner) % channels;
            q[i] = (byte) Math.max(-127, Math.min(127, Math.round(values[i] / scales[c])));
        }
        int index = tensor(name, shape, TensorType.INT8, q);
        QuantizationParametersT quantization = new QuantizationParametersT();
        quantization.setScale(scales);
        quantization.setZeroPoint(new long[channels]);
        quantization.setQuantizedDimension(Math.max(0, channelAxis));
        tensors.get(index).setQuantization(quantization);
        return index;
    }

    private int constant(String name, int[] shape, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return tensor(name, shape, TensorType.FLOAT32, bytes.array());
    }

    private int constantInts(String name, int[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(values);
        return tensor(name, new int[] {values.length}, TensorType.INT32, bytes.array());
    }

    private static byte padding(dev.clothes.graphexport.ir.Padding padding) {
        return padding == dev.clothes.graphexport.ir.Padding.SAME ? Padding.SAME : Padding.VALID;
    }

    private static byte activation(Activation activation) {
        return switch (activation) {
            case NONE -> ActivationFunctionType.NONE;
            case RELU -> ActivationFunctionType.RELU;
            case RELU6 -> ActivationFunctionType.RELU6;
        };
    }
}
