package dev.clothes.batch.job;

import dev.clothes.batch.input.ImageReader;
import dev.clothes.batch.input.ImageSource;
import dev.clothes.batch.output.ModelIdentity;
import dev.clothes.batch.output.ScoredRows;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.classify.Scores;
import dev.clothes.inference.image.ImageLimits;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.runtime.RuntimeOptions;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Scores one partition of (id, location) rows in batches: read and decode each image (a failure becomes
 * its error row), run the batch through the executor's shared {@link Classifier}, emit one output row per
 * input row. Rows are pulled lazily, so a partition's images are never all in memory.
 *
 * @param bundleFile the bundle zip's name among the job's files ({@link SparkFiles#get})
 * @param runtime    model threads per task and model instances per executor (one per task slot)
 * @param hadoop     the driver's Hadoop settings, for reading paths
 * @param rows       counts every output row, {@code errors} those with an error (Spark may count a
 *                   retried task twice: the figures are for the summary line, the output is exact)
 */
record PartitionScorer(String bundleFile, ModelIdentity model, int topK, int batchSize, int threads, int instances,
                       boolean allowLoopback, Broadcast<Map<String, String>> hadoop, LongAccumulator rows,
                       LongAccumulator errors) implements MapPartitionsFunction<Row, Row> {

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        Classifier classifier = ExecutorClassifiers.get(model.bundleSha256(), () -> Classifier.open(
                Path.of(SparkFiles.get(bundleFile)),
                ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(threads, instances))));
        ImageReader reader = new ImageReader(hadoop.value(), allowLoopback, ImageLimits.DEFAULT.maxBytes());
        ArrayDeque<Row> ready = new ArrayDeque<>();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && input.hasNext()) {
                    ready.addAll(scoreBatch(classifier, reader, input));
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
    private List<Row> scoreBatch(Classifier classifier, ImageReader reader, Iterator<Row> input) {
        List<Row> batch = new ArrayList<>(batchSize);
        List<Row> out = new ArrayList<>(batchSize);
        List<RgbImage> images = new ArrayList<>(batchSize);
        List<Integer> imageRows = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && input.hasNext()) {
            Row row = input.next();
            String id = row.getAs(ImageSource.ID);
            String location = row.getAs(ImageSource.LOCATION);
            batch.add(row);
            try {
                images.add(classifier.decoder().decode(reader.read(location)));
                imageRows.add(out.size());
                out.add(null);
            } catch (Exception e) {
                out.add(RowErrors.row(id, location, e, model));
                errors.add(1);
            }
        }
        if (!images.isEmpty()) {
            float[][] probabilities = classifier.probabilities(images);
            for (int i = 0; i < probabilities.length; i++) {
                Row row = batch.get(imageRows.get(i));
                // No OOD scorer yet: unsure and ood_score stay null. This is where a bundle's OOD
                // verdict and score go, so the output schema does not change when they arrive.
                out.set(imageRows.get(i), ScoredRows.scored(row.getAs(ImageSource.ID), row.getAs(ImageSource.LOCATION),
                        Scores.topK(probabilities[i], classifier.labels(), topK), null, null, model));
            }
        }
        rows.add(out.size());
        return out;
    }
}
