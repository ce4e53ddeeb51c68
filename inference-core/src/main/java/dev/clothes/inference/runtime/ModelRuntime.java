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

    /**
     * Runs several examples; runtimes with batched execution override this (DL4J is ~2x faster
     * per image in batches), others run them one by one.
     */
    default float[][] runBatch(float[][] inputs) {
        float[][] outputs = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            outputs[i] = run(inputs[i]);
        }
        return outputs;
    }

    @Override
    void close();
}
