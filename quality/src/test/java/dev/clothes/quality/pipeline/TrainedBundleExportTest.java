package dev.clothes.quality.pipeline;

import dev.clothes.converter.export.Exporter;
import dev.clothes.converter.export.Parity;
import dev.clothes.converter.export.Variant;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A bundle the trainer really writes (MobileNetV2 + head), converted, answers like the original. */
class TrainedBundleExportTest {

    @TempDir
    Path tmp;

    private static final TinyTrainedBundle TINY = TinyTrainedBundle.shared();

    @Test
    void convertedBundleMatchesTheTrainedOne() throws Exception {
        ModelBundle source = ModelBundle.load(TINY.bundle());
        ModelBundle converted = Exporter.export(source, Variant.TFLITE_FLOAT32);
        converted.writeTo(tmp.resolve("tflite"));
        ModelBundle reloaded = ModelBundle.load(tmp.resolve("tflite"));

        assertThat(reloaded.manifest().runtime()).isEqualTo("tflite");
        assertThat(reloaded.manifest().input().shape()).containsExactly(1, 224, 224, 3);
        assertThat(reloaded.manifest().preprocessing().normalization())
                .isEqualTo(source.manifest().preprocessing().normalization());
        assertThat(reloaded.manifest().postprocessing()).isEqualTo(source.manifest().postprocessing());
        assertThat(reloaded.labels()).isEqualTo(source.labels());
        assertThat(reloaded.manifest().provenance().source()).contains(source.modelSha256());

        assertThat(reloaded.manifest().embedding().shape()).isEqualTo(source.manifest().embedding().shape());
        assertThat(reloaded.manifest().outOfDistribution()).isEqualTo(source.manifest().outOfDistribution());
        Parity parity = Parity.measure(source, reloaded, TINY.data().resolve("test"));
        assertThat(parity.images()).isEqualTo(8);
        assertThat(parity.maxAbsProbabilityDifference()).isLessThan(1e-4);
        assertThat(parity.top1Agreement()).isEqualTo(1.0);
        assertThat(parity.maxAbsEmbeddingDifference()).isLessThan(1e-4);

        try (Classifier classifier = Classifier.open(tmp.resolve("tflite"), ClassifierOptions.DEFAULT)) {
            assertThat(classifier.labels()).containsExactly("hat", "pants");
        }

        ModelBundle onnx = Exporter.export(source, Variant.ONNX_FLOAT32);
        onnx.writeZip(tmp.resolve("onnx.zip"));
        ModelBundle onnxReloaded = ModelBundle.load(tmp.resolve("onnx.zip"));
        assertThat(onnxReloaded.manifest().runtime()).isEqualTo("onnx");
        assertThat(onnxReloaded.manifest().input().shape()).containsExactly(1, 3, 224, 224);
        Parity onnxParity = Parity.measure(source, onnxReloaded, TINY.data().resolve("test"));
        assertThat(onnxParity.maxAbsProbabilityDifference()).isLessThan(1e-4);
        assertThat(onnxParity.top1Agreement()).isEqualTo(1.0);
        assertThat(onnxParity.maxAbsEmbeddingDifference()).isLessThan(1e-4);

        // The reduced-precision variants carry the embedding too, within their weights' rounding.
        for (Variant reduced : List.of(Variant.TFLITE_FLOAT16, Variant.TFLITE_INT8)) {
            Parity p = Parity.measure(source, Exporter.export(source, reduced), TINY.data().resolve("test"));
            assertThat(p.maxAbsEmbeddingDifference()).as(reduced.id()).isFinite().isLessThan(0.5);
        }
    }
}
