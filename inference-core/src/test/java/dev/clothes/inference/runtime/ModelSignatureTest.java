package dev.clothes.inference.runtime;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.bundle.TensorType;
import dev.clothes.inference.preprocess.Preprocessing;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSignatureTest {

    private static final TensorSpec INPUT = new TensorSpec("in", List.of(1, 2, 2, 3), TensorType.FLOAT32, null);
    private static final TensorSpec OUTPUT = new TensorSpec("out", List.of(1, 4), TensorType.FLOAT32, null);
    private static final TensorSpec EMBEDDING = new TensorSpec("emb", List.of(1, 2), TensorType.FLOAT32, null);
    private static final ModelSignature SIGNATURE = new ModelSignature(INPUT, OUTPUT, EMBEDDING);

    @Test
    void inputOfTheRightLengthPassesAndAnyOtherIsRefusedWithBothLengths() {
        SIGNATURE.checkInput(new float[12]);
        assertThatThrownBy(() -> SIGNATURE.checkInput(new float[11]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("input has 11 values; the model takes 12 [1, 2, 2, 3]");
    }

    @Test
    void anOutputThatDisagreesWithTheManifestIsABrokenBundle() {
        float[] four = new float[4];
        float[] two = new float[2];
        assertThat(SIGNATURE.outputs(four, two).scores()).isSameAs(four);
        assertThat(SIGNATURE.outputs(four, two).embedding()).isSameAs(two);
        assertThat(new ModelSignature(INPUT, OUTPUT, null).outputs(four, null).embedding()).isNull();
        assertThatThrownBy(() -> SIGNATURE.outputs(new float[5], two))
                .isInstanceOf(BundleException.class)
                .hasMessage("the model answered 5 values but bundle.json says output [1, 4] (4 values)");
        assertThatThrownBy(() -> SIGNATURE.outputs(four, new float[3]))
                .isInstanceOf(BundleException.class)
                .hasMessage("the model answered an embedding of 3 values but bundle.json says emb [1, 2]");
        assertThatThrownBy(() -> new ModelSignature(null, OUTPUT, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("input");
    }

    @Test
    void theModelsOwnTensorsMustMatchBundleJson() {
        ModelBundle bundle = ModelBundle.of(new BundleManifest(BundleManifest.FORMAT_VERSION, "m", "1", "tflite",
                "model.tflite", "labels.txt", null, INPUT, OUTPUT, Preprocessing.minusOneToOne(2),
                Postprocessing.PROBABILITIES, null), List.of("a", "b", "c", "d"), new byte[1], null);
        ModelSignature.checkDeclared(bundle, INPUT, new TensorSpec("x", List.of(4), TensorType.FLOAT32, null));
        TensorSpec wider = new TensorSpec("in", List.of(1, 3, 2, 3), TensorType.FLOAT32, null);
        assertThatThrownBy(() -> ModelSignature.checkDeclared(bundle, wider, OUTPUT))
                .isInstanceOf(BundleException.class)
                .hasMessage("(in memory): bundle.json says input [1, 2, 2, 3] FLOAT32 but the model has [1, 3, 2, 3] FLOAT32");
        TensorSpec five = new TensorSpec("out", List.of(1, 5), TensorType.FLOAT32, null);
        assertThatThrownBy(() -> ModelSignature.checkDeclared(bundle, INPUT, five))
                .isInstanceOf(BundleException.class)
                .hasMessage("(in memory): bundle.json says output [1, 4] but the model has [1, 5]");
    }
}
