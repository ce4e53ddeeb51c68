package dev.clothes.trainer.train;

import dev.clothes.trainer.augment.Augmentation;

import java.nio.file.Path;

/**
 * One training run.
 *
 * @param data         dataset root (train/validation/test)
 * @param out          run folder: checkpoints, pictures, the bundle
 * @param backbone     {@code mobilenet-v2} or {@code inception-v3}
 * @param weights      ImageNet weights: a MobileNetV2 TFLite file, or a Keras .h5; null downloads Keras' file
 * @param variants     feature rows per training image: 1 + augmented copies
 * @param cache        feature cache folder
 * @param workers      feature extraction threads
 * @param resume       continue from the run folder's checkpoint
 * @param evaluateTest evaluate the finished bundle on the test split
 */
public record TrainOptions(Path data, Path out, String backbone, Path weights, int variants, HeadConfig head, Augmentation augmentation,
                           Path cache, int workers, boolean resume, boolean evaluateTest) {
}
