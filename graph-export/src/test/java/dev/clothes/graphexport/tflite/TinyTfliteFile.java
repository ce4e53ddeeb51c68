package dev.clothes.graphexport.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.DequantizeOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.PadOptionsT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.Pool2DOptionsT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;
import org.tensorflow.lite.schema.SqueezeOptionsT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Writes, with the TFLite schema's object API, a tiny image model that uses every operator
 * {@link TfliteReader} imports, with uint8 (per tensor, zero point off 0) and int8 (per channel)
 * weights, int32 and float biases. Input {@code image} [1, 8, 8, 3], output {@code probabilities} [1, 6].
 *
 * <p>With {@code throughDequantize}, the quantized weights reach their op through DEQUANTIZE, so the TFLite
 * runtime computes in float (as the imported graph does) and the two can be compared to float rounding;
 * without, the ops read them directly, as fully quantized files (MobileNet-EdgeTPU) do.
 */
final class TinyTfliteFile {

    private final List<TensorT> tensors = new ArrayList<>();
    private final List<BufferT> buffers = new ArrayList<>(List.of(new BufferT()));
    private final Map<Integer, Integer> opcodes = new LinkedHashMap<>();
    private final List<OperatorT> operators = new ArrayList<>();
    private final Random random = new Random(17);
    private final boolean throughDequantize;
    private final byte firstActivation;

    private TinyTfliteFile(boolean throughDequantize, byte firstActivation) {
        this.throughDequantize = throughDequantize;
        this.firstActivation = firstActivation;
    }

    static byte[] write(boolean throughDequantize) {
        return new TinyTfliteFile(throughDequantize, ActivationFunctionType.RELU6).build();
    }

    /** The same model with a fused tanh on the first convolution, which the reader refuses. */
    static byte[] writeWithTanh() {
        return new TinyTfliteFile(true, ActivationFunctionType.TANH).build();
    }

