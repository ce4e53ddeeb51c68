package dev.clothes.inference.runtime;

import dev.clothes.inference.bundle.TensorSpec;

import java.util.Optional;

/**
 * A loaded model that maps one real-valued input tensor to one real-valued output tensor and, when
 * the bundle declares one, a second output: the embedding.
 * Quantized tensors are (de)quantized inside, with the tensor's own scale and zero point.
 * Implementations are thread-safe and free their native memory on {@link #close()}.
 */
public interface ModelRuntime extends AutoCloseable {

    /** The tensors the model takes and gives, as checked at open. */
    ModelSignature signature();

    default TensorSpec input() {
        return signature().input();
    }

    default TensorSpec output() {
        return signature().output();
    }

    /** The embedding output, when the bundle declares one. */
    default Optional<TensorSpec> embedding() {
        return Optional.ofNullable(signature().embedding());
    }

    /** Runs one example: {@code input.elementCount()} values in; the scores and the embedding (if declared) out. */
    ModelOutputs infer(float[] input);

    /** Runs one example: {@code input.elementCount()} values in, {@code output.elementCount()} values out. */
    default float[] run(float[] input) {
        return infer(input).scores();
    }

    /**
     * Runs several examples; runtimes with batched execution override this (DL4J is ~2x faster
     * per image in batches), others run them one by one.
     */
    default ModelOutputs[] inferBatch(float[][] inputs) {
        ModelOutputs[] outputs = new ModelOutputs[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            outputs[i] = infer(inputs[i]);
        }
        return outputs;
    }

    @Override
    void close();
}
