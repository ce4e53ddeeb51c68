package dev.clothes.batch;

import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.bundle.Provenance;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.bundle.TensorType;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.TensorLayout;
import dev.clothes.inference.runtime.tflite.TfliteBundles;
import dev.clothes.testing.Golden;

import java.util.List;

/**
 * Real TFLite and ONNX bundles that load and run in milliseconds: the golden models of test-fixtures
 * (a 12x12 MobileNet-style graph, 3 classes), under the labels a test needs.
 */
final class TinyBundles {

    private static final int SIZE = Golden.SIZE;

    private TinyBundles() {
    }

    static ModelBundle tflite(List<String> labels) {
        return TfliteBundles.wrap(Golden.bytes("tiny.tflite"), labels, "tiny-tflite", "1", null,
                Postprocessing.PROBABILITIES, new Provenance(null, "test", "golden tiny.tflite", null, null, null));
    }

    /** Built the way the converter builds ONNX bundles: NCHW input, same pixel values. */
    static ModelBundle onnx(List<String> labels) {
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT_VERSION, "tiny-onnx", "1", "onnx",
                "model.onnx", "labels.txt", null,
                new TensorSpec("input_1", List.of(1, 3, SIZE, SIZE), TensorType.FLOAT32, null),
                new TensorSpec("predictions", List.of(1, 3), TensorType.FLOAT32, null),
                Preprocessing.minusOneToOne(SIZE).withSize(SIZE, SIZE).withLayout(TensorLayout.NCHW),
                Postprocessing.PROBABILITIES, new Provenance(null, "test", "golden tiny.onnx", null, null, null));
        return ModelBundle.of(manifest, labels, Golden.bytes("tiny.onnx"), null);
    }
}
