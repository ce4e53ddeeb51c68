package dev.clothes.inference.runtime;

import dev.clothes.inference.bundle.Quantization;
import dev.clothes.inference.bundle.TensorType;
import dev.clothes.inference.preprocess.Normalization;

/** Affine (de)quantization between real values and UINT8/INT8 tensor bytes. */
public final class Quantizer {

    private Quantizer() {
    }

    /**
     * The normalisation under which a quantized image input stores each 0..255 pixel unchanged
     * (what quantized image models are calibrated for): real = (q - zp) * scale with q = pixel
     * (uint8) or pixel - 128 (int8).
     */
    public static Normalization pixelPreserving(TensorType type, Quantization q) {
        double mean = type == TensorType.UINT8 ? q.zeroPoint() : q.zeroPoint() + 128;
        return Normalization.uniform(mean, 1.0 / q.scale());
    }

    public static void quantize(float[] real, TensorType type, Quantization q, byte[] out) {
        int min = type == TensorType.UINT8 ? 0 : -128;
        int max = type == TensorType.UINT8 ? 255 : 127;
        double inv = 1.0 / q.scale();
        long zp = q.zeroPoint();
        for (int i = 0; i < real.length; i++) {
            long v = Math.round(real[i] * inv) + zp;
            out[i] = (byte) Math.max(min, Math.min(max, v));
        }
    }

    public static void dequantize(byte[] data, TensorType type, Quantization q, float[] out) {
        float scale = (float) q.scale();
        long zp = q.zeroPoint();
        boolean unsigned = type == TensorType.UINT8;
        for (int i = 0; i < data.length; i++) {
            int v = unsigned ? data[i] & 0xFF : data[i];
            out[i] = (v - zp) * scale;
        }
    }
}
