package dev.clothes.trainer.backbone;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.QuantizationParameters;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;
import org.tensorflow.lite.schema.TensorType;

/**
 * Reads the convolution weights of an ImageNet TFLite model (uint8/int8 quantized or float) and
 * loads them into a Keras-named DL4J graph. TFLite has batch norm folded into each convolution's
 * weights and bias; the DL4J graph keeps its BN layers, set to the identity plus that bias.
 */
public final class TfliteWeights {

    /** One CONV_2D or DEPTHWISE_CONV_2D of the file, dequantized; {@code shape} as TFLite stores it (OHWI). */
    public record Convolution(String name, boolean depthwise, int[] shape, float[] weights, float[] bias) {
    }

    private TfliteWeights() {
    }

    /** Every convolution in operator order (the last one is the classifier of a full model). */
    public static List<Convolution> convolutions(byte[] tflite) {
        ByteBuffer data = ByteBuffer.wrap(tflite).order(ByteOrder.LITTLE_ENDIAN);
        if (!Model.ModelBufferHasIdentifier(data)) {
            throw new IllegalArgumentException("not a TensorFlow Lite file (no TFL3 identifier)");
        }
        Model model = Model.getRootAsModel(data);
        SubGraph graph = model.subgraphs(0);
        List<Convolution> convs = new ArrayList<>();
        for (int i = 0; i < graph.operatorsLength(); i++) {
            Operator op = graph.operators(i);
            int builtin = builtinCode(model, op);
            if (builtin != BuiltinOperator.CONV_2D && builtin != BuiltinOperator.DEPTHWISE_CONV_2D) {
                continue;
            }
            Tensor weights = graph.tensors(op.inputs(1));
            int[] shape = new int[weights.shapeLength()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = weights.shape(d);
            }
            float[] w = dequantize(model, weights);
            float[] b = op.inputsLength() > 2 && op.inputs(2) >= 0
                    ? dequantize(model, graph.tensors(op.inputs(2)))
                    : new float[builtin == BuiltinOperator.CONV_2D ? shape[0] : shape[3]];
            convs.add(new Convolution(weights.name(), builtin == BuiltinOperator.DEPTHWISE_CONV_2D, shape, w, b));
        }
        return convs;
    }

    /**
     * The builtin operator of {@code op}. Files written before schema 3a keep it in the deprecated
     * byte field, newer ones in the int field (and cap the byte at 127): the larger is the real one.
     */
    public static int builtinCode(Model model, Operator op) {
        OperatorCode code = model.operatorCodes((int) op.opcodeIndex());
        return Math.max(code.deprecatedBuiltinCode(), code.builtinCode());
    }

    /**
     * Loads {@code convs} into the graph's convolution + batch-norm pairs, in order.
     *
     * @throws IllegalArgumentException when counts or shapes differ (a file of another architecture)
     */
    public static void load(ComputationGraph graph, List<String[]> convWithBatchNorm, List<Convolution> convs,
                            double bnEpsilon) {
        if (convs.size() < convWithBatchNorm.size()) {
            throw new IllegalArgumentException("the TFLite file has " + convs.size() + " convolutions; the "
                    + "architecture needs " + convWithBatchNorm.size());
        }
        for (int i = 0; i < convWithBatchNorm.size(); i++) {
            String convName = convWithBatchNorm.get(i)[0];
            Convolution c = convs.get(i);
            Layer conv = graph.getLayer(convName);
            INDArray target = conv.getParam("W");
            INDArray w = c.depthwise() ? depthwiseToDl4j(c) : convToDl4j(c);
            if (!java.util.Arrays.equals(target.shape(), w.shape())) {
                throw new IllegalArgumentException("layer " + convName + " expects weights "
                        + java.util.Arrays.toString(target.shape()) + " but TFLite tensor " + c.name() + " is "
                        + java.util.Arrays.toString(c.shape()));
            }
            conv.setParam("W", w);
            Layer bn = graph.getLayer(convWithBatchNorm.get(i)[1]);
            int channels = c.bias().length;
            bn.setParam("gamma", Nd4j.ones(1, channels));
            bn.setParam("beta", Nd4j.create(c.bias(), 1, channels));
            bn.setParam("mean", Nd4j.zeros(1, channels));
            bn.setParam("var", Nd4j.valueArrayOf(new long[] {1, channels}, 1 - bnEpsilon));
        }
    }

    /** OHWI to DL4J's OIHW. */
    static INDArray convToDl4j(Convolution c) {
        int o = c.shape()[0];
        int h = c.shape()[1];
        int w = c.shape()[2];
        int in = c.shape()[3];
        return Nd4j.create(c.weights(), new long[] {o, h, w, in}, 'c').permute(0, 3, 1, 2).dup('c');
    }

    /** TFLite [1, H, W, C] to DL4J depthwise [H, W, C, multiplier = 1]: the same order. */
    static INDArray depthwiseToDl4j(Convolution c) {
        return Nd4j.create(c.weights(), new long[] {c.shape()[1], c.shape()[2], c.shape()[3], 1}, 'c');
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            return (sign == 0 ? 1 : -1) * mantissa * 0x1p-24f; // zero and subnormals
        }
        if (exponent == 31) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13)); // inf and NaN
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    static float[] dequantize(Model model, Tensor tensor) {
        ByteBuffer raw = model.buffers((int) tensor.buffer()).dataAsByteBuffer();
        if (raw == null) {
            throw new IllegalArgumentException("tensor " + tensor.name() + " has no constant data");
        }
        raw = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        int count = 1;
        for (int d = 0; d < tensor.shapeLength(); d++) {
            count *= tensor.shape(d);
        }
        float[] out = new float[count];
        QuantizationParameters q = tensor.quantization();
        byte type = tensor.type();
        if (type == TensorType.FLOAT32) {
            raw.asFloatBuffer().get(out);
            return out;
        }
        if (type == TensorType.FLOAT16) {
            for (int i = 0; i < count; i++) {
                out[i] = halfToFloat(raw.getShort(i * 2));
            }
            return out;
        }
        if (q == null || q.scaleLength() == 0) {
            throw new IllegalArgumentException("tensor " + tensor.name() + " is " + TensorType.name(type)
                    + " without quantization parameters");
        }
        // Per-channel scales run along quantized_dimension; per-tensor has one scale.
        int channels = q.scaleLength();
        int axis = q.quantizedDimension();
        int inner = 1;
        for (int d = axis + 1; d < tensor.shapeLength(); d++) {
            inner *= tensor.shape(d);
        }
        for (int i = 0; i < count; i++) {
            int c = channels == 1 ? 0 : (i / inner) % channels;
            long zp = q.zeroPointLength() > c ? q.zeroPoint(c) : 0;
            double v = switch (type) {
                case TensorType.UINT8 -> raw.get(i) & 0xFF;
                case TensorType.INT8 -> raw.get(i);
                case TensorType.INT32 -> raw.getInt(i * 4);
                default -> throw new IllegalArgumentException("tensor " + tensor.name() + " has unsupported type "
                        + TensorType.name(type));
            };
            out[i] = (float) ((v - zp) * q.scale(c));
        }
        return out;
    }
}
