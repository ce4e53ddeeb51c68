package dev.clothes.converter.export;

import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.runtime.tflite.TfliteBundles;
import dev.clothes.testing.Shared;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exporter refuses what it cannot convert (the trained-bundle round trip is in the quality module). */
class ExporterTest {

    @TempDir
    Path tmp;

    @Test
    void refusesABundleThatIsNotDl4j() throws Exception {
        Path tflite = tmp.resolve("stock");
        ModelBundle stock = TfliteBundles.wrap(Shared.read(Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite")),
                Files.readAllLines(Shared.imagenet("imagenet_labels.txt")), "stock", "1", null,
                Postprocessing.PROBABILITIES, null);
        stock.writeTo(tflite);
        assertThatThrownBy(() -> Exporter.export(ModelBundle.load(tflite), Variant.ONNX_FLOAT32))
                .hasMessageContaining("is a 'tflite' bundle");
    }
}
