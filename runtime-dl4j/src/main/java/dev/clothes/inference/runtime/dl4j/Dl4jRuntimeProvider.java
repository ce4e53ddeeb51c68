package dev.clothes.inference.runtime.dl4j;

import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.ModelRuntimeProvider;
import dev.clothes.inference.runtime.RuntimeOptions;

/** Registers the DL4J runtime under the id {@value #ID}. */
public final class Dl4jRuntimeProvider implements ModelRuntimeProvider {

    public static final String ID = "dl4j";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ModelRuntime open(ModelBundle bundle, RuntimeOptions options) {
        return Dl4jRuntime.open(bundle);
    }
}
