package dev.clothes.inference.bundle;

/** Element types of model input/output tensors that the runtimes handle. */
public enum TensorType {
    FLOAT32,
    FLOAT16,
    UINT8,
    INT8;

    public boolean isQuantized() {
        return this == UINT8 || this == INT8;
    }
}
