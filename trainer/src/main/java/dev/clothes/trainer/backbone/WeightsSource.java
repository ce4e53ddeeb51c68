package dev.clothes.trainer.backbone;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where pretrained weights are downloaded from and the digest the publisher gives for them.
 *
 * @param algorithm {@code SHA-256} or {@code MD5} (Keras publishes MD5 for its application weights)
 */
public record WeightsSource(String fileName, URI url, String algorithm, String digest) {

    /** The reference architecture's ImageNet weights, as keras.applications.InceptionV3 fetches them. */
    public static final WeightsSource KERAS_INCEPTION_V3_NOTOP = new WeightsSource(
            "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
            URI.create("https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"
                    + "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"),
            "MD5", "bcbd6486424b2319ff4ef7d526e38f63");

    public WeightsSource {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(url, "url");
        algorithm = algorithm.toUpperCase(Locale.ROOT);
        if (!algorithm.equals("SHA-256") && !algorithm.equals("MD5")) {
            throw new IllegalArgumentException("digest algorithm must be SHA-256 or MD5, not " + algorithm);
        }
        digest = digest.toLowerCase(Locale.ROOT);
        if (!digest.matches(algorithm.equals("MD5") ? "[0-9a-f]{32}" : "[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a " + algorithm + " digest: " + digest);
        }
        if (fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("weights file name must be a plain name: " + fileName);
        }
    }
}
