package dev.clothes.batch.job;

import java.util.Locale;

/**
 * Milliseconds per image, summed over the tasks (so on N task slots, N times the wall time they took):
 * what a task spent waiting for reads, decoding, preprocessing, in the model, on the top-k, OOD verdict
 * and row, and the rest of its run (Spark: reading its input rows, encoding and writing Parquet,
 * committing); {@code outsideTasksMs} is the slots' time outside any task (listing, planning, scheduling,
 * the input shuffle, commits, idle slots at the end of a stage).
 */
public record TaskProfile(double readMs, double decodeMs, double preprocessMs, double inferenceMs,
                          double postprocessMs, double sparkInTaskMs, double outsideTasksMs) {

    public String line() {
        return String.format(Locale.ROOT, "per image, task time: read wait %.2f ms, decode %.2f, preprocess %.2f, "
                        + "inference %.2f, top-k + OOD + row %.2f, Spark in the task (input, Parquet) %.2f; "
                        + "slots idle or outside tasks %.2f", readMs, decodeMs, preprocessMs, inferenceMs,
                postprocessMs, sparkInTaskMs, outsideTasksMs);
    }

    /** {@code read,decode,...} in ms per image, for CSV reports. */
    public String csv() {
        return String.format(Locale.ROOT, "%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f", readMs, decodeMs, preprocessMs,
                inferenceMs, postprocessMs, sparkInTaskMs, outsideTasksMs);
    }

    public static final String CSV_HEADER = "read_ms,decode_ms,preprocess_ms,inference_ms,topk_ood_row_ms,"
            + "spark_in_task_ms,outside_tasks_ms";
}
