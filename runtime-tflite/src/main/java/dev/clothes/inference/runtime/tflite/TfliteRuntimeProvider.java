package dev.clothes.inference.runtime.tflite;

import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.ModelRuntimeProvider;
import dev.clothes.inference.runtime.RuntimeOptions;

/** Registers the TensorFlow Lite runtime under the id {@value #ID}. */
public final class TfliteRuntimeProvider implements ModelRuntimeProvider {

    public static final String ID = "tflite";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ModelRuntime open(ModelBundle bundle, RuntimeOptions options) {
        return TfliteRuntime.open(bundle, options);
    }
}
