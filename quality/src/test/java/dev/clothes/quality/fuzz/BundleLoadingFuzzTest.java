package dev.clothes.quality.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.Checksums;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.ModelRuntimes;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.tflite.TfliteBundles;
import dev.clothes.testing.Shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bundles with a fuzzed manifest, labels file and model, with checksums that match (so loading gets
 * past them) or fuzzed ones. Loading must either succeed or raise a {@link BundleException}; a loaded
 * bundle must then open in its runtime or be refused with one (never crash the JVM: the TFLite model
 * is checked by the flatbuffer verifier before the interpreter sees it).
 */
class BundleLoadingFuzzTest {

    private static final Path DIR = tempDir();

    static Stream<Arguments> seeds() throws IOException {
        ModelBundle stock = TfliteBundles.wrap(Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"), Shared.imagenetLabels());
        String manifest = Json.mapper().writeValueAsString(stock.manifest());
        String labels = String.join("\n", stock.labels());
        return Stream.of(
                Arguments.of(manifest, labels, new byte[] {0x1C, 0, 0, 0, 'T', 'F', 'L', '3'}, true, ""),
                Arguments.of(manifest.replace("1001", "10"), "a\nb\nc\nd\ne\nf\ng\nh\ni\nj", new byte[64], true, ""),
                Arguments.of("{}", "x", new byte[] {1}, false, "00  bundle.json"));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void loadAndOpen(String manifest, String labels, byte[] model, boolean matchingSums, String fuzzedSums)
            throws IOException {
        if (manifest == null || labels == null || model == null || fuzzedSums == null) {
            return;
        }
        byte[] json = manifest.getBytes(StandardCharsets.UTF_8);
        byte[] labelBytes = labels.getBytes(StandardCharsets.UTF_8);
        Files.write(DIR.resolve("bundle.json"), json);
        Files.write(DIR.resolve("labels.txt"), labelBytes);
        Files.write(DIR.resolve("model.tflite"), model);
        Files.writeString(DIR.resolve(Checksums.FILE_NAME), matchingSums
                ? Checksums.sha256(json) + "  bundle.json\n" + Checksums.sha256(labelBytes) + "  labels.txt\n"
                        + Checksums.sha256(model) + "  model.tflite\n"
                : fuzzedSums);
        ModelBundle bundle;
        try {
            bundle = ModelBundle.load(DIR);
        } catch (BundleException expected) {
            return;
        }
        try (ModelRuntime runtime = ModelRuntimes.open(bundle, new RuntimeOptions(1, 1))) {
            runtime.run(new float[bundle.manifest().preprocessing().tensorLength()]);
        } catch (BundleException expected) {
            // refused: not a model, or not the model bundle.json describes
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("bundle-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
