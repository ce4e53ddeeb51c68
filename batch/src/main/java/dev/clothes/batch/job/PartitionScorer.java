package dev.clothes.batch.job;

import dev.clothes.batch.input.ImageReader;
import dev.clothes.batch.input.ImageSource;
import dev.clothes.batch.output.ModelIdentity;
import dev.clothes.batch.output.ScoredRows;
import dev.clothes.inference.classify.Classification;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.image.ImageLimits;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.ood.OutOfDistribution;
import dev.clothes.inference.runtime.RuntimeOptions;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Scores one partition of (id, location) rows: read a batch's images at once on {@code readThreads} threads
 * (reads wait on S3 or http, not on the CPU), then decode and classify each in the task's thread (a failure
 * becomes its error row) with a model instance of the executor's running {@code spark.task.cpus} threads, and
 * emit one output row per input row. Images go through the model one at a time: TFLite runs a batch no faster
 * per image ({@code reports/tflite-batch.csv}). Rows are pulled lazily, so a partition's images are never all in
 * memory.
 *
 * @param bundleFile the bundle zip's name among the job's files ({@link SparkFiles#get})
 * @param hadoop     the driver's Hadoop settings, for reading paths
 * @param rows       counts every output row, {@code errors} those with an error (Spark may count a
 *                   retried task twice: the figures are for the summary line, the output is exact)
 * @param times      where the tasks' time goes
 */
record PartitionScorer(String bundleFile, ModelIdentity model, int topK, int batchSize, int readThreads,
                       boolean allowLoopback, Broadcast<Map<String, String>> hadoop, LongAccumulator rows,
                       LongAccumulator errors, StageTimes times) implements MapPartitionsFunction<Row, Row> {

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        long start = System.nanoTime();
        TaskContext task = TaskContext.get();
        int threads = task.cpus();
        Classifier classifier = ExecutorClassifiers.borrow(model.bundleSha256(), threads, () -> Classifier.open(
                Path.of(SparkFiles.get(bundleFile)), ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(threads, 1))));
        ImageReader reader = new ImageReader(hadoop.value(), allowLoopback, ImageLimits.DEFAULT.maxBytes());
        ExecutorService reads = Executors.newFixedThreadPool(readThreads, runnable -> {
            Thread thread = new Thread(runnable, "image-reader");
            thread.setDaemon(true);
            return thread;
        });
        // Finished, failed or killed (listeners run on the task's thread once it has stopped scoring): the read
        // threads go with the task, its model instance goes back to the executor's idle ones.
        task.addTaskCompletionListener((TaskCompletionListener) context -> {
            reads.shutdownNow();
            ExecutorClassifiers.giveBack(model.bundleSha256(), threads, classifier);
            times.task().add(System.nanoTime() - start);
        });
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
        List<Row> out = new ArrayList<>(batch.size());
        long readNanos = 0;
        long decodeNanos = 0;
        long preprocessNanos = 0;
        long inferenceNanos = 0;
        long postprocessNanos = 0;
        int failed = 0;
        for (int i = 0; i < batch.size(); i++) {
            String id = batch.get(i).getAs(ImageSource.ID);
            String location = batch.get(i).getAs(ImageSource.LOCATION);
            long t0 = System.nanoTime();
            long t1 = t0;
            try {
                byte[] image = read(bytes.get(i));
                t1 = System.nanoTime();
                RgbImage decoded = classifier.decode(image);
                long t2 = System.nanoTime();
                Classification c = classifier.classify(decoded, topK);
                // A bundle without out-of-distribution scorers leaves unsure and ood_score null.
                OutOfDistribution verdict = c.outOfDistribution();
                out.add(ScoredRows.scored(id, location, c.predictions(), verdict == null ? null : verdict.unsure(),
                        verdict == null ? null : verdict.score(), model));
                long t3 = System.nanoTime();
                decodeNanos += t2 - t1;
                preprocessNanos += c.timings().preprocessNanos();
                inferenceNanos += c.timings().inferenceNanos();
                postprocessNanos += (t3 - t2) - c.timings().preprocessNanos() - c.timings().inferenceNanos();
            } catch (TaskKilledException e) {
                throw e;
            } catch (Exception e) {
                out.add(RowErrors.row(id, location, e, model));
                failed++;
            }
            readNanos += t1 - t0;
        }
        rows.add(out.size());
        errors.add(failed);
        times.read().add(readNanos);
        times.decode().add(decodeNanos);
        times.preprocess().add(preprocessNanos);
        times.inference().add(inferenceNanos);
        times.postprocess().add(postprocessNanos);
        return out;
    }

    /** The read's bytes, or the exception the read threw; a {@link TaskKilledException} when the task is interrupted. */
    private static byte[] read(Future<byte[]> bytes) throws Exception {
        try {
            return bytes.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (InterruptedException e) {
            // Killed or cancelled: the task fails as a whole, never with error rows for the images it did not read.
            Thread.currentThread().interrupt();
            throw new TaskKilledException("interrupted while reading its images");
        }
    }
}