    private byte[] build() {
        int image = tensor("image", new int[] {1, 8, 8, 3}, TensorType.FLOAT32, null);
        int padded = op(BuiltinOperator.PAD, BuiltinOptions.PadOptions, new PadOptionsT(),
                new int[] {image, ints("paddings", new int[] {4, 2}, 0, 0, 1, 1, 0, 1, 0, 0)}, "pad", 1, 10, 9, 3);
        int conv = op(BuiltinOperator.CONV_2D, BuiltinOptions.Conv2DOptions, conv(Padding.VALID, 1, firstActivation),
                new int[] {padded, uint8Weights("conv/weights", 4, 3, 3, 3), floats("conv/bias", 4)},
                "conv;conv/Relu6", 1, 8, 7, 4);
        int dw = op(BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOptions.DepthwiseConv2DOptions, depthwise(),
                new int[] {conv, int8Weights("dw/weights", 3, 1, 3, 3, 4), floats("dw/bias", 4)}, "dw", 1, 4, 4, 4);
        int project = op(BuiltinOperator.CONV_2D, BuiltinOptions.Conv2DOptions, conv(Padding.SAME, 1, ActivationFunctionType.NONE),
                new int[] {dw, int8Weights("project/weights", 0, 4, 1, 1, 4), int32Bias("project/bias", 4)},
                "project", 1, 4, 4, 4);
        AddOptionsT addOptions = new AddOptionsT();
        addOptions.setFusedActivationFunction(ActivationFunctionType.RELU);
        int add = op(BuiltinOperator.ADD, BuiltinOptions.AddOptions, addOptions, new int[] {dw, project}, "add", 1, 4, 4, 4);
        int max = op(BuiltinOperator.MAX_POOL_2D, BuiltinOptions.Pool2DOptions, pool(2, 1, Padding.SAME),
                new int[] {add}, "max", 1, 4, 4, 4);
        int avg = op(BuiltinOperator.AVERAGE_POOL_2D, BuiltinOptions.Pool2DOptions, pool(3, 1, Padding.SAME),
                new int[] {max}, "avg", 1, 4, 4, 4);
        ConcatenationOptionsT concatOptions = new ConcatenationOptionsT();
        concatOptions.setAxis(-1);
        int concat = op(BuiltinOperator.CONCATENATION, BuiltinOptions.ConcatenationOptions, concatOptions,
                new int[] {add, avg}, "concat", 1, 4, 4, 8);
        // Branch a: MEAN keeping dims, RESHAPE, FULLY_CONNECTED.
        ReducerOptionsT reducer = new ReducerOptionsT();
        reducer.setKeepDims(true);
        int mean = op(BuiltinOperator.MEAN, BuiltinOptions.ReducerOptions, reducer,
                new int[] {concat, ints("mean/axes", new int[] {2}, 1, 2)}, "mean", 1, 1, 1, 8);
        ReshapeOptionsT reshapeOptions = new ReshapeOptionsT();
        reshapeOptions.setNewShape(new int[] {1, 8});
        int flat = op(BuiltinOperator.RESHAPE, BuiltinOptions.ReshapeOptions, reshapeOptions,
                new int[] {mean, ints("flat/shape", new int[] {2}, 1, 8)}, "flat", 1, 8);
        FullyConnectedOptionsT fcOptions = new FullyConnectedOptionsT();
        fcOptions.setFusedActivationFunction(ActivationFunctionType.RELU);
        int fc = op(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, fcOptions,
                new int[] {flat, int8Weights("fc/weights", 0, 5, 8), floats("fc/bias", 5)}, "fc", 1, 5);
        // Branch b: AVERAGE_POOL_2D over the whole map, a 1x1 CONV_2D classifier, SQUEEZE.
        int pooled = op(BuiltinOperator.AVERAGE_POOL_2D, BuiltinOptions.Pool2DOptions, pool(4, 2, Padding.VALID),
                new int[] {concat}, "pooled", 1, 1, 1, 8);
        int logits = op(BuiltinOperator.CONV_2D, BuiltinOptions.Conv2DOptions, conv(Padding.SAME, 1, ActivationFunctionType.NONE),
                new int[] {pooled, uint8Weights("logits/weights", 5, 1, 1, 8), floats("logits/bias", 5)},
                "logits", 1, 1, 1, 5);
        SqueezeOptionsT squeezeOptions = new SqueezeOptionsT();
        squeezeOptions.setSqueezeDims(new int[] {1, 2});
        int squeezed = op(BuiltinOperator.SQUEEZE, BuiltinOptions.SqueezeOptions, squeezeOptions, new int[] {logits},
                "squeezed", 1, 5);
        ConcatenationOptionsT joinOptions = new ConcatenationOptionsT();
        joinOptions.setAxis(1);
        int joined = op(BuiltinOperator.CONCATENATION, BuiltinOptions.ConcatenationOptions, joinOptions,
                new int[] {fc, squeezed}, "joined", 1, 10);
        int scores = op(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, new FullyConnectedOptionsT(),
                new int[] {joined, floats("scores/weights", 6, 10), floats("scores/bias", 6)}, "scores", 1, 6);
        SoftmaxOptionsT softmax = new SoftmaxOptionsT();
        softmax.setBeta(1f);
        int probabilities = op(BuiltinOperator.SOFTMAX, BuiltinOptions.SoftmaxOptions, softmax, new int[] {scores},
                "probabilities", 1, 6);

        SubGraphT subgraph = new SubGraphT();
        subgraph.setTensors(tensors.toArray(TensorT[]::new));
        subgraph.setInputs(new int[] {image});
        subgraph.setOutputs(new int[] {probabilities});
        subgraph.setOperators(operators.toArray(OperatorT[]::new));
        ModelT model = new ModelT();
        model.setVersion(3);
        model.setDescription("every operator TfliteReader imports");
        model.setSubgraphs(new SubGraphT[] {subgraph});
        model.setBuffers(buffers.toArray(BufferT[]::new));
        model.setOperatorCodes(opcodes.keySet().stream().map(code -> {
            OperatorCodeT c = new OperatorCodeT();
            c.setBuiltinCode(code);
            c.setDeprecatedBuiltinCode((byte) Math.min(code, 127));
            c.setVersion(code == BuiltinOperator.DEQUANTIZE ? 4 : 1); // per-channel int8 dequantization
            return c;
        }).toArray(OperatorCodeT[]::new));
        return model.serializeToBinary();
    }

    private static Conv2DOptionsT conv(byte padding, int stride, byte activation) {
        Conv2DOptionsT o = new Conv2DOptionsT();
        o.setPadding(padding);
        o.setStrideH(stride);
        o.setStrideW(stride);
        o.setDilationHFactor(1);
        o.setDilationWFactor(1);
        o.setFusedActivationFunction(activation);
        return o;
    }

    private static DepthwiseConv2DOptionsT depthwise() {
        DepthwiseConv2DOptionsT o = new DepthwiseConv2DOptionsT();
        o.setPadding(Padding.SAME);
        o.setStrideH(2);
        o.setStrideW(2);
        o.setDepthMultiplier(1);
        o.setDilationHFactor(1);
        o.setDilationWFactor(1);
        o.setFusedActivationFunction(ActivationFunctionType.RELU);
        return o;
    }

