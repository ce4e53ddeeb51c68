package dev.clothes.inference.bundle;

/**
 * Where a model came from. Every field is optional (null when unknown).
 *
 * @param createdAt          ISO-8601 instant the bundle was written
 * @param createdBy          tool and version that wrote it
 * @param source             what it was made from (a file, a parent bundle, a training run)
 * @param trainingDataSha256 digest of the training data manifest
 * @param baseWeightsSha256  digest of the pretrained weights the model started from
 * @param gitCommit          commit of the code that produced it
 */
public record Provenance(
        String createdAt,
        String createdBy,
        String source,
        String trainingDataSha256,
        String baseWeightsSha256,
        String gitCommit) {
}
