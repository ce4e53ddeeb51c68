package dev.clothes.trainer.features;

import dev.clothes.converter.dl4j.Dl4jImporter;
import dev.clothes.converter.ir.IrGraph;
import dev.clothes.converter.tflite.TfliteWriter;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.preprocess.Preprocessor;
import dev.clothes.inference.preprocess.TensorLayout;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.tflite.TfliteRuntime;
import dev.clothes.trainer.backbone.Backbone;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A frozen trunk converted from its DL4J graph to a float32 TFLite graph by the converter's own
 * code and run by the TFLite runtime (XNNPACK): the features of the DL4J trunk the bundle serves,
 * at TFLite speed.
 */
public final class Float32TfliteTrunk implements FeatureTrunk {

    private final TfliteRuntime runtime;
    private final Preprocessor preprocessor;
    private final int featureSize;
    private final String identity;

    /**
     * @param graph   the trunk alone, weights loaded, output the pooled features; only read here
     * @param workers interpreters that may run at once, one thread each (two threads per
     *                interpreter gain less than a second interpreter on 2 cores)
     */
    public Float32TfliteTrunk(ComputationGraph graph, Backbone backbone, String weightsSha256, int workers) {
        int size = backbone.inputSize();
        byte[] tflite = TfliteWriter.write(Dl4jImporter.importGraph(graph, size, size, 3),
                backbone.id() + " trunk (" + IrGraph.CONVERTER + ")");
        this.runtime = new TfliteRuntime(tflite, new RuntimeOptions(1, workers), backbone.id() + " trunk");
        this.featureSize = runtime.output().elementCount();
        if (featureSize != backbone.featureSize()) {
            runtime.close();
            throw new IllegalArgumentException("the converted " + backbone.id() + " trunk gives " + featureSize
                    + " features, not " + backbone.featureSize());
        }
        this.preprocessor = new Preprocessor(backbone.preprocessing().withLayout(TensorLayout.NHWC));
        // The converter version is part of the key: a converter change may change the features.
        this.identity = weightsSha256 + "|float32-tflite|" + IrGraph.CONVERTER + '|' + backbone.preprocessing();
    }

    /** Runs on one of the pooled interpreters. */
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
