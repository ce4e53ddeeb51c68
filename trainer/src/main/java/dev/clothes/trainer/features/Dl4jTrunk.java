package dev.clothes.trainer.features;

import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.Preprocessor;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;

/** A trunk executed by DL4J (backbones without a TFLite file, e.g. InceptionV3 from Keras weights). */
public final class Dl4jTrunk implements FeatureTrunk {

    private final ComputationGraph graph;
    private final Preprocessor preprocessor;
    private final int featureSize;
    private final String identity;

    /** @param graph a graph whose single output is the pooled features, weights loaded */
    public Dl4jTrunk(ComputationGraph graph, Preprocessing preprocessing, int featureSize, String weightsSha256) {
        this.graph = graph;
        this.preprocessor = new Preprocessor(preprocessing);
        this.featureSize = featureSize;
        this.identity = weightsSha256 + "|dl4j|" + preprocessing;
    }

    @Override
    public Preprocessing preprocessing() {
        return preprocessor.spec();
    }

    @Override
    public synchronized float[] features(RgbImage image) {
        int size = preprocessor.spec().width();
        float[] input = preprocessor.apply(image);
        return graph.outputSingle(false, Nd4j.create(input, new long[] {1, 3, size, size}, 'c')).toFloatVector();
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
        graph.close();
    }
}
