package dev.clothes.inference.runtime.tflite;

import dev.clothes.inference.runtime.tflite.ImagenetBundles;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.bundle.Provenance;
import dev.clothes.testing.Shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The ImageNet TFLite models in {@code ../shared} wrapped as bundles, for tests here and in quality. */
public final class ImagenetBundles {

    private ImagenetBundles() {
    }

    /** A stock ImageNet TFLite model wrapped as a bundle, the way {@code bundle create} does it. */
    public static ModelBundle of(String tflite) {
        return of(tflite, tflite.replace(".tflite", ""));
    }

    /** The same, under the bundle name {@code name}. */
    public static ModelBundle of(String tflite, String name) {
        try {
            return TfliteBundles.wrap(Shared.read(Shared.imagenet(tflite)),
                    Files.readAllLines(Shared.imagenet("imagenet_labels.txt")),
                    name, "1", null, Postprocessing.PROBABILITIES, new Provenance(null, "test", tflite, null, null, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
