package dev.clothes.quality.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clothes.converter.cli.ConverterCli;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.fetch.PublicAddressPolicy;
import dev.clothes.testing.Shared;
import dev.clothes.lambda.handler.PredictHandler;
import dev.clothes.lambda.local.RestEvent;
import dev.clothes.trainer.cli.TrainerCli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product end to end on a slice of the real dataset, each stage through its CLI and the bundle
 * between them: train, evaluate (per-image predictions), convert to TFLite, then serve the converted
 * bundle through the Lambda handler. Every test image must get the top label `evaluate` gave it.
 */
class PipelineEndToEndTest {

    @TempDir
    Path tmp;

    @Test
    void trainEvaluateConvertServe() throws Exception {
        Path data = Shared.tinyDataset(tmp.resolve("data"), List.of("hat", "shoes", "shorts", "t-shirt"), 6, 3, 4);
        Path run = tmp.resolve("run");
        assertThat(TrainerCli.commandLine().execute("train", "--data", data.toString(), "--out", run.toString(),
                "--backbone", "mobilenet-v2", "--weights", Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite").toString(), "--augment-variants", "2",
                "--epochs", "8", "--hidden", "0", "--batch", "4", "--cache", tmp.resolve("cache").toString(),
                "--skip-test")).isZero();
        Path bundle = run.resolve("bundle");

        Path evaluation = tmp.resolve("evaluation");
        assertThat(TrainerCli.commandLine().execute("evaluate", bundle.toString(), "--data", data.toString(),
                "--split", "test", "--out", evaluation.toString())).isZero();
        List<String> predictions = Files.readAllLines(evaluation.resolve("predictions-test.csv"));
        assertThat(predictions).hasSize(1 + 4 * 4);

        Path tflite = tmp.resolve("tflite");
        assertThat(ConverterCli.commandLine().execute(bundle.toString(), "--to", "tflite", "--out", tflite.toString()))
                .isZero();
        assertThat(ModelBundle.load(tflite).manifest().runtime()).isEqualTo("tflite");

        try (Classifier classifier = Classifier.open(tflite, ClassifierOptions.DEFAULT)) {
            PredictHandler handler = new PredictHandler(classifier,
                    new ImageFetcher(FetchLimits.DEFAULT, new PublicAddressPolicy(false)));
            for (String line : predictions.subList(1, predictions.size())) {
                String[] cells = line.split(",");
                Path image = data.resolve(cells[0]); // relative to the dataset root
                Map<String, Object> response = handler.handleRequest(RestEvent.predict("image/jpeg",
                        Base64.getEncoder().encodeToString(Files.readAllBytes(image)), true, "pipeline"), null);
                assertThat(response.get("statusCode")).isEqualTo(200);
                JsonNode body = Json.mapper().readTree((String) response.get("body"));
                assertThat(body.path("predictions").path(0).path("label").asText())
                        .as("served top label for %s (evaluate said %s at %s)", cells[0], cells[2], cells[3])
                        .isEqualTo(cells[2]);
                assertThat(body.path("predictions").path(0).path("score").asDouble())
                        .isCloseTo(Double.parseDouble(cells[3]), org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }
}
