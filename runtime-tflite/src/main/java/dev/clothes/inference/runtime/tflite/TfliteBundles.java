package dev.clothes.inference.runtime.tflite;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.Checksums;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.bundle.Provenance;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.runtime.Quantizer;
import dev.clothes.inference.runtime.RuntimeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Wraps an existing {@code .tflite} file (e.g. a stock ImageNet model) and its labels into a bundle. */
public final class TfliteBundles {

    private TfliteBundles() {
    }

    /**
     * A model file and its labels file (one label per line, blank lines ignored) as a bundle named after
     * the file, version 1, probabilities out, preprocessing derived from the input tensor: what
     * {@code bundle create} does with its defaults.
     */
    public static ModelBundle wrap(Path model, Path labels) {
        return wrap(model, labels, model.getFileName().toString().replaceFirst("\\.tflite$", ""));
    }

    /** The same, under the bundle name {@code name}. */
    public static ModelBundle wrap(Path model, Path labels, String name) {
        try {
            byte[] bytes = Files.readAllBytes(model);
            Provenance provenance = new Provenance(null, "tflite file", model.getFileName().toString(), null,
                    Checksums.sha256(bytes), null);
            return wrap(bytes, readLabels(labels), name, "1", null, Postprocessing.PROBABILITIES, provenance);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One label per line, stripped, blank lines left out. */
    public static List<String> readLabels(Path labels) throws IOException {
        return Files.readAllLines(labels).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /**
     * @param preprocessing how images become input, or null to derive it: for a quantized input the
     *                      normalisation that stores each 0..255 pixel unchanged (what quantized
     *                      image models are calibrated for), else {@code [-1, 1]}; bilinear stretch
     *                      to the input size
     */
    public static ModelBundle wrap(byte[] model, List<String> labels, String name, String version,
                                   Preprocessing preprocessing, Postprocessing postprocessing, Provenance provenance) {
        TensorSpec input;
        TensorSpec output;
        try (TfliteRuntime runtime = new TfliteRuntime(model, new RuntimeOptions(1, 1), name)) {
            input = runtime.input();
            output = runtime.output();
        }
        List<Integer> shape = input.shape();
        if (shape.size() != 4 || shape.get(0) != 1 || shape.get(3) != 3) {
            throw new BundleException(name + ": expected an image input [1, height, width, 3], got " + shape);
        }
        Preprocessing pre = preprocessing != null ? preprocessing : derivePreprocessing(input);
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT_VERSION, name, version,
                TfliteRuntimeProvider.ID, "model.tflite", "labels.txt", null, input, output, pre, postprocessing,
                provenance);
        return ModelBundle.of(manifest, labels, model, null);
    }

    static Preprocessing derivePreprocessing(TensorSpec input) {
        int height = input.shape().get(1);
        int width = input.shape().get(2);
        Preprocessing base = Preprocessing.minusOneToOne(width).withSize(width, height);
        if (!input.type().isQuantized()) {
            return base;
        }
        return base.withNormalization(Quantizer.pixelPreserving(input.type(), input.quantization()));
    }
}