    private static Pool2DOptionsT pool(int filter, int stride, byte padding) {
        Pool2DOptionsT o = new Pool2DOptionsT();
        o.setPadding(padding);
        o.setStrideH(stride);
        o.setStrideW(stride);
        o.setFilterHeight(filter);
        o.setFilterWidth(filter);
        o.setFusedActivationFunction(ActivationFunctionType.NONE);
        return o;
    }

    /** Adds an operator with one float32 output and returns that tensor. */
    private int op(int builtin, byte optionsType, Object options, int[] inputs, String output, int... shape) {
        int out = tensor(output, shape, TensorType.FLOAT32, null);
        OperatorT op = new OperatorT();
        op.setOpcodeIndex(opcodes.computeIfAbsent(builtin, k -> opcodes.size()));
        op.setInputs(inputs);
        op.setOutputs(new int[] {out});
        BuiltinOptionsUnion union = new BuiltinOptionsUnion();
        union.setType(optionsType);
        union.setValue(options);
        op.setBuiltinOptions(union);
        operators.add(op);
        return out;
    }

    /** uint8 weights, one scale and a zero point of 100 for the whole tensor. */
    private int uint8Weights(String name, int... shape) {
        float[] values = randoms(count(shape));
        float scale = 0.01f;
        byte[] q = new byte[values.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = (byte) Math.max(0, Math.min(255, Math.round(values[i] / scale) + 100));
        }
        return quantized(name, shape, TensorType.UINT8, q, new float[] {scale}, new long[] {100}, 0);
    }

    /** int8 weights with one scale per channel along {@code axis}. */
    private int int8Weights(String name, int axis, int... shape) {
        float[] values = randoms(count(shape));
        int channels = shape[axis];
        int inner = count(shape) / count(java.util.Arrays.copyOf(shape, axis + 1));
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = 0.004f + 0.002f * c;
        }
        byte[] q = new byte[values.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = (byte) Math.max(-127, Math.min(127, Math.round(values[i] / scales[(i / inner) % channels])));
        }
        return quantized(name, shape, TensorType.INT8, q, scales, new long[channels], axis);
    }

    /** A bias stored as int32 with a scale, as quantized files store them (read by the op itself). */
    private int int32Bias(String name, int channels) {
        ByteBuffer bytes = ByteBuffer.allocate(channels * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < channels; c++) {
            bytes.putInt(random.nextInt(200) - 100);
        }
        int t = tensor(name, new int[] {channels}, TensorType.INT32, bytes.array());
        QuantizationParametersT q = new QuantizationParametersT();
        q.setScale(new float[] {0.002f});
        q.setZeroPoint(new long[] {0});
        tensors.get(t).setQuantization(q);
        if (!throughDequantize) {
            return t;
        }
        // The float runtime needs a float bias: the same values, dequantized here.
        float[] real = new float[channels];
        bytes.rewind();
        for (int c = 0; c < channels; c++) {
            real[c] = bytes.getInt() * 0.002f;
        }
        tensors.remove(t);
        buffers.remove(buffers.size() - 1);
        return constant(name, new int[] {channels}, real);
    }

    private int quantized(String name, int[] shape, byte type, byte[] q, float[] scales, long[] zeroPoints, int axis) {
        int t = tensor(throughDequantize ? name + "/quantized" : name, shape, type, q);
        QuantizationParametersT quantization = new QuantizationParametersT();
        quantization.setScale(scales);
        quantization.setZeroPoint(zeroPoints);
        quantization.setQuantizedDimension(axis);
        tensors.get(t).setQuantization(quantization);
        if (!throughDequantize) {
            return t;
        }
        return op(BuiltinOperator.DEQUANTIZE, BuiltinOptions.DequantizeOptions, new DequantizeOptionsT(),
                new int[] {t}, name, shape);
    }

    private int floats(String name, int... shape) {
        return constant(name, shape, randoms(count(shape)));
    }

    private int constant(String name, int[] shape, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return tensor(name, shape, TensorType.FLOAT32, bytes.array());
    }

    private int ints(String name, int[] shape, int... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(values);
        return tensor(name, shape, TensorType.INT32, bytes.array());
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
        return tensors.size() - 1;
    }

    private float[] randoms(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * 0.4);
        }
        return values;
    }

    private static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
