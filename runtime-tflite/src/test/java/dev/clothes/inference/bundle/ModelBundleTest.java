package dev.clothes.inference.bundle;

import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.runtime.tflite.TfliteBundles;
import dev.clothes.testing.Shared;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelBundleTest {

    private static ModelBundle stock;

    @TempDir
    Path tmp;

    @BeforeAll
    static void wrapStockModel() {
        stock = TfliteBundles.wrap(Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"), Shared.imagenetLabels());
    }

    private Path written() throws Exception {
        Path dir = tmp.resolve("bundle");
        stock.writeTo(dir);
        return dir;
    }

    @Test
    void roundTripsAsDirectoryAndZip() throws Exception {
        ObjectNode metrics = Json.mapper().createObjectNode().put("accuracy", 0.91);
        ModelBundle withMetrics = stock.withMetrics(metrics);
        withMetrics.writeTo(tmp.resolve("dir"));
        withMetrics.writeZip(tmp.resolve("b.zip"));

        ModelBundle fromDir = ModelBundle.load(tmp.resolve("dir"));
        ModelBundle fromZip = ModelBundle.load(tmp.resolve("b.zip"));
        assertThat(fromDir).isEqualTo(withMetrics).isEqualTo(fromZip);
        assertThat(fromDir.metrics().orElseThrow().get("accuracy").asDouble()).isEqualTo(0.91);
        assertThat(fromDir.manifest().preprocessing()).isEqualTo(stock.manifest().preprocessing());
        assertThat(fromDir.labels()).hasSize(1001).startsWith("background");
        assertThat(Files.readString(tmp.resolve("dir/checksums.sha256")))
                .contains("  bundle.json\n", "  model.tflite\n", "  labels.txt\n", "  metrics.json\n");
        assertThat(fromDir.sha256()).isEqualTo(Checksums.sha256(tmp.resolve("dir/checksums.sha256")))
                .isEqualTo(withMetrics.sha256()).isEqualTo(fromZip.sha256()).isNotEqualTo(stock.sha256());
    }

    @Test
    void checksumFileIsSha256sumCompatible() throws Exception {
        Path dir = written();
        String line = Files.readAllLines(dir.resolve(Checksums.FILE_NAME)).stream()
                .filter(l -> l.endsWith("  model.tflite")).findFirst().orElseThrow();
        assertThat(line).isEqualTo(Checksums.sha256(dir.resolve("model.tflite")) + "  model.tflite");
    }

    /** The bundle written, with one bit of its model flipped. */
    private Path tampered() throws Exception {
        Path dir = written();
        byte[] model = Files.readAllBytes(dir.resolve("model.tflite"));
        model[model.length / 2] ^= 1;
        Files.write(dir.resolve("model.tflite"), model);
        return dir;
    }

    @Test
    void refusesATamperedModel() throws Exception {
        Path dir = tampered();
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining("model.tflite does not match its checksum");
    }

    @Test
    void aClassifierBuiltWhileVerifyingIsClosedAndRefusedWhenAFileWasModified() throws Exception {
        Path dir = tampered();
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        assertThatThrownBy(() -> ModelBundle.loadWhileVerifying(dir, bundle -> (AutoCloseable) () -> closed.set(true)))
                .isInstanceOf(BundleException.class).hasMessageContaining("model.tflite does not match its checksum");
        assertThat(closed).isTrue();
        // A failure while building from the tampered bundle reports the tampering, the failure attached.
        assertThatThrownBy(() -> ModelBundle.loadWhileVerifying(dir, bundle -> {
            throw new IllegalStateException("cannot build");
        })).isInstanceOf(BundleException.class).hasMessageContaining("does not match its checksum")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
        assertThatThrownBy(() -> dev.clothes.inference.classify.Classifier.open(dir,
                dev.clothes.inference.classify.ClassifierOptions.DEFAULT)).isInstanceOf(BundleException.class)
                .hasMessageContaining("model.tflite does not match its checksum");
    }

    @Test
    void refusesATruncatedModel() throws Exception {
        Path dir = written();
        byte[] model = Files.readAllBytes(dir.resolve("model.tflite"));
        Files.write(dir.resolve("model.tflite"), Arrays.copyOf(model, model.length - 100));
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining("modified or truncated");
    }

    @Test
    void refusesAnEditedManifest() throws Exception {
        Path dir = written();
        String json = Files.readString(dir.resolve("bundle.json"));
        Files.writeString(dir.resolve("bundle.json"), json.replace("\"BILINEAR\"", "\"NEAREST\""));
        assertThatThrownBy(() -> ModelBundle.load(dir)).hasMessageContaining("bundle.json does not match");
    }

    /** Found by fuzzing (quality module): a manifest that is the JSON literal null, with a matching checksum. */
    @Test
    void refusesANullManifest() throws Exception {
        Path dir = written();
        Files.writeString(dir.resolve("bundle.json"), "null");
        String sums = Files.readString(dir.resolve(Checksums.FILE_NAME)).lines()
                .map(l -> l.endsWith("  bundle.json") ? Checksums.sha256("null".getBytes()) + "  bundle.json" : l)
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        Files.writeString(dir.resolve(Checksums.FILE_NAME), sums);
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining("bundle.json is empty or null");
    }

    @Test
    void refusesMissingLabelsAndMissingChecksums() throws Exception {
        Path dir = written();
        Files.delete(dir.resolve("labels.txt"));
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining("missing labels.txt");
        Files.delete(dir.resolve(Checksums.FILE_NAME));
        assertThatThrownBy(() -> ModelBundle.load(dir)).hasMessageContaining("no checksums.sha256");
        assertThatThrownBy(() -> ModelBundle.load(tmp.resolve("nowhere"))).hasMessageContaining("no model bundle at");
    }

    @Test
    void refusesLabelsThatDoNotMatchTheOutput() {
        assertThatThrownBy(() -> ModelBundle.of(stock.manifest(), List.of("shirt", "pants"), stock.modelBytes(), null))
                .isInstanceOf(BundleException.class).hasMessageContaining("2 labels but the model output");
    }

    @Test
    void refusesAManifestThatLiesAboutTheModel() throws Exception {
        BundleManifest m = stock.manifest();
        TensorSpec wrongType = new TensorSpec(m.input().name(), m.input().shape(), TensorType.FLOAT32, null);
        ModelBundle lying = stock.withManifest(new BundleManifest(m.formatVersion(), m.name(), m.version(), m.runtime(),
                m.modelFile(), m.labelsFile(), null, wrongType, m.output(), m.preprocessing(), m.postprocessing(),
                m.provenance()));
        assertThatThrownBy(() -> new Classifier(lying, ClassifierOptions.DEFAULT)).isInstanceOf(BundleException.class)
                .hasMessageContaining("but the model has [1, 224, 224, 3] UINT8");
    }

    @Test
    void refusesAModelFileThatIsNotTflite() {
        byte[] junk = "this is not a flatbuffer at all, just text pretending to be a model".repeat(100)
                .getBytes(StandardCharsets.UTF_8);
        ModelBundle bogus = ModelBundle.of(stock.manifest(), stock.labels(), junk, null);
        assertThatThrownBy(() -> new Classifier(bogus, ClassifierOptions.DEFAULT)).isInstanceOf(BundleException.class)
                .hasMessageContaining("not a valid TensorFlow Lite flatbuffer");
    }

    @Test
    void refusesAnUnknownRuntimeAndFormat() throws Exception {
        BundleManifest m = stock.manifest();
        ModelBundle onnx = stock.withManifest(new BundleManifest(m.formatVersion(), m.name(), m.version(), "nosuch",
                m.modelFile(), m.labelsFile(), null, m.input(), m.output(), m.preprocessing(), m.postprocessing(),
                m.provenance()));
        assertThatThrownBy(() -> new Classifier(onnx, ClassifierOptions.DEFAULT))
                .hasMessageContaining("needs the 'nosuch' runtime").hasMessageContaining("tflite");

        ModelBundle future = stock.withManifest(new BundleManifest(99, m.name(), m.version(), m.runtime(),
                m.modelFile(), m.labelsFile(), null, m.input(), m.output(), m.preprocessing(), m.postprocessing(),
                m.provenance()));
        future.writeTo(tmp.resolve("future"));
        assertThatThrownBy(() -> ModelBundle.load(tmp.resolve("future"))).hasMessageContaining("bundle format 99");
    }

    @Test
    void refusesAZipThatIsNotABundle() throws Exception {
        Path notZip = tmp.resolve("model.zip");
        Files.writeString(notZip, "hello");
        assertThatThrownBy(() -> ModelBundle.load(notZip)).isInstanceOf(BundleException.class);
    }
}
