package dev.clothes.inference.runtime;

import dev.clothes.inference.bundle.ModelBundle;

/**
 * Opens bundles of one runtime id ({@code tflite}, {@code onnx}, ...). Discovered with
 * {@link java.util.ServiceLoader}, so modules add runtimes (e.g. DL4J in the trainer) without
 * inference-core depending on them.
 */
public interface ModelRuntimeProvider {

    /** The id used in {@code bundle.json}'s {@code runtime} field. */
    String id();

    ModelRuntime open(ModelBundle bundle, RuntimeOptions options);
}
