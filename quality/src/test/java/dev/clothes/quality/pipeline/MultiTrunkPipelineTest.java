package dev.clothes.quality.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clothes.batch.input.ImageSource;
import dev.clothes.batch.job.JobOptions;
import dev.clothes.batch.job.JobSummary;
import dev.clothes.batch.job.ScoringJob;
import dev.clothes.batch.output.ScoreOutput;
import dev.clothes.converter.cli.ConverterCli;
import dev.clothes.converter.export.Parity;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.fetch.PublicAddressPolicy;
import dev.clothes.inference.json.Json;
import dev.clothes.lambda.handler.PredictHandler;
import dev.clothes.lambda.local.RestEvent;
import dev.clothes.testing.Shared;
import dev.clothes.trainer.augment.Augmentation;
import dev.clothes.trainer.train.HeadConfig;
import dev.clothes.trainer.train.TrainOptions;
import dev.clothes.trainer.train.TrainingRun;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny bundle with two trunks (MobileNetV2 and MobileNet-EdgeTPU side by side, features concatenated)
 * is one graph like any other: converted to TFLite and ONNX it answers as DL4J does, the Lambda handler
 * serves the TFLite bundle with the default out-of-distribution scorer, and the Spark batch job scores a
 * folder with it, giving the labels the classifier gives.
 */
class MultiTrunkPipelineTest {

    @TempDir
    Path tmp;

    @Test
    void twoTrunkBundleConvertsServesAndScoresInBatch() throws Exception {
        Path data = Shared.tinyDataset(tmp.resolve("data"), List.of("hat", "pants"), 4, 3, 3);
        TrainOptions options = TrainOptions.builder(data, tmp.resolve("run"))
                .backbone("mobilenet-v2+mobilenet-edgetpu", null).variants(1)
                .head(new HeadConfig(8, 0.2, 1e-3, 1e-4, 4, 2, 5, true, 3, 0))
                .augmentation(Augmentation.NONE).cache(tmp.resolve("cache")).evaluateTest(false).build();
        Path bundle = TrainingRun.run(options, new PrintStream(OutputStream.nullOutputStream())).bundle();
        ModelBundle source = ModelBundle.load(bundle);
        assertThat(source.manifest().name()).isEqualTo("clothes-mobilenet-v2+mobilenet-edgetpu");

        Path tflite = tmp.resolve("tflite");
        Path onnx = tmp.resolve("onnx");
        assertThat(ConverterCli.commandLine().execute(bundle.toString(), "--to", "tflite", "--out", tflite.toString()))
                .isZero();
        assertThat(ConverterCli.commandLine().execute(bundle.toString(), "--to", "onnx", "--out", onnx.toString()))
                .isZero();
        for (Path converted : List.of(tflite, onnx)) {
            Parity parity = Parity.measure(source, ModelBundle.load(converted), data.resolve("test"));
            assertThat(parity.images()).isEqualTo(6);
            assertThat(parity.maxAbsProbabilityDifference()).as(converted.toString()).isLessThan(1e-4);
            assertThat(parity.maxAbsEmbeddingDifference()).as(converted.toString()).isLessThan(1e-4);
            assertThat(parity.top1Agreement()).isEqualTo(1.0);
        }

        // The Lambda handler serves the TFLite bundle: its label, and the default (combined) scorer's verdict.
        Map<String, String> served = new HashMap<>();
        try (Classifier classifier = Classifier.open(tflite, ClassifierOptions.DEFAULT)) {
            PredictHandler handler = new PredictHandler(classifier,
                    new ImageFetcher(FetchLimits.DEFAULT, new PublicAddressPolicy(false)));
            for (Path image : dev.clothes.evaluation.dataset.ImageFolderDataset.imagesUnder(data.resolve("test"))) {
                Map<String, Object> response = handler.handleRequest(RestEvent.predict("image/jpeg",
                        Base64.getEncoder().encodeToString(Files.readAllBytes(image)), true, "two-trunks"), null);
                assertThat(response.get("statusCode")).isEqualTo(200);
                JsonNode body = Json.mapper().readTree((String) response.get("body"));
                assertThat(body.path("outOfDistribution").path("scorer").asText()).isEqualTo("combined");
                String label = body.path("predictions").path(0).path("label").asText();
                assertThat(label).isEqualTo(classifier.classify(Files.readAllBytes(image), 1).top().label());
                served.put(image.toUri().toString(), label);
            }
        }

        // The batch job scores the same folder with the same bundle: the same labels, none in error.
        SparkSession spark = SparkSession.builder().master("local[2]").appName("two-trunks")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        try {
            Path scores = tmp.resolve("scores");
            JobSummary summary = ScoringJob.run(spark, new JobOptions(tflite,
                    new ImageSource.Folder(data.resolve("test").toString(), ImageSource.Folder.IMAGE_GLOB),
                    new ScoreOutput(scores.toString(), ScoreOutput.Format.PARQUET, ScoreOutput.IfExists.OVERWRITE),
                    2, 4, 2, 0, JobOptions.DEFAULT_COMMIT_ROWS, false));
            assertThat(summary.rows()).isEqualTo(6);
            assertThat(summary.errors()).isZero();
            Map<String, String> batch = spark.read().parquet(scores.toString()).collectAsList().stream()
                    .collect(Collectors.toMap(r -> Path.of(URI.create(r.<String>getAs("id"))).toUri().toString(),
                            (Row r) -> r.<String>getAs("label")));
            assertThat(batch).isEqualTo(served);
        } finally {
            spark.stop();
        }
    }
}
