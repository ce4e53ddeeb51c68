package dev.clothes.inference.runtime.onnx;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.bundle.Quantization;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.bundle.TensorType;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.TensorLayout;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.ModelRuntimes;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.testing.Golden;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** ONNX Runtime on the golden model: its tensors, its known answer, and the bundles it refuses. */
class OnnxModelRuntimeTest {

    private static final TensorSpec INPUT = new TensorSpec(Golden.INPUT, List.of(1, 3, Golden.SIZE, Golden.SIZE),
            TensorType.FLOAT32, null);
    private static final TensorSpec OUTPUT = new TensorSpec(Golden.OUTPUT, List.of(1, 3), TensorType.FLOAT32, null);

    private static ModelBundle bundle(TensorSpec input, byte[] model) {
        return ModelBundle.of(new BundleManifest(BundleManifest.FORMAT_VERSION, "golden", "1", OnnxRuntimeProvider.ID,
                "model.onnx", "labels.txt", null, input, OUTPUT,
                Preprocessing.minusOneToOne(Golden.SIZE).withLayout(TensorLayout.NCHW), Postprocessing.PROBABILITIES,
                null), Golden.LABELS, model, null);
    }

    @Test
    void opensThroughTheProviderAndAnswersAsRecorded() {
        try (ModelRuntime runtime = ModelRuntimes.open(bundle(INPUT, Golden.bytes("tiny.onnx")), new RuntimeOptions(1, 1))) {
            assertThat(runtime).isInstanceOf(OnnxModelRuntime.class);
            assertThat(runtime.input()).isEqualTo(INPUT);
            assertThat(runtime.output()).isEqualTo(OUTPUT);
            assertThat(runtime.embedding()).isEmpty();
            assertThat(runtime.run(Golden.inputNchw())).containsExactly(Golden.expectedOutput(), within(1e-5f));
        }
    }

    @Test
    void moreThreadsGiveTheSameAnswerAndABatchTheSameAsSingles() {
        try (ModelRuntime runtime = OnnxModelRuntime.open(bundle(INPUT, Golden.bytes("tiny.onnx")), new RuntimeOptions(2, 1))) {
            float[] zeros = new float[INPUT.elementCount()];
            var batch = runtime.inferBatch(new float[][] {Golden.inputNchw(), zeros});
            assertThat(batch[0].scores()).containsExactly(Golden.expectedOutput(), within(1e-5f));
            assertThat(batch[1].scores()).containsExactly(runtime.run(zeros));
        }
    }

    @Test
    void aWrongInputLengthIsTheCallersError() {
        try (ModelRuntime runtime = OnnxModelRuntime.open(bundle(INPUT, Golden.bytes("tiny.onnx")), new RuntimeOptions(1, 1))) {
            assertThatThrownBy(() -> runtime.run(new float[5])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("input has 5 values").hasMessageContaining("432");
        }
    }

    @Test
    void refusesWhatItCannotRun() {
        RuntimeOptions options = new RuntimeOptions(1, 1);
        assertThatThrownBy(() -> OnnxModelRuntime.open(bundle(INPUT, "not an onnx model".getBytes()), options))
                .isInstanceOf(BundleException.class).hasMessageContaining("ONNX Runtime cannot load the model");
        TensorSpec uint8 = new TensorSpec(Golden.INPUT, INPUT.shape(), TensorType.UINT8, new Quantization(1f / 255, 0));
        assertThatThrownBy(() -> OnnxModelRuntime.open(bundle(uint8, Golden.bytes("tiny.onnx")), options))
                .isInstanceOf(BundleException.class).hasMessageContaining("float32 inputs only");
        TensorSpec renamed = new TensorSpec("pixels", INPUT.shape(), TensorType.FLOAT32, null);
        assertThatThrownBy(() -> OnnxModelRuntime.open(bundle(renamed, Golden.bytes("tiny.onnx")), options))
                .isInstanceOf(BundleException.class).hasMessageContaining("no input named pixels")
                .hasMessageContaining(Golden.INPUT);
        ModelBundle withEmbedding = bundle(INPUT, Golden.bytes("tiny.onnx"));
        withEmbedding = withEmbedding.withManifest(withEmbedding.manifest().withEmbedding(
                new TensorSpec("features", List.of(1, 8), TensorType.FLOAT32, null)));
        ModelBundle missing = withEmbedding;
        assertThatThrownBy(() -> OnnxModelRuntime.open(missing, options))
                .isInstanceOf(BundleException.class).hasMessageContaining("no output named features");
    }
}
