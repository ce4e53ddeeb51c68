package dev.clothes.inference.ood;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.FloatBlock;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.OutOfDistributionConfig;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.bundle.ScorerSpec;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.bundle.TensorType;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.preprocess.Preprocessing;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Scorers stored as data in a bundle come back from disk giving the same scores, and bad data is refused. */
class OodScoringTest {

    @TempDir
    Path tmp;

    private static final TensorSpec INPUT = new TensorSpec("in", List.of(1, 2, 2, 3), TensorType.FLOAT32, null);
    private static final TensorSpec OUTPUT = new TensorSpec("out", List.of(1, 2), TensorType.FLOAT32, null);
    private static final TensorSpec EMBEDDING = new TensorSpec("dense", List.of(1, 3), TensorType.FLOAT32, null);

    // 2 classes, 3-d embeddings. Energy weights [2][3] + bias [1][2]; means [2][3]; precision [3][3]; neighbours [2][3].
    private static final float[] DATA = {
        1, 0, 0, 0, 1, 0,      // energy weights, offset 0
        0.5f, -0.5f,           // energy bias, offset 6
        1, 0, 0, 0, 1, 0,      // means, offset 8
        1, 0, 0, 0, 2, 0, 0, 0, 4, // precision (diagonal), offset 14
        1, 0, 0, 0, 1, 0,      // unit neighbours, offset 23
        0.05f, 0.2f, 0.2f, 0.4f, // msp's validation scores, ascending, offset 29
        1, 3, 5, 7,            // mahalanobis' validation scores, offset 33
    };

    private static OutOfDistributionConfig config(String defaultScorer) {
        return new OutOfDistributionConfig("ood.bin", defaultScorer, List.of(
                new ScorerSpec("msp", 0.3, Map.of(), Map.of()),
                new ScorerSpec("energy", -1.0, Map.of("temperature", 1.0),
                        Map.of("weights", new FloatBlock(0, 2, 3), "bias", new FloatBlock(6, 1, 2))),
                new ScorerSpec("mahalanobis", 2.0, Map.of(),
                        Map.of("means", new FloatBlock(8, 2, 3), "precision", new FloatBlock(14, 3, 3))),
                new ScorerSpec("knn", 0.5, Map.of("k", 1.0), Map.of("neighbours", new FloatBlock(23, 2, 3)))));
    }

    private static byte[] bytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static BundleManifest manifest() {
        return new BundleManifest(BundleManifest.FORMAT_VERSION, "m", "1", "tflite", "model.tflite", "labels.txt", null,
                INPUT, OUTPUT, Preprocessing.minusOneToOne(2), Postprocessing.PROBABILITIES, null, EMBEDDING, null);
    }

    private static ModelBundle bundle(OutOfDistributionConfig config, byte[] data) {
        return ModelBundle.of(manifest(), List.of("a", "b"), new byte[] {1}, null).withOutOfDistribution(config, data);
    }

    @Test
    void scorersRoundTripThroughTheBundleOnDiskWithTheSameScores() throws Exception {
        ModelBundle original = bundle(config("mahalanobis"), bytes(DATA));
        original.writeTo(tmp.resolve("b"));
        assertThat(Files.readString(tmp.resolve("b/checksums.sha256"))).contains("ood.bin");
        ModelBundle loaded = ModelBundle.load(tmp.resolve("b"));
        assertThat(loaded).isEqualTo(original);

        OodScoring scoring = OodScoring.of(loaded).orElseThrow();
        float[] p = {0.9f, 0.1f};
        float[] e = {0f, 2f, 1f};
        Map<String, Double> scores = scoring.scoreAll(p, e);
        assertThat(scores.keySet()).containsExactly("msp", "energy", "mahalanobis", "knn");
        assertThat(scores.get("msp")).isCloseTo(0.1, within(1e-6));
        // logits (0.5, 1.5): -logsumexp
        assertThat(scores.get("energy")).isCloseTo(-Math.log(Math.exp(0.5) + Math.exp(1.5)), within(1e-6));
        // nearest mean (0,1,0): diff (0,1,1) -> 2*1 + 4*1 = 6; the other (1,0,0): diff (-1,2,1) -> 1 + 8 + 4
        assertThat(scores.get("mahalanobis")).isCloseTo(6.0, within(1e-6));
        // most similar neighbour (0,1,0): cos = 2 / sqrt(5)
        assertThat(scores.get("knn")).isCloseTo(1 - 2 / Math.sqrt(5), within(1e-6));

        OutOfDistribution verdict = scoring.assess(p, e);
        assertThat(verdict).isEqualTo(new OutOfDistribution(6.0, 2.0, "mahalanobis"));
        assertThat(verdict.unsure()).isTrue();
        assertThat(scoring.assess(p, new float[] {0f, 1f, 0f}).unsure()).isFalse();
    }

