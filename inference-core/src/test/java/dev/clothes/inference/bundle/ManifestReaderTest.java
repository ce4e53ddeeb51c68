package dev.clothes.inference.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.preprocess.ChannelOrder;
import dev.clothes.inference.preprocess.DecodeSize;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.TensorLayout;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestReaderTest {

    /** Every field set: what Jackson writes from the records, the reader gives back, equal to Jackson's own binding. */
    private static final BundleManifest FULL = new BundleManifest(BundleManifest.FORMAT_VERSION, "clothes-mobilenet-v2",
            "3", "tflite", "model.tflite", "labels.txt", "metrics.json",
            new TensorSpec("input", List.of(1, 224, 224, 3), TensorType.UINT8, new Quantization(0.0078125, 128)),
            new TensorSpec("scores", List.of(1, 10), TensorType.FLOAT32, null),
            Preprocessing.minusOneToOne(224).withLayout(TensorLayout.NCHW).withChannelOrder(ChannelOrder.BGR),
            new Postprocessing(true, 1.5),
            new Provenance("2026-11-27T12:00:00Z", "train", "runs/x", "ab", "cd", "0123abc"),
            new TensorSpec("dense", List.of(1, 128), TensorType.FLOAT32, null),
            new OutOfDistributionConfig("ood.bin", "knn", List.of(
                    new ScorerSpec("msp", 0.25, Map.of(), Map.of()),
                    new ScorerSpec("knn", 0.3462786515437831, Map.of("k", 10.0),
                            Map.of("neighbours", new FloatBlock(4096, 3068, 128))))));

    @Test
    void readsWhatJacksonWritesAsJacksonWouldBindIt() throws Exception {
        for (BundleManifest manifest : List.of(FULL, new BundleManifest(1, "plain", "1", "onnx", "model.onnx",
                "labels.txt", null, FULL.output(), FULL.output(), Preprocessing.minusOneToOne(299), Postprocessing.LOGITS,
                null))) {
            byte[] json = Json.mapper().writeValueAsBytes(manifest);
            BundleManifest read = ManifestReader.read(Json.mapper().readTree(json));
            assertThat(read).isEqualTo(manifest).isEqualTo(Json.mapper().readValue(json, BundleManifest.class));
        }
    }

    @Test
    void absentOptionalFieldsAndUnknownOnesAsJacksonTreatsThem() throws Exception {
        ObjectNode json = (ObjectNode) Json.mapper().valueToTree(FULL);
        json.remove(List.of("embedding", "outOfDistribution", "provenance", "metricsFile"));
        ((ObjectNode) json.get("preprocessing")).remove("decode");
        json.put("addedInAFutureVersion", true);
        BundleManifest read = ManifestReader.read(json);
        assertThat(read.embedding()).isNull();
        assertThat(read.outOfDistribution()).isNull();
        assertThat(read.metricsFile()).isNull();
        assertThat(read.preprocessing().decode()).isEqualTo(DecodeSize.FULL); // bundles from before the field
        assertThat(read).isEqualTo(Json.mapper().treeToValue(json, BundleManifest.class));
    }

    @Test
    void wrongTypesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> read("preprocessing", "width", "\"224\"")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> read("preprocessing", "width", 4294967520L)).hasMessageContaining("32 bits");
        assertThatThrownBy(() -> read("preprocessing", "resize", "\"LANCZOS\"")).hasMessageContaining("resize must be one of");
        assertThatThrownBy(() -> read("input", "shape", "{}")).hasMessageContaining("shape must be a JSON array");
        assertThatThrownBy(() -> read(null, "name", 7)).hasMessageContaining("name must be a string");
        assertThatThrownBy(() -> read(null, "input", "[]")).hasMessageContaining("input must be a JSON object");
        assertThatThrownBy(() -> ManifestReader.read(Json.mapper().readTree("[1]")))
                .hasMessageContaining("the manifest must be a JSON object");
    }

    /** FULL as JSON with one field replaced by {@code value} (JSON text or a number), in {@code section} or at the top. */
    private static BundleManifest read(String section, String field, Object value) throws Exception {
        ObjectNode json = (ObjectNode) Json.mapper().valueToTree(FULL);
        ObjectNode target = section == null ? json : (ObjectNode) json.get(section);
        JsonNode replacement = value instanceof String text ? Json.mapper().readTree(text)
                : Json.mapper().valueToTree(value);
        target.set(field, replacement);
        return ManifestReader.read(json);
    }
}
