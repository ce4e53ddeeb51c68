package dev.clothes.batch;

import dev.clothes.batch.input.BatchInputException;
import dev.clothes.batch.input.ImageSource;
import dev.clothes.batch.job.JobOptions;
import dev.clothes.batch.job.JobSummary;
import dev.clothes.batch.job.ScoringJob;
import dev.clothes.batch.output.ScoreOutput;
import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.evaluation.metrics.EvaluationReport;
import dev.clothes.evaluation.metrics.Evaluator;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.runtime.tflite.TfliteBundles;
import dev.clothes.testing.Shared;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job in local mode on real bundles and images; one Spark session for the class (it takes seconds to start). */
class ScoringJobTest {

    /** Three classes of the test split, all their images: a slice the tiny 3-class bundles can be evaluated on. */
    private static final List<String> CLASSES = List.of("dress", "hat", "skirt");

    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("batch-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tflite", "onnx"})
    void folderScoresAreTheLabelsTheEvaluatorWrites(String engine) throws Exception {
        Path data = tmp.resolve("data");
        for (String c : CLASSES) {
            Path to = Files.createDirectories(data.resolve("test").resolve(c));
            try (Stream<Path> images = Files.list(Shared.dataset().resolve("test").resolve(c))) {
                for (Path image : images.toList()) {
                    Files.copy(image, to.resolve(image.getFileName()));
                }
            }
        }
        ModelBundle bundle = engine.equals("tflite") ? TinyBundles.tflite(CLASSES) : TinyBundles.onnx(CLASSES);
        Path bundleDir = tmp.resolve("bundle");
        bundle.writeTo(bundleDir);

        ImageFolderDataset dataset = ImageFolderDataset.open(data, List.of("test"));
        EvaluationReport report;
        try (Classifier classifier = Classifier.open(bundleDir, ClassifierOptions.DEFAULT)) {
            report = Evaluator.evaluate(classifier, "test", dataset.classes(), dataset.split("test"), data,
                    new PrintStream(OutputStream.nullOutputStream()));
        }
        Map<String, String> expected = report.predictionsCsv().lines().skip(1).map(l -> l.split(","))
                .collect(Collectors.toMap(f -> f[0], f -> f[2]));

        Path out = tmp.resolve("scores");
        JobSummary summary = ScoringJob.run(spark, new JobOptions(bundleDir,
                new ImageSource.Folder(data.resolve("test").toString(), ImageSource.Folder.IMAGE_GLOB),
                new ScoreOutput(out.toString(), ScoreOutput.Format.PARQUET, ScoreOutput.IfExists.OVERWRITE),
                2, 16, 8, 0, 10, false));

        List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
        Map<String, String> labels = rows.stream().collect(Collectors.toMap(
                r -> data.relativize(Path.of(URI.create(r.getAs("id")))).toString(), r -> r.<String>getAs("label")));
        assertThat(expected).hasSize(39);
        assertThat(labels).isEqualTo(expected);
        assertThat(summary.rows()).isEqualTo(39);
        assertThat(summary.errors()).isZero();
        assertThat(summary.commits()).as("commits of about 10 rows").isEqualTo(4);
        assertThat(out.resolve("_pending")).as("the list of rows to score, once scored").doesNotExist();
        Row first = rows.get(0);
        assertThat(first.<String>getAs("model_name")).isEqualTo("tiny-" + engine);
        assertThat(first.<String>getAs("bundle_sha256")).isEqualTo(bundle.sha256());
        assertThat(first.<String>getAs("error_code")).isNull();
        assertThat(first.<Boolean>getAs("unsure")).isNull();
        assertThat(first.<Double>getAs("ood_score")).isNull();
        List<String> top = first.getList(first.fieldIndex("top_labels"));
        List<Float> scores = first.getList(first.fieldIndex("top_scores"));
        assertThat(top).hasSize(2).first().isEqualTo(first.getAs("label"));
        assertThat(scores.get(0)).isEqualTo(first.<Float>getAs("score")).isGreaterThanOrEqualTo(scores.get(1));
    }

    @Test
    void everyBadRowBecomesAnErrorRowAndARerunSkipsWhatIsDone() throws Exception {
        byte[] cat = Shared.read(Shared.imagenet("cat_720p.jpg"));
        Path corrupt = Files.write(tmp.resolve("corrupt.jpg"), Arrays.copyOf(cat, 2000));
        Path text = Files.writeString(tmp.resolve("notes.jpg"), "not an image");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cat.jpg", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, cat.length);
            exchange.getResponseBody().write(cat);
            exchange.close();
        });
        server.start();
        try {
            String served = "http://127.0.0.1:" + server.getAddress().getPort() + "/cat.jpg";
            Map<String, String> catalog = new java.util.LinkedHashMap<>();
            catalog.put("file", Shared.imagenet("cat_720p.jpg").toString());
            catalog.put("url", served);
            catalog.put("missing", tmp.resolve("no-such.jpg").toString());
            catalog.put("corrupt", corrupt.toUri().toString());
            catalog.put("text", text.toString());
            catalog.put("private", "http://10.1.2.3/cat.jpg");
            catalog.put("unreachable", "http://127.0.0.1:" + closedPort() + "/cat.jpg");
            Path table = writeCatalog(tmp.resolve("catalog.csv"), catalog);
            Path bundle = tmp.resolve("imagenet");
            TfliteBundles.wrap(Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"), Shared.imagenetLabels()).writeTo(bundle);
            Path out = tmp.resolve("scores");

            JobSummary first = score(bundle, table, out, ScoreOutput.IfExists.OVERWRITE, true);

            Map<String, Row> rows = readCsv(out);
            assertThat(first.rows()).isEqualTo(7);
            assertThat(first.errors()).isEqualTo(5);
            assertThat(rows).hasSize(7);
            for (String id : List.of("file", "url")) {
                assertThat(rows.get(id).<String>getAs("error_code")).as(id).isNull();
                assertThat(rows.get(id).<String>getAs("label")).as(id).containsIgnoringCase("cat");
                assertThat(rows.get(id).<String>getAs("top_labels").split("\\|")).hasSize(3);
            }
            Map<String, String> codes = new HashMap<>();
            rows.forEach((id, row) -> codes.put(id, row.getAs("error_code")));
            assertThat(codes).containsEntry("missing", "file.not-found").containsEntry("corrupt", "image.corrupt")
                    .containsEntry("text", "image.unsupported-format").containsEntry("private", "fetch.refused")
                    .containsEntry("unreachable", "fetch.unreachable");
            assertThat(rows.get("private").<String>getAs("error")).contains("10.1.2.3", "private");
            assertThat(rows.get("missing").<String>getAs("label")).isNull();

            // Resume: only the new row is scored and appended; the loopback URL is refused without the option.
            catalog.put("url-not-allowed", served + "?again");
            writeCatalog(table, catalog);
            JobSummary second = score(bundle, table, out, ScoreOutput.IfExists.SKIP_EXISTING, false);
            assertThat(second.rows()).isEqualTo(1);
            Map<String, Row> after = readCsv(out);
            assertThat(after).hasSize(8);
            assertThat(after.get("url-not-allowed").<String>getAs("error_code")).isEqualTo("fetch.refused");
            assertThat(after.get("url-not-allowed").<String>getAs("error")).contains("loopback");

            assertThatThrownBy(() -> score(bundle, table, out, ScoreOutput.IfExists.FAIL, false))
                    .isInstanceOf(BatchInputException.class).hasMessageContaining("already exists");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBatchReadsItsImagesAtOnce() throws Exception {
        byte[] hat = Shared.read(Shared.dataset().resolve("test/hat").toFile().listFiles()[0].toPath());
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.setExecutor(Executors.newCachedThreadPool());
        slow.createContext("/", exchange -> {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, hat.length);
            exchange.getResponseBody().write(hat);
            exchange.close();
        });
        slow.start();
        try {
            Map<String, String> catalog = new HashMap<>();
            for (int i = 0; i < 8; i++) {
                catalog.put("hat" + i, "http://127.0.0.1:" + slow.getAddress().getPort() + "/hat" + i + ".jpg");
            }
            Path bundle = tmp.resolve("bundle");
            TinyBundles.tflite(CLASSES).writeTo(bundle);
            // One task, one batch of 8: read one after another, the images would take 16 s.
            JobSummary summary = ScoringJob.run(spark, new JobOptions(bundle,
                    new ImageSource.Catalog(writeCatalog(tmp.resolve("catalog.csv"), catalog).toString(),
                            ImageSource.Catalog.Format.CSV, "id", "location"),
                    new ScoreOutput(tmp.resolve("out").toString(), ScoreOutput.Format.PARQUET,
                            ScoreOutput.IfExists.OVERWRITE), 3, 8, 8, 1, JobOptions.DEFAULT_COMMIT_ROWS, true));
            assertThat(summary.rows()).isEqualTo(8);
            assertThat(summary.errors()).isZero();
            assertThat(summary.seconds()).isLessThan(10);
        } finally {
            slow.stop(0);
        }
    }

    @Test
    void anUnusableInputIsRefusedWithWhatToFix() throws Exception {
        Path bundle = tmp.resolve("bundle");
        TinyBundles.tflite(CLASSES).writeTo(bundle);
        Path table = writeCatalog(tmp.resolve("catalog.csv"), Map.of("a", "x.jpg"));
        ScoreOutput out = new ScoreOutput(tmp.resolve("out").toString(), ScoreOutput.Format.PARQUET,
                ScoreOutput.IfExists.OVERWRITE);

        assertThatThrownBy(() -> ScoringJob.run(spark, new JobOptions(bundle,
                new ImageSource.Catalog(table.toString(), ImageSource.Catalog.Format.CSV, "sku", "location"),
                out, 3, 16, 8, 0, JobOptions.DEFAULT_COMMIT_ROWS, false)))
                .isInstanceOf(BatchInputException.class).hasMessageContaining("no column 'sku'")
                .hasMessageContaining("[id, location]");
        assertThatThrownBy(() -> ScoringJob.run(spark, JobOptions.of(bundle,
                new ImageSource.Folder(tmp.resolve("nowhere").toString(), "*.jpg"), out)))
                .isInstanceOf(BatchInputException.class).hasMessageContaining("nowhere");
    }

    private static JobSummary score(Path bundle, Path table, Path out, ScoreOutput.IfExists ifExists,
                                    boolean allowLoopback) {
        return ScoringJob.run(spark, new JobOptions(bundle,
                new ImageSource.Catalog(table.toString(), ImageSource.Catalog.Format.CSV, "id", "location"),
                new ScoreOutput(out.toString(), ScoreOutput.Format.CSV, ifExists), 3, 4, 8, 0,
                JobOptions.DEFAULT_COMMIT_ROWS, allowLoopback));
    }

    private static Path writeCatalog(Path file, Map<String, String> rows) throws IOException {
        StringBuilder csv = new StringBuilder("id,location\n");
        rows.forEach((id, location) -> csv.append(id).append(',').append(location).append('\n'));
        return Files.writeString(file, csv);
    }

    private static Map<String, Row> readCsv(Path out) {
        return spark.read().option("header", "true").csv(out.toString()).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("id"), r -> r));
    }

    /** A loopback port nothing listens on: connections are refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
