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
 * @param batchSize         images per model call within a task
 * @param readThreads       threads per task reading a batch's images at once (I/O, not CPU: they wait on S3 or http)
 * @param partitions        tasks the input is split into; 0 for four per task slot
 * @param allowLoopbackUrls fetch URLs on 127.0.0.1 / ::1 too (local testing only; private addresses stay refused)
 */
public record JobOptions(Path bundle, ImageSource source, ScoreOutput output, int topK, int batchSize, int readThreads,
                         int partitions, boolean allowLoopbackUrls) {

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
    }
}
