package dev.clothes.trainer.backbone;

import dev.clothes.inference.preprocess.Preprocessing;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * A pretrained feature extractor ("trunk"), Keras-applications style: one readable builder per
 * architecture with Keras layer names, ending in global average pooling.
 */
public interface Backbone {

    /** Command-line id, e.g. {@code mobilenet-v2}. */
    String id();

    /** Square input size in pixels. */
    int inputSize();

    /** Channels of the pooled feature vector. */
    int featureSize();

    /** How images must be prepared for this trunk (layout NCHW: DL4J's native format). */
    Preprocessing preprocessing();

    /**
     * Adds the trunk to {@code graph}, reading from {@code input}, and returns the name of the
     * vertex that outputs the pooled features.
     */
    String addTrunk(GraphBuilder graph, String input);

    /**
     * The vertex fine-tuning cuts the trunk at by default: its activations are cached, the layers
     * above it are trained with the head.
     */
    String fineTuneCut();
}
