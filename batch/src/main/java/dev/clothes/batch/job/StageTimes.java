package dev.clothes.batch.job;

import java.io.Serializable;

import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Where the tasks' time went, summed over every task in nanoseconds (Spark accumulators, also shown per stage
 * in the Spark UI): waiting for reads, decoding, preprocessing, running the model, the top-k and the
 * out-of-distribution verdict with the output row, and each task's whole run from its start to its completion
 * (Parquet written and committed). A retried task counts twice: the figures are a profile, not the output.
 */
record StageTimes(LongAccumulator read, LongAccumulator decode, LongAccumulator preprocess,
                  LongAccumulator inference, LongAccumulator postprocess, LongAccumulator task)
        implements Serializable {

    static StageTimes register(SparkContext sc) {
        return new StageTimes(sc.longAccumulator("read wait ns"), sc.longAccumulator("decode ns"),
                sc.longAccumulator("preprocess ns"), sc.longAccumulator("inference ns"),
                sc.longAccumulator("top-k, OOD and row ns"), sc.longAccumulator("task ns"));
    }

    /** Milliseconds per image of each step, for {@code images} output rows. */
    TaskProfile profile(long images, double wallSeconds, int taskSlots) {
        double n = Math.max(1, images);
        double inOurCode = read.value() + decode.value() + preprocess.value() + inference.value() + postprocess.value();
        return new TaskProfile(read.value() / 1e6 / n, decode.value() / 1e6 / n, preprocess.value() / 1e6 / n,
                inference.value() / 1e6 / n, postprocess.value() / 1e6 / n,
                Math.max(0, task.value() - inOurCode) / 1e6 / n,
                Math.max(0, wallSeconds * 1e3 * taskSlots - task.value() / 1e6) / n);
    }
}
