package dev.clothes.trainer.features;

import dev.clothes.graphexport.dl4j.Dl4jImporter;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.tflite.TfliteWriter;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.tflite.TfliteRuntime;
import dev.clothes.trainer.finetune.TrunkCut;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The pretrained trunk above a fine-tuning cut, converted to float32 TFLite: the pooled features of
 * cached cut activations (what the head trains on first), ~50x faster than DL4J runs the same layers.
 */
public final class TfliteTop implements AutoCloseable {

    private final TfliteRuntime runtime;
    private final int workers;

    private TfliteTop(TfliteRuntime runtime, int workers) {
        this.runtime = runtime;
        this.workers = workers;
    }

    /** @param cut the trunk's cut; its layers above are converted with their pretrained weights */
    public static TfliteTop compiled(TrunkCut cut, int workers) {
        ComputationGraph above = cut.above();
        try {
            long[] shape = cut.activationShape();
            byte[] tflite = TfliteWriter.write(Dl4jImporter.importGraph(above, (int) shape[0], (int) shape[1],
                    (int) shape[2]), "trunk above " + cut.cut() + " (" + IrGraph.CONVERTER + ")");
            return new TfliteTop(new TfliteRuntime(tflite, new RuntimeOptions(1, workers), "trunk above " + cut.cut()),
                    workers);
        } finally {
            above.close();
        }
    }

    /** Pooled features of each row of channels-last activations, as {@link FeatureSet} rows. */
    public FeatureSet pooled(FeatureSet activations) {
        float[][] rows = activations.features();
        float[][] pooled = new float[rows.length][];
        ForkJoinPool pool = new ForkJoinPool(workers);
        try {
            pool.submit(() -> IntStream.range(0, rows.length).parallel()
                    .forEach(i -> pooled[i] = runtime.run(rows[i]))).join();
        } finally {
            pool.shutdownNow();
        }
        return new FeatureSet(pooled, activations.labels(), activations.files(), activations.skipped(),
                activations.imageSha256());
    }

    @Override
    public void close() {
        runtime.close();
    }
}
