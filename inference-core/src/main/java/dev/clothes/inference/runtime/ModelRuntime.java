package dev.clothes.inference.runtime;

import dev.clothes.inference.bundle.TensorSpec;

/**
 * A loaded model that maps one real-valued input tensor to one real-valued output tensor.
 * Quantized tensors are (de)quantized inside, with the tensor's own scale and zero point.
 * Implementations are thread-safe and free their native memory on {@link #close()}.
 */
public interface ModelRuntime extends AutoCloseable {

    TensorSpec input();

    TensorSpec output();

    /** Runs one example: {@code input.elementCount()} values in, {@code output.elementCount()} values out. */
    float[] run(float[] input);

    @Override
    void close();
}
