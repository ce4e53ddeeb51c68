package dev.clothes.batch.job;

import dev.clothes.batch.input.ImageSource;
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

import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

import scala.collection.JavaConverters;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * The scoring job: the driver checks the bundle, ships it to the executors, lists the rows still to score and
 * writes one output row per image, in commits of about {@link JobOptions#commitRows()} rows (each a Spark job:
 * what it wrote is durable once it ends, so a run killed half-way and started again with skip-existing only
 * scores the rows of the commits that did not end); each executor opens one model instance per running task
 * and scores its rows.
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

        Map<String, String> hadoop = new HashMap<>();
        sc.hadoopConfiguration().forEach(e -> hadoop.put(e.getKey(), e.getValue()));
        LongAccumulator rows = sc.longAccumulator("images");
        LongAccumulator errors = sc.longAccumulator("image errors");
        StageTimes times = StageTimes.register(sc);
        PartitionScorer scorer = new PartitionScorer(bundleFile, ModelIdentity.of(bundle), options.topK(),
                options.batchSize(), options.readThreads(), options.allowLoopbackUrls(),
                JavaSparkContext.fromSparkContext(sc).broadcast(hadoop), rows, errors, times);

        sc.setJobDescription("score images with " + bundle.manifest().name() + " " + bundle.manifest().version()
                + " -> " + options.output().path());
        long start = System.nanoTime();
        long listed;
        int commits;
        try {
            // Listed (and, with skip-existing, joined with the output) once: every commit takes its share.
            Dataset<Row> pending = options.output().pending(spark, options.source().rows(spark));
            long count = pending.count();
            listed = System.nanoTime();
            // At least one, so that an output exists (with its schema) even when there was nothing left to score.
            commits = (int) Math.max(1, (count + options.commitRows() - 1) / options.commitRows());
            int partitions = options.partitions() > 0 ? options.partitions() : 4 * taskSlots(sc);
            for (int c = 0; c < commits; c++) {
                // Shares by a hash of the id: about equal, and the same rows on every attempt of a task.
                Dataset<Row> share = commits == 1 ? pending
                        : pending.where(pmod(xxhash64(col(ImageSource.ID)), lit(commits)).equalTo(c));
                options.output().write(share.repartition(partitions).mapPartitions(scorer,
                        Encoders.row(ScoredRows.SCHEMA)));
            }
            options.output().finish(spark);
        } finally {
            sc.setJobDescription(null);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new JobSummary(rows.value(), errors.value(), seconds, (listed - start) / 1e9, options.output().path(),
                commits, times.profile(rows.value(), seconds, taskSlots(sc)));
    }

    /** Tasks the cluster runs at once: its cores (in local mode, the N of local[N]) over spark.task.cpus. */
    private static int taskSlots(SparkContext sc) {
        return Math.max(1, sc.defaultParallelism() / sc.getConf().getInt("spark.task.cpus", 1));
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
