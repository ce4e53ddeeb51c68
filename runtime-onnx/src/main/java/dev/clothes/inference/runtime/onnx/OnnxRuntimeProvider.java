package dev.clothes.inference.runtime.onnx;

import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.ModelRuntimeProvider;
import dev.clothes.inference.runtime.RuntimeOptions;

/** Registers ONNX Runtime under the id {@value #ID}. */
public final class OnnxRuntimeProvider implements ModelRuntimeProvider {

    public static final String ID = "onnx";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ModelRuntime open(ModelBundle bundle, RuntimeOptions options) {
        return OnnxModelRuntime.open(bundle, options);
    }
}
