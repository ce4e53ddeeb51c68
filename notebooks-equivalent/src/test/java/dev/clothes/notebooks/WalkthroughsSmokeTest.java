package dev.clothes.notebooks;

import dev.clothes.notebooks.conversion.ModelConversion;
import dev.clothes.notebooks.deployment.ModelDeployment;
import dev.clothes.notebooks.training.ModelTraining;

import dev.clothes.testing.Shared;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three walkthroughs, CI-sized: three classes of a few real images, two epochs, a short benchmark.
 * Each must write its HTML report with its pictures embedded, and the Markdown twin with the picture files.
 */
class WalkthroughsSmokeTest {

    @TempDir
    Path tmp;

    @Test
    void allThreeWalkthroughsWriteTheirReports() throws Exception {
        Path data = Shared.tinyDataset(tmp.resolve("data"), List.of("shoes", "shorts", "t-shirt"), 4, 2, 2);
        Path run = tmp.resolve("run");
        Path reports = tmp.resolve("reports");
        Path weights = Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite");

        assertThat(Walkthroughs.run(ModelConversion.NAME, "--run", run.toString(), "--data", data.toString(),
                "--reports", reports.toString())).as("conversion without a trained bundle").isEqualTo(2);

        assertThat(Walkthroughs.run(ModelTraining.NAME, "--data", data.toString(), "--out", run.toString(),
                "--reports", reports.toString(), "--samples-per-class", "2", "--predictions", "3",
                "--epochs", "2", "--augment-variants", "2", "--hidden", "0", "--batch", "4",
                "--backbone", "mobilenet-v2", "--weights", weights.toString(), "--cache", tmp.resolve("cache").toString())).isZero();
        assertReport(reports, ModelTraining.NAME, List.of("samples.jpg", "augmentation.jpg", "training-curves.png",
                "confusion-matrix.png", "test-predictions.jpg"), "| shoes | 4 | 2 | 2 | 8 |", "Test accuracy");

        assertThat(Walkthroughs.run(ModelConversion.NAME, "--run", run.toString(), "--data", data.toString(),
                "--latency-runs", "2", "--reports", reports.toString())).isZero();
        assertReport(reports, ModelConversion.NAME, List.of("conversion.png", "side-by-side-image.jpg"),
                "| tflite-int8 |", "onnx-float32 (onnx)");
        assertThat(run.resolve("converted/tflite-float32/bundle.json")).isRegularFile();

        assertThat(Walkthroughs.run(ModelDeployment.NAME, "--bundle", run.resolve("converted/tflite-float32").toString(),
                "--data", data.toString(), "--requests", "140", "--skip-package", "--reports", reports.toString()))
                .isZero();
        assertReport(reports, ModelDeployment.NAME, List.of("request-image.jpg"),
                "curl -X POST http://127.0.0.1:", "JVM start to first answered request");
        String md = Files.readString(reports.resolve(ModelDeployment.NAME + ".md"));
        assertThat(md).contains("\"predictions\"").contains("statusCode: 200").contains("| errors | 0 |");
    }

    private static void assertReport(Path reports, String name, List<String> pictures, String... texts) throws Exception {
        String html = Files.readString(reports.resolve(name + ".html"));
        String md = Files.readString(reports.resolve(name + ".md"));
        Matcher embedded = Pattern.compile("src=\"data:image/(png|jpeg);base64,([A-Za-z0-9+/=]{100,})\"").matcher(html);
        int count = 0;
        while (embedded.find()) {
            byte[] picture = java.util.Base64.getDecoder().decode(embedded.group(2));
            assertThat(ImageIO.read(new java.io.ByteArrayInputStream(picture))).as("embedded %s", embedded.group(1))
                    .isNotNull();
            count++;
        }
        assertThat(count).as("embedded pictures in %s.html", name).isEqualTo(pictures.size());
        for (String picture : pictures) {
            assertThat(md).contains("](" + name + "-pictures/" + picture + ")");
            assertThat(reports.resolve(name + "-pictures").resolve(picture)).isNotEmptyFile();
        }
        assertThat(md).startsWith("# ").contains("Command: `./mvnw");
        for (String text : texts) {
            assertThat(md).contains(text);
        }
    }
}
