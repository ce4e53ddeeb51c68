package dev.clothes.trainer.train;

import dev.clothes.trainer.augment.Augmentation;

import java.nio.file.Path;

/**
 * One training run.
 *
 * @param data         dataset root (train/validation/test)
 * @param out          run folder: checkpoints, pictures, the bundle
 * @param weights      ImageNet weights of the backbone (a TFLite file for mobilenet-v2)
 * @param variants     feature rows per training image: 1 + augmented copies
 * @param cache        feature cache folder
 * @param workers      feature extraction threads
 * @param resume       continue from the run folder's checkpoint
 * @param evaluateTest evaluate the finished bundle on the test split
 */
public record TrainOptions(Path data, Path out, Path weights, int variants, HeadConfig head, Augmentation augmentation,
                           Path cache, int workers, boolean resume, boolean evaluateTest) {
}
