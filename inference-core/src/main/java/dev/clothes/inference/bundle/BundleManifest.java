package dev.clothes.inference.bundle;

import dev.clothes.inference.preprocess.Preprocessing;

import java.util.Objects;

/**
 * {@code bundle.json}: what a model bundle holds and how to run it. The contract between the
 * training, conversion and serving stages.
 *
 * @param formatVersion  bundle format version, {@link #FORMAT_VERSION} for this code
 * @param name           model name, e.g. {@code clothes-mobilenet-v2}
 * @param version        model version
 * @param runtime        runtime id that executes {@code modelFile} ({@code tflite}, {@code onnx}, {@code dl4j})
 * @param modelFile      file name of the model inside the bundle
 * @param labelsFile     file name of the labels, one per line, in output order
 * @param metricsFile    file name of the metrics JSON, or null
 * @param input          the image input tensor
 * @param output         the class scores output tensor
 * @param preprocessing  image to input tensor
 * @param postprocessing output tensor to scores
 * @param provenance     where the model came from
 * @param embedding      the second output, the head's input (for out-of-distribution scorers), or null
 * @param outOfDistribution the fitted out-of-distribution scorers, or null (then nothing is ever unsure)
 */
public record BundleManifest(
        int formatVersion,
        String name,
        String version,
        String runtime,
        String modelFile,
        String labelsFile,
        String metricsFile,
        TensorSpec input,
        TensorSpec output,
        Preprocessing preprocessing,
        Postprocessing postprocessing,
        Provenance provenance,
        TensorSpec embedding,
        OutOfDistributionConfig outOfDistribution) {

    public static final int FORMAT_VERSION = 1;

    public BundleManifest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(labelsFile, "labelsFile");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(postprocessing, "postprocessing");
        if (provenance == null) {
            provenance = new Provenance(null, null, null, null, null, null);
        }
    }

    /** A manifest without embedding or out-of-distribution scorers, as bundles were before them. */
    public BundleManifest(int formatVersion, String name, String version, String runtime, String modelFile,
                          String labelsFile, String metricsFile, TensorSpec input, TensorSpec output,
                          Preprocessing preprocessing, Postprocessing postprocessing, Provenance provenance) {
        this(formatVersion, name, version, runtime, modelFile, labelsFile, metricsFile, input, output, preprocessing,
                postprocessing, provenance, null, null);
    }

    public BundleManifest withMetricsFile(String metricsFile) {
        return new BundleManifest(formatVersion, name, version, runtime, modelFile, labelsFile, metricsFile,
                input, output, preprocessing, postprocessing, provenance, embedding, outOfDistribution);
    }

    /** The same model read with other preprocessing; embedding and out-of-distribution scorers stay. */
    public BundleManifest withPreprocessing(Preprocessing newPreprocessing) {
        return new BundleManifest(formatVersion, name, version, runtime, modelFile, labelsFile, metricsFile,
                input, output, newPreprocessing, postprocessing, provenance, embedding, outOfDistribution);
    }

    public BundleManifest withEmbedding(TensorSpec newEmbedding) {
        return new BundleManifest(formatVersion, name, version, runtime, modelFile, labelsFile, metricsFile,
                input, output, preprocessing, postprocessing, provenance, newEmbedding, outOfDistribution);
    }

    public BundleManifest withOutOfDistribution(OutOfDistributionConfig config) {
        return new BundleManifest(formatVersion, name, version, runtime, modelFile, labelsFile, metricsFile,
                input, output, preprocessing, postprocessing, provenance, embedding, config);
    }
}
