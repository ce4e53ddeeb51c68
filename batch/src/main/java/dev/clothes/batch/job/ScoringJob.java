package dev.clothes.batch.job;

import dev.clothes.batch.output.ModelIdentity;
import dev.clothes.batch.output.ScoredRows;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.runtime.RuntimeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

import scala.collection.JavaConverters;

/**
 * The scoring job: the driver checks the bundle, ships it to the executors, splits the input rows into
 * tasks and writes one output row per image; each executor opens the bundle once and scores its tasks'
 * rows in batches.
 */
public final class ScoringJob {

    private ScoringJob() {
    }

    public static JobSummary run(SparkSession spark, JobOptions options) {
        SparkContext sc = spark.sparkContext();
        ModelBundle bundle = ModelBundle.load(options.bundle());
        // Fail here, once, if the bundle's engine is missing or its model does not load, not in every task.
        try (Classifier probe = new Classifier(bundle, ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(1, 1)))) {
            probe.labels();
        }
        String bundleFile = ship(sc, bundle);

        // One model thread per task CPU and one model instance per task slot: never more threads than cores.
        SparkConf conf = sc.getConf();
        int threads = conf.getInt("spark.task.cpus", 1);
        int slots = sc.isLocal() ? sc.defaultParallelism()
                : conf.getInt("spark.executor.cores", Runtime.getRuntime().availableProcessors());
        int instances = Math.max(1, slots / threads);

        Map<String, String> hadoop = new HashMap<>();
        sc.hadoopConfiguration().forEach(e -> hadoop.put(e.getKey(), e.getValue()));
        LongAccumulator rows = sc.longAccumulator("images");
        LongAccumulator errors = sc.longAccumulator("image errors");
        PartitionScorer scorer = new PartitionScorer(bundleFile, ModelIdentity.of(bundle), options.topK(),
                options.batchSize(), options.readThreads(), threads, instances, options.allowLoopbackUrls(),
                JavaSparkContext.fromSparkContext(sc).broadcast(hadoop), rows, errors);

        Dataset<Row> input = options.output().pending(spark, options.source().rows(spark));
        int partitions = options.partitions() > 0 ? options.partitions() : 4 * sc.defaultParallelism();
        Dataset<Row> scored = input.repartition(partitions).mapPartitions(scorer, Encoders.row(ScoredRows.SCHEMA));

        sc.setJobDescription("score images with " + bundle.manifest().name() + " " + bundle.manifest().version()
                + " -> " + options.output().path());
        long start = System.nanoTime();
        options.output().write(scored);
        double seconds = (System.nanoTime() - start) / 1e9;
        sc.setJobDescription(null);
        return new JobSummary(rows.value(), errors.value(), seconds, options.output().path());
    }

    /**
     * Adds the bundle to the job's files as {@code bundle-<sha256>.zip}, once per Spark context: executors
     * get their copy from the driver (with spark-submit, the bundle only needs to exist where the driver runs).
     */
    private static String ship(SparkContext sc, ModelBundle bundle) {
        String name = "bundle-" + bundle.sha256() + ".zip";
        boolean shipped = JavaConverters.seqAsJavaListConverter(sc.listFiles()).asJava().stream()
                .anyMatch(file -> file.endsWith("/" + name));
        if (!shipped) {
            try {
                Path dir = Files.createTempDirectory("clothes-batch");
                dir.toFile().deleteOnExit();
                Path zip = dir.resolve(name);
                bundle.writeZip(zip);
                zip.toFile().deleteOnExit();
                sc.addFile(zip.toUri().toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the bundle zip to ship to the executors", e);
            }
        }
        return name;
    }
}
