package dev.clothes.graphexport.tflite;

/** How a TFLite export stores weights (activations stay float32 in all three). */
public enum WeightFormat {
    /** Plain float32. */
    FLOAT32,
    /** Half-precision weights, dequantized to float32 when the interpreter starts. */
    FLOAT16,
    /**
     * int8 weights ("dynamic range"): per-output-channel scales for convolutions, one scale per
     * tensor for fully connected layers (TFLite 2.8 computes per-channel FULLY_CONNECTED wrongly).
     * Biases stay float32.
     */
    INT8;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
