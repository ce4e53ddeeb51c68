package dev.clothes.batch.job;

import dev.clothes.batch.input.ImageReader;
import dev.clothes.batch.input.ImageSource;
import dev.clothes.batch.output.ModelIdentity;
import dev.clothes.batch.output.ScoredRows;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.classify.ImageScores;
import dev.clothes.inference.classify.Scores;
import dev.clothes.inference.image.ImageLimits;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.ood.OodScoring;
import dev.clothes.inference.ood.OutOfDistribution;
import dev.clothes.inference.runtime.RuntimeOptions;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Scores one partition of (id, location) rows in batches: read a batch's images at once on
 * {@code readThreads} threads (reads wait on S3 or http, not on the CPU), decode each in the task's thread
 * (a failure becomes its error row), run the batch through the executor's shared {@link Classifier}, emit
 * one output row per input row. Rows are pulled lazily, so a partition's images are never all in memory.
 *
 * @param bundleFile the bundle zip's name among the job's files ({@link SparkFiles#get})
 * @param threads    model threads per task
 * @param instances  model instances per executor (one per task slot)
 * @param hadoop     the driver's Hadoop settings, for reading paths
 * @param rows       counts every output row, {@code errors} those with an error (Spark may count a
 *                   retried task twice: the figures are for the summary line, the output is exact)
 */
record PartitionScorer(String bundleFile, ModelIdentity model, int topK, int batchSize, int readThreads,
                       int threads, int instances, boolean allowLoopback, Broadcast<Map<String, String>> hadoop, LongAccumulator rows,
                       LongAccumulator errors) implements MapPartitionsFunction<Row, Row> {

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        Classifier classifier = ExecutorClassifiers.get(model.bundleSha256(), () -> Classifier.open(
                Path.of(SparkFiles.get(bundleFile)),
                ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(threads, instances))));
        ImageReader reader = new ImageReader(hadoop.value(), allowLoopback, ImageLimits.DEFAULT.maxBytes());
        ExecutorService reads = Executors.newFixedThreadPool(readThreads, runnable -> {
            Thread thread = new Thread(runnable, "image-reader");
            thread.setDaemon(true);
            return thread;
        });
        // Finished, failed or killed: the task's read threads go with it.
        TaskContext.get().addTaskCompletionListener((TaskCompletionListener) context -> reads.shutdownNow());
        ArrayDeque<Row> ready = new ArrayDeque<>();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && input.hasNext()) {
                    ready.addAll(scoreBatch(classifier, reader, reads, input));
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    /** The next {@code batchSize} input rows, scored, in input order. */
    private List<Row> scoreBatch(Classifier classifier, ImageReader reader, ExecutorService reads,
                                 Iterator<Row> input) {
        List<Row> batch = new ArrayList<>(batchSize);
        List<Future<byte[]>> bytes = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && input.hasNext()) {
            Row row = input.next();
            batch.add(row);
            bytes.add(reads.submit(() -> reader.read(row.getAs(ImageSource.LOCATION))));
        }
        List<Row> out = new ArrayList<>(batchSize);
        List<RgbImage> images = new ArrayList<>(batchSize);
        List<Integer> imageRows = new ArrayList<>(batchSize);
        for (int i = 0; i < batch.size(); i++) {
            try {
                images.add(classifier.decode(read(bytes.get(i))));
                imageRows.add(out.size());
                out.add(null);
            } catch (Exception e) {
                out.add(RowErrors.row(batch.get(i).getAs(ImageSource.ID), batch.get(i).getAs(ImageSource.LOCATION),
                        e, model));
                errors.add(1);
            }
        }
        if (!images.isEmpty()) {
            List<ImageScores> scored = classifier.scores(images);
            Optional<OodScoring> ood = classifier.outOfDistribution();
            for (int i = 0; i < scored.size(); i++) {
                Row row = batch.get(imageRows.get(i));
                // A bundle without out-of-distribution scorers leaves unsure and ood_score null.
                Map<String, Double> oodScores = scored.get(i).oodScores();
                OutOfDistribution verdict = ood.map(o -> o.verdict(oodScores)).orElse(null);
                out.set(imageRows.get(i), ScoredRows.scored(row.getAs(ImageSource.ID), row.getAs(ImageSource.LOCATION),
                        Scores.topK(scored.get(i).probabilities(), classifier.labels(), topK),
                        verdict == null ? null : verdict.unsure(), verdict == null ? null : verdict.score(), model));
            }
        }
        rows.add(out.size());
        return out;
    }

    /** The read's bytes, or the exception the read threw. */
    private static byte[] read(Future<byte[]> bytes) throws Exception {
        try {
            return bytes.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the task was interrupted (killed or cancelled)", e);
        }
    }
}
