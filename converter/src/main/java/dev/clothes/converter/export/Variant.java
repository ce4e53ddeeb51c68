package dev.clothes.converter.export;

import dev.clothes.graphexport.tflite.WeightFormat;

/** The serving formats a trained bundle converts to. */
public enum Variant {
    TFLITE_FLOAT32("tflite", WeightFormat.FLOAT32),
    TFLITE_FLOAT16("tflite", WeightFormat.FLOAT16),
    TFLITE_INT8("tflite", WeightFormat.INT8),
    ONNX_FLOAT32("onnx", WeightFormat.FLOAT32);

    private final String runtime;
    private final WeightFormat weights;

    Variant(String runtime, WeightFormat weights) {
        this.runtime = runtime;
        this.weights = weights;
    }

    public String runtime() {
        return runtime;
    }

    public WeightFormat weights() {
        return weights;
    }

    /** e.g. {@code tflite-int8}. */
    public String id() {
        return runtime + "-" + weights.id();
    }

    public static Variant of(String runtime, WeightFormat weights) {
        for (Variant v : values()) {
            if (v.runtime.equals(runtime) && v.weights == weights) {
                return v;
            }
        }
        throw new IllegalArgumentException(runtime + " with " + weights.id() + " weights is not available");
    }
}
