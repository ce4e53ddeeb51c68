package dev.clothes.graphexport.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.QuantizationParameters;
import org.tensorflow.lite.schema.Tensor;
import org.tensorflow.lite.schema.TensorType;

/** Reading a {@code .tflite} flatbuffer's operators and constant tensors, quantized or not. */
public final class TfliteTensors {

    private TfliteTensors() {
    }

    /** The model of a flatbuffer, after checking its identifier. */
    public static Model model(byte[] tflite) {
        ByteBuffer data = ByteBuffer.wrap(tflite).order(ByteOrder.LITTLE_ENDIAN);
        if (tflite.length < 8 || !Model.ModelBufferHasIdentifier(data)) {
            throw new IllegalArgumentException("not a TensorFlow Lite file (no TFL3 identifier)");
        }
        return Model.getRootAsModel(data);
    }

    /**
     * The builtin operator of {@code op}. Files written before schema 3a keep it in the deprecated
     * byte field, newer ones in the int field (and cap the byte at 127): the larger is the real one.
     */
    public static int builtinCode(Model model, Operator op) {
        OperatorCode code = model.operatorCodes((int) op.opcodeIndex());
        return Math.max(code.deprecatedBuiltinCode(), code.builtinCode());
    }

    public static int[] shape(Tensor tensor) {
        int[] shape = new int[tensor.shapeLength()];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = tensor.shape(d);
        }
        return shape;
    }

    /** Whether the tensor is a constant: its buffer holds data. */
    public static boolean isConstant(Model model, Tensor tensor) {
        ByteBuffer raw = tensor.buffer() > 0 ? model.buffers((int) tensor.buffer()).dataAsByteBuffer() : null;
        return raw != null && raw.remaining() > 0;
    }

    /** An INT32 constant's values. */
    public static int[] ints(Model model, Tensor tensor) {
        if (tensor.type() != TensorType.INT32 || !isConstant(model, tensor)) {
            throw new IllegalArgumentException("tensor " + tensor.name() + " is not an int32 constant");
        }
        ByteBuffer raw = model.buffers((int) tensor.buffer()).dataAsByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
        int[] values = new int[raw.remaining() / 4];
        raw.asIntBuffer().get(values);
        return values;
    }

    /**
     * A constant tensor's real values: float32 and float16 as stored, uint8/int8/int32 dequantized with
     * their scale and zero point (per tensor, or per channel along the quantized dimension).
     */
    public static float[] dequantize(Model model, Tensor tensor) {
        ByteBuffer raw = tensor.buffer() > 0 ? model.buffers((int) tensor.buffer()).dataAsByteBuffer() : null;
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
                out[i] = Half.toFloat(raw.getShort(i * 2));
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
