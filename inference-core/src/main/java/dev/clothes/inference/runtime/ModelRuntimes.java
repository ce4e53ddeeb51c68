package dev.clothes.inference.runtime;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.ModelBundle;

import java.util.ServiceLoader;
import java.util.TreeSet;

/** Opens a bundle with the runtime its manifest names. */
public final class ModelRuntimes {

    private ModelRuntimes() {
    }

    public static ModelRuntime open(ModelBundle bundle, RuntimeOptions options) {
        String id = bundle.manifest().runtime();
        TreeSet<String> known = new TreeSet<>();
        for (ModelRuntimeProvider provider : ServiceLoader.load(ModelRuntimeProvider.class)) {
            if (provider.id().equals(id)) {
                return provider.open(bundle, options);
            }
            known.add(provider.id());
        }
        throw new BundleException(bundle.source() + " needs the '" + id + "' runtime, which is not on the "
                + "classpath (available: " + String.join(", ", known) + ")");
    }
}