    @Test
    void theCombinationAveragesEachScorersRankAmongTheValidationScores() {
        List<ScorerSpec> specs = new java.util.ArrayList<>(config("msp").scorers());
        specs.add(new ScorerSpec("combined", 0.6, Map.of(),
                Map.of("msp", new FloatBlock(29, 1, 4), "mahalanobis", new FloatBlock(33, 1, 4))));
        OodScoring scoring = OodScoring.of(bundle(new OutOfDistributionConfig("ood.bin", "combined", specs),
                bytes(DATA))).orElseThrow();
        float[] p = {0.9f, 0.1f};
        float[] e = {0f, 2f, 1f};
        Map<String, Double> scores = scoring.scoreAll(p, e);
        assertThat(scores.keySet()).containsExactly("msp", "energy", "mahalanobis", "knn", "combined");
        // msp 0.1: one validation score below -> 1 / 4; mahalanobis 6: three below -> 3 / 4.
        assertThat(scores.get("combined")).isCloseTo((1 / 4.0 + 3 / 4.0) / 2, within(1e-9));
        // Ties count half: msp 0.2 (p = 0.8) is above one validation score and equal to two -> 2 / 4.
        assertThat(CombinedScorer.rank(0.2f, new float[] {0.05f, 0.2f, 0.2f, 0.4f})).isEqualTo(0.5);
        assertThat(scoring.assess(p, e)).isEqualTo(new OutOfDistribution(scores.get("combined"), 0.6, "combined"));
        assertThat(scoring.assess(p, e).unsure()).isFalse();
        // Above every validation score of both: rank 1.
        assertThat(scoring.assess(new float[] {0.5f, 0.5f}, new float[] {5f, 5f, 5f}).score()).isEqualTo(1.0);

        specs.set(specs.size() - 1, new ScorerSpec("combined", 0.6, Map.of(), Map.of("gram", new FloatBlock(29, 1, 4))));
        ModelBundle unknown = bundle(new OutOfDistributionConfig("ood.bin", "combined", specs), bytes(DATA));
        assertThatThrownBy(() -> OodScoring.of(unknown)).hasMessageContaining("scorer combined")
                .hasMessageContaining("it combines 'gram', which the bundle does not have");
    }

    @Test
    void aBundleWithoutScorersHasNoScoringAndItsManifestKeepsItsOldShape() throws Exception {
        ModelBundle plain = ModelBundle.of(new BundleManifest(BundleManifest.FORMAT_VERSION, "m", "1", "tflite",
                "model.tflite", "labels.txt", null, INPUT, OUTPUT, Preprocessing.minusOneToOne(2),
                Postprocessing.PROBABILITIES, null), List.of("a", "b"), new byte[] {1}, null);
        plain.writeTo(tmp.resolve("plain"));
        ObjectNode json = (ObjectNode) Json.mapper().readTree(tmp.resolve("plain/bundle.json").toFile());
        assertThat(json.has("embedding")).isFalse();
        assertThat(json.has("outOfDistribution")).isFalse();
        assertThat(OodScoring.of(ModelBundle.load(tmp.resolve("plain")))).isEmpty();
    }

    @Test
    void scorerDataThatDoesNotFitIsRefusedWithTheScorerAndArrayNamed() {
        float[] shortData = java.util.Arrays.copyOf(DATA, 20);
        assertThatThrownBy(() -> OodScoring.of(bundle(config("msp"), bytes(shortData))))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("out-of-distribution scorer mahalanobis: array 'precision' ends at float 23 but "
                        + "the file holds 20");
        OutOfDistributionConfig unknown = new OutOfDistributionConfig(null, "odin",
                List.of(new ScorerSpec("odin", 1, Map.of(), Map.of())));
        assertThatThrownBy(() -> OodScoring.of(bundle(unknown, null)))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("out-of-distribution scorer odin: unknown scorer");
        assertThatThrownBy(() -> new OutOfDistributionConfig(null, "energy", List.of(new ScorerSpec("msp", 1, null, null))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("default out-of-distribution scorer energy is not among the scorers [msp]");
        assertThatThrownBy(() -> bundle(config("msp"), null))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("the out-of-distribution file ood.bin is missing");
    }

    @Test
    void aScorerThatNeedsTheEmbeddingIsRefusedWhenTheBundleDeclaresNone() {
        ModelBundle noEmbedding = ModelBundle.of(manifest().withEmbedding(null), List.of("a", "b"), new byte[] {1}, null)
                .withOutOfDistribution(config("msp"), bytes(DATA));
        assertThatThrownBy(() -> OodScoring.of(noEmbedding))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("scorer energy: it needs the embedding, which bundle.json does not declare");
    }

    @Test
    void aTamperedScorerFileFailsItsChecksum() throws Exception {
        bundle(config("msp"), bytes(DATA)).writeTo(tmp.resolve("t"));
        byte[] data = Files.readAllBytes(tmp.resolve("t/ood.bin"));
        data[0] ^= 1;
        Files.write(tmp.resolve("t/ood.bin"), data);
        assertThatThrownBy(() -> ModelBundle.load(tmp.resolve("t")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("ood.bin does not match its checksum");
    }
}
