package dev.clothes.inference.runtime.dl4j;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.bundle.TensorType;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.TensorLayout;
import dev.clothes.inference.runtime.ModelOutputs;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.ModelRuntimes;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.testing.Golden;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The DL4J engine on the golden graph: its tensors, its known answer, its embedding, what it refuses. */
class Dl4jRuntimeTest {

    private static final TensorSpec INPUT = new TensorSpec(Golden.INPUT, List.of(1, 3, Golden.SIZE, Golden.SIZE),
            TensorType.FLOAT32, null);
    private static final TensorSpec OUTPUT = new TensorSpec(Golden.OUTPUT, List.of(1, 3), TensorType.FLOAT32, null);
    private static final TensorSpec EMBEDDING = new TensorSpec(Golden.EMBEDDING, List.of(1, 8), TensorType.FLOAT32, null);

    private static ModelBundle bundle(TensorSpec embedding, byte[] model) {
        return ModelBundle.of(new BundleManifest(BundleManifest.FORMAT_VERSION, "golden", "1", Dl4jRuntimeProvider.ID,
                "model.zip", "labels.txt", null, INPUT, OUTPUT,
                Preprocessing.minusOneToOne(Golden.SIZE).withLayout(TensorLayout.NCHW), Postprocessing.PROBABILITIES,
                null, embedding, null), Golden.LABELS, model, null);
    }

    @Test
    void opensThroughTheProviderAndAnswersAsRecorded() {
        try (ModelRuntime runtime = ModelRuntimes.open(bundle(null, Golden.bytes("tiny-dl4j.zip")), RuntimeOptions.DEFAULT)) {
            assertThat(runtime).isInstanceOf(Dl4jRuntime.class);
            assertThat(runtime.input()).isEqualTo(INPUT);
            assertThat(runtime.output()).isEqualTo(OUTPUT);
            assertThat(runtime.embedding()).isEmpty();
            assertThat(runtime.run(Golden.inputNchw())).containsExactly(Golden.expectedOutput(), within(1e-6f));
        }
    }

    @Test
    void aBatchAnswersAsSinglesAndCarriesTheEmbedding() {
        try (ModelRuntime runtime = Dl4jRuntime.open(bundle(EMBEDDING, Golden.bytes("tiny-dl4j.zip")))) {
            float[] zeros = new float[INPUT.elementCount()];
            ModelOutputs[] batch = runtime.inferBatch(new float[][] {Golden.inputNchw(), zeros});
            ModelOutputs single = runtime.infer(zeros);
            assertThat(batch[0].scores()).containsExactly(Golden.expectedOutput(), within(1e-6f));
            assertThat(batch[1].scores()).containsExactly(single.scores(), within(1e-6f));
            assertThat(batch[1].embedding()).hasSize(8).containsExactly(single.embedding(), within(1e-6f));
            assertThat(runtime.inferBatch(new float[0][])).isEmpty();
        }
    }

    @Test
    void aWrongInputLengthIsTheCallersError() {
        try (ModelRuntime runtime = Dl4jRuntime.open(bundle(null, Golden.bytes("tiny-dl4j.zip")))) {
            assertThatThrownBy(() -> runtime.run(new float[5])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("input has 5 values");
        }
    }

    @Test
    void refusesWhatItCannotRun() {
        assertThatThrownBy(() -> Dl4jRuntime.open(bundle(null, Golden.bytes("tiny.onnx"))))
                .isInstanceOf(BundleException.class).hasMessageContaining("not a DL4J ComputationGraph");
        TensorSpec absent = new TensorSpec("features", List.of(1, 8), TensorType.FLOAT32, null);
        assertThatThrownBy(() -> Dl4jRuntime.open(bundle(absent, Golden.bytes("tiny-dl4j.zip"))))
                .isInstanceOf(BundleException.class).hasMessageContaining("names the embedding features");
        TensorSpec wrongSize = new TensorSpec(Golden.EMBEDDING, List.of(1, 5), TensorType.FLOAT32, null);
        try (ModelRuntime runtime = Dl4jRuntime.open(bundle(wrongSize, Golden.bytes("tiny-dl4j.zip")))) {
            assertThatThrownBy(() -> runtime.run(Golden.inputNchw())).isInstanceOf(BundleException.class)
                    .hasMessageContaining("embedding of 8 values");
        }
    }
}
