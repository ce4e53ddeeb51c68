package dev.clothes.converter.export;

import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.OutOfDistributionConfig;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.bundle.ScorerSpec;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.bundle.TensorType;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.TensorLayout;
import dev.clothes.inference.runtime.ModelOutputs;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.ModelRuntimes;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.dl4j.Dl4jRuntimeProvider;
import dev.clothes.testing.Golden;
import dev.clothes.testing.Images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every variant of the golden DL4J bundle: the right engine, file and input layout, the embedding and
 * the out-of-distribution scorers carried over, and answers as the DL4J graph's within the variant's
 * precision, on the golden input and on drawn images through the classifier.
 */
class ExporterVariantsTest {

    private static final TensorSpec EMBEDDING = new TensorSpec(Golden.EMBEDDING, List.of(1, 8), TensorType.FLOAT32, null);
    private static final OutOfDistributionConfig OOD = new OutOfDistributionConfig(null, "msp",
            List.of(new ScorerSpec("msp", 0.4, null, null)));

    @TempDir
    Path tmp;

    static ModelBundle goldenDl4j() {
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT_VERSION, "golden", "3", Dl4jRuntimeProvider.ID,
                "model.zip", "labels.txt", null,
                new TensorSpec(Golden.INPUT, List.of(1, 3, Golden.SIZE, Golden.SIZE), TensorType.FLOAT32, null),
                new TensorSpec(Golden.OUTPUT, List.of(1, 3), TensorType.FLOAT32, null),
                Preprocessing.minusOneToOne(Golden.SIZE).withLayout(TensorLayout.NCHW), Postprocessing.PROBABILITIES,
                null, EMBEDDING, OOD);
        return ModelBundle.of(manifest, Golden.LABELS, Golden.bytes("tiny-dl4j.zip"), null);
    }

    /** How far a variant's probabilities may stray from the float32 DL4J graph's. */
    private static float tolerance(Variant variant) {
        return switch (variant.weights()) {
            case FLOAT32 -> 1e-5f;
            case FLOAT16 -> 2e-3f;
            case INT8 -> 5e-2f;
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Variant.class)
    void aVariantServesTheGraphWithinItsPrecision(Variant variant) throws Exception {
        ModelBundle converted = Exporter.export(goldenDl4j(), variant);
        BundleManifest m = converted.manifest();
        assertThat(m.name()).isEqualTo("golden-" + variant.id());
        assertThat(m.version()).isEqualTo("3");
        assertThat(m.runtime()).isEqualTo(variant.runtime());
        assertThat(m.modelFile()).isEqualTo(variant == Variant.ONNX_FLOAT32 ? "model.onnx" : "model.tflite");
        boolean onnx = variant == Variant.ONNX_FLOAT32;
        assertThat(m.preprocessing().layout()).isEqualTo(onnx ? TensorLayout.NCHW : TensorLayout.NHWC);
        assertThat(m.input().shape()).isEqualTo(onnx ? List.of(1, 3, Golden.SIZE, Golden.SIZE)
                : List.of(1, Golden.SIZE, Golden.SIZE, 3));
        assertThat(m.embedding().name()).isEqualTo(Golden.EMBEDDING);
        assertThat(m.outOfDistribution()).isEqualTo(OOD);
        assertThat(converted.labels()).isEqualTo(Golden.LABELS);

        // Written and read back as a user gets it, checksums included.
        converted.writeTo(tmp.resolve("bundle"));
        try (ModelRuntime runtime = ModelRuntimes.open(ModelBundle.load(tmp.resolve("bundle")), new RuntimeOptions(1, 1))) {
            ModelOutputs out = runtime.infer(onnx ? Golden.inputNchw() : Golden.input());
            assertThat(out.scores()).containsExactly(Golden.expectedOutput(), within(tolerance(variant)));
            assertThat(out.embedding()).hasSize(8);
        }

        Path images = Files.createDirectories(tmp.resolve("images"));
        int[][] colours = {{0xff0000, 0x0000ff}, {0x20a040, 0xf0f0f0}, {0x101010, 0xffcc00}};
        for (int i = 0; i < colours.length; i++) {
            Files.write(images.resolve(i + ".png"), Images.encode(Images.halves(40, 30, colours[i][0], colours[i][1]), "png"));
        }
        Parity parity = Parity.measure(goldenDl4j(), converted, images);
        assertThat(parity.images()).isEqualTo(3);
        assertThat(parity.maxAbsProbabilityDifference()).isLessThanOrEqualTo(tolerance(variant));
        assertThat(parity.maxAbsEmbeddingDifference()).isLessThan(variant == Variant.TFLITE_INT8 ? 0.1 : 1e-2);
    }
}
