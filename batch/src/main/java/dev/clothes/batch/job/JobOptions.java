package dev.clothes.batch.job;

import dev.clothes.batch.input.ImageSource;
import dev.clothes.batch.output.ScoreOutput;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One scoring run.
 *
 * @param bundle            the model bundle on the driver (directory or zip); shipped to the executors by the job
 * @param source            the images
 * @param output            where the scores go
 * @param topK              classes kept per image
 * @param batchSize         images a task reads at once (then decodes and scores one by one: TFLite gains nothing
 *                          from model batches, see {@code reports/tflite-batch.csv})
 * @param readThreads       threads per task reading a batch's images at once (I/O, not CPU: they wait on S3 or http)
 * @param partitions        tasks each commit's rows are split into; 0 for four per task slot
 * @param commitRows        rows per commit: the job writes its output in commits of about this many rows, each a
 *                          Spark job whose rows are durable once it ends, so a killed run loses at most one
 *                          commit's work
 * @param allowLoopbackUrls fetch URLs on 127.0.0.1 / ::1 too (local testing only; private addresses stay refused)
 */
public record JobOptions(Path bundle, ImageSource source, ScoreOutput output, int topK, int batchSize, int readThreads,
                         int partitions, long commitRows, boolean allowLoopbackUrls) {

    /** Rows per commit unless told: on 2 cores about 10 minutes of work, on 100 cores about 10 seconds. */
    public static final long DEFAULT_COMMIT_ROWS = 50_000;

    public JobOptions {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(output, "output");
        if (topK < 1 || topK > 1000) {
            throw new IllegalArgumentException("top-k must be within 1..1000, got " + topK);
        }
        if (batchSize < 1 || batchSize > 1024) {
            throw new IllegalArgumentException("the batch size must be within 1..1024, got " + batchSize);
        }
        if (readThreads < 1 || readThreads > 256) {
            throw new IllegalArgumentException("read threads must be within 1..256, got " + readThreads);
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must be 0 (automatic) or more, got " + partitions);
        }
        if (commitRows < 1) {
            throw new IllegalArgumentException("rows per commit must be at least 1, got " + commitRows);
        }
    }

    /** The defaults of the command line for everything but the inputs and output. */
    public static JobOptions of(Path bundle, ImageSource source, ScoreOutput output) {
        return new JobOptions(bundle, source, output, 3, 16, 8, 0, DEFAULT_COMMIT_ROWS, false);
    }

    public JobOptions withTopK(int topK) {
        return new JobOptions(bundle, source, output, topK, batchSize, readThreads, partitions, commitRows,
                allowLoopbackUrls);
    }

    public JobOptions withBatch(int batchSize, int readThreads) {
        return new JobOptions(bundle, source, output, topK, batchSize, readThreads, partitions, commitRows,
                allowLoopbackUrls);
    }

    public JobOptions withPartitions(int partitions) {
        return new JobOptions(bundle, source, output, topK, batchSize, readThreads, partitions, commitRows,
                allowLoopbackUrls);
    }

    public JobOptions withCommitRows(long commitRows) {
        return new JobOptions(bundle, source, output, topK, batchSize, readThreads, partitions, commitRows,
                allowLoopbackUrls);
    }

    public JobOptions withLoopbackUrls(boolean allowLoopbackUrls) {
        return new JobOptions(bundle, source, output, topK, batchSize, readThreads, partitions, commitRows,
                allowLoopbackUrls);
    }
}
