package dev.clothes.batch.bench;

import dev.clothes.batch.input.ImageSource;
import dev.clothes.batch.job.JobOptions;
import dev.clothes.batch.job.JobSummary;
import dev.clothes.batch.job.ScoringJob;
import dev.clothes.batch.output.ScoreOutput;
import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.evaluation.dataset.LabeledImage;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.runtime.RuntimeOptions;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Images per second for every image of a dataset (all splits), in one JVM and one run: a plain loop over
 * {@link Classifier#classify} (one thread feeding a model with the default 2 threads), the same loop with a
 * 1-thread model (one core), and the Spark job in local mode on {@code local[N]} (one model thread per task). Each bundle is warmed up both
 * ways first; the labels of the two ways must be the same. Writes {@code mode,images,seconds,images_per_s}.
 *
 * <pre>
 * ./mvnw -q -B -ntp -pl batch -am test-compile exec:java -Dexec.classpathScope=test \
 *     -Dbatch.main=dev.clothes.batch.bench.ThroughputBench \
 *     -Dexec.args="batch/reports/throughput.csv ../shared/data/clothing-dataset-small 2 BUNDLE..."
 * </pre>
 */
public final class ThroughputBench {

    private ThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ThroughputBench OUT.csv DATASET CORES BUNDLE...");
            System.exit(2);
        }
        Path csv = Path.of(args[0]);
        Path data = Path.of(args[1]);
        int cores = Integer.parseInt(args[2]);
        List<Path> files = new ArrayList<>();
        ImageFolderDataset dataset = ImageFolderDataset.open(data, ImageFolderDataset.SPLITS);
        for (String split : ImageFolderDataset.SPLITS) {
            dataset.split(split).stream().map(LabeledImage::file).map(f -> f.toAbsolutePath().normalize())
                    .forEach(files::add);
        }
        String master = "local[" + cores + "]";
        StringBuilder rows = new StringBuilder("mode,images,seconds,images_per_s\n");
        long start = System.nanoTime();
        try (SparkSession spark = SparkSession.builder().master(master).appName("throughput-bench")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            spark.sparkContext().setLogLevel("WARN");
            System.out.printf(Locale.ROOT, "Spark %s session started in %.1f s; %,d images%n", spark.version(),
                    (System.nanoTime() - start) / 1e9, files.size());
            for (int b = 3; b < args.length; b++) {
                Path bundle = Path.of(args[b]);
                String name = bundle.getFileName().toString();
                loop(bundle, files.subList(0, 100), ClassifierOptions.DEFAULT);
                spark(spark, bundle, data.resolve("test"));
                System.out.println(name + ": warmed up both ways");

                long t0 = System.nanoTime();
                Map<String, String> loopLabels = loop(bundle, files, ClassifierOptions.DEFAULT);
                double loopSeconds = (System.nanoTime() - t0) / 1e9;
                rows.append(row("loop " + name, files.size(), loopSeconds));
                System.out.print(row("loop " + name, files.size(), loopSeconds));
                // The same loop on one core: what one of the job's tasks does, without Spark.
                long t1 = System.nanoTime();
                loop(bundle, files, ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(1, 1)));
                double oneThreadSeconds = (System.nanoTime() - t1) / 1e9;
                rows.append(row("loop 1-thread " + name, files.size(), oneThreadSeconds));
                System.out.print(row("loop 1-thread " + name, files.size(), oneThreadSeconds));
                JobSummary job = spark(spark, bundle, data);
                rows.append(row("spark " + master + " " + name, job.rows(), job.seconds()));
                System.out.print(row("spark " + master + " " + name, job.rows(), job.seconds()));

                Map<String, String> sparkLabels = new HashMap<>();
                for (Row r : spark.read().parquet(out(name).toString()).select("id", "label").collectAsList()) {
                    sparkLabels.put(Path.of(URI.create(r.getString(0))).toString(), r.getString(1));
                }
                long differ = loopLabels.entrySet().stream()
                        .filter(e -> !e.getValue().equals(sparkLabels.get(e.getKey()))).count();
                System.out.printf(Locale.ROOT, "%s: spark/loop = %.2f; %,d rows, %,d errors, labels differ for %,d of "
                                + "%,d images%n", name, (job.rows() / job.seconds()) / (files.size() / loopSeconds),
                        job.rows(), job.errors(), differ, files.size());
                if (differ != 0 || job.rows() != files.size()) {
                    throw new IllegalStateException("the Spark job's labels differ from the loop's");
                }
            }
        }
        Files.createDirectories(csv.toAbsolutePath().getParent());
        Files.writeString(csv, rows);
    }

    /** The plain loop: read, classify, keep the top label. */
    private static Map<String, String> loop(Path bundle, List<Path> files, ClassifierOptions options)
            throws IOException {
        Map<String, String> labels = new HashMap<>();
        try (Classifier classifier = Classifier.open(bundle, options)) {
            for (Path file : files) {
                labels.put(file.toString(), classifier.classify(Files.readAllBytes(file), 3).top().label());
            }
        }
        return labels;
    }

    private static JobSummary spark(SparkSession spark, Path bundle, Path images) {
        return ScoringJob.run(spark, new JobOptions(bundle,
                new ImageSource.Folder(images.toAbsolutePath().toString(), ImageSource.Folder.IMAGE_GLOB),
                new ScoreOutput(out(bundle.getFileName().toString()).toString(), ScoreOutput.Format.PARQUET,
                        ScoreOutput.IfExists.OVERWRITE), 3, 16, 8, 0, false));
    }

    private static Path out(String bundleName) {
        return Path.of(System.getProperty("java.io.tmpdir"), "throughput-bench-" + bundleName);
    }

    private static String row(String mode, long images, double seconds) {
        return String.format(Locale.ROOT, "%s,%d,%.2f,%.1f%n", mode, images, seconds, images / seconds);
    }
}
