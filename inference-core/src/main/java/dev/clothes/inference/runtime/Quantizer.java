package dev.clothes.inference.runtime;

import dev.clothes.inference.bundle.Quantization;
import dev.clothes.inference.bundle.TensorType;

/** Affine (de)quantization between real values and UINT8/INT8 tensor bytes. */
public final class Quantizer {

    private Quantizer() {
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
