package dev.clothes.trainer.features;

import dev.clothes.graphexport.dl4j.Dl4jImporter;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.tflite.TfliteReader;
import dev.clothes.graphexport.tflite.TfliteWriter;
import dev.clothes.inference.bundle.Checksums;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.Preprocessor;
import dev.clothes.inference.preprocess.TensorLayout;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.tflite.TfliteRuntime;
import dev.clothes.trainer.TrainingException;
import dev.clothes.trainer.backbone.Backbone;
import dev.clothes.trainer.finetune.TrunkCut;


import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A frozen trunk run by the TFLite runtime (XNNPACK), one single-threaded interpreter per worker
 * (two threads per interpreter gain less than a second interpreter on 2 cores). Thread-safe.
 */
public final class TfliteTrunk implements FeatureTrunk {

    private final TfliteRuntime runtime;
    private final Preprocessor preprocessor;
    private final int featureSize;
    private final String identity;

    private TfliteTrunk(TfliteRuntime runtime, Preprocessing preprocessing, String identity) {
        this.runtime = runtime;
        this.featureSize = runtime.output().elementCount();
        this.preprocessor = new Preprocessor(preprocessing.withLayout(TensorLayout.NHWC));
        this.identity = identity;
    }

    /**
     * The DL4J trunk converted to a float32 TFLite graph by graph-export: the features of the DL4J
     * trunk the bundle serves, at TFLite speed. What {@code train} uses.
     *
     * @param graph the trunk alone, weights loaded, output the pooled features; only read here
     */
    public static TfliteTrunk compiled(ComputationGraph graph, Backbone backbone, String weightsSha256, int workers) {
        return compiled(graph, backbone, weightsSha256, backbone.featureSize(), "", workers);
    }

    /**
     * The same for the trunk below a fine-tuning cut: its activations, channels last.
     *
     * @param below the trunk up to the cut, weights loaded, output the cut's activations; only read here
     */
    public static TfliteTrunk compiledToCut(ComputationGraph below, Backbone backbone, String weightsSha256,
                                            TrunkCut cut, int workers) {
        return compiled(below, backbone, weightsSha256, cut.activationSize(), "|cut=" + cut.cut(), workers);
    }

    /** @param part appended to the cache identity: empty for the pooled features, the cut otherwise */
    private static TfliteTrunk compiled(ComputationGraph graph, Backbone backbone, String weightsSha256,
                                        int outputs, String part, int workers) {
        int size = backbone.inputSize();
        byte[] tflite = TfliteWriter.write(Dl4jImporter.importGraph(graph, size, size, 3),
                backbone.id() + " trunk (" + IrGraph.CONVERTER + ")");
        TfliteRuntime runtime = new TfliteRuntime(tflite, new RuntimeOptions(1, workers), backbone.id() + " trunk");
        if (runtime.output().elementCount() != outputs) {
            runtime.close();
            throw new IllegalArgumentException("the converted " + backbone.id() + " trunk gives "
                    + runtime.output().elementCount() + " values, not " + outputs);
        }
        // The converter version is part of the key: a converter change may change the features.
        String identity = weightsSha256 + "|float32-tflite|" + IrGraph.CONVERTER + '|' + backbone.preprocessing();
        return new TfliteTrunk(runtime, backbone.preprocessing(), identity + part);
    }

    /**
     * The ImageNet {@code .tflite} file itself (int8), read at its global pooling: the executor
     * {@code train} used before. Its int8 features differ from the float trunk the bundle serves and
     * it is ~6x slower (reports/trunk-speed.md); it stays for TrunkBench's old-vs-new comparison.
     *
     * @param preprocessing the backbone's preprocessing (any layout; TFLite reads NHWC)
     */
    public static TfliteTrunk imagenetFile(byte[] tflite, Preprocessing preprocessing, int workers) {
        String pooledTensor;
        try {
            pooledTensor = TfliteReader.pooledTensor(tflite);
        } catch (IllegalArgumentException e) {
            throw new TrainingException(TrainingException.Kind.WEIGHTS_INVALID, "the TFLite weights: " + e.getMessage(), e);
        }
        TfliteRuntime runtime = new TfliteRuntime(tflite, new RuntimeOptions(1, workers), "trunk", pooledTensor);
        return new TfliteTrunk(runtime, preprocessing, Checksums.sha256(tflite) + '|' + pooledTensor + '|'
                + preprocessing.withLayout(TensorLayout.NHWC));
    }

    /** Runs on one of the pooled interpreters. */
    @Override
    public Preprocessing preprocessing() {
        return preprocessor.spec();
    }

    @Override
    public float[] features(RgbImage image) {
        return runtime.run(preprocessor.apply(image));
    }

    @Override
    public int featureSize() {
        return featureSize;
    }

    @Override
    public String cacheIdentity() {
        return identity;
    }

    @Override
    public void close() {
        runtime.close();
    }
}
