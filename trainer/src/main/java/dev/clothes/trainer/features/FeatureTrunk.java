package dev.clothes.trainer.features;

import dev.clothes.inference.image.RgbImage;

/** A frozen pretrained trunk that turns an image into its pooled feature vector. Thread-safe. */
public interface FeatureTrunk extends AutoCloseable {

    float[] features(RgbImage image);

    int featureSize();

    /** Identifies the weights and preprocessing in feature cache keys. */
    String cacheIdentity();

    @Override
    void close();
}
