package dev.clothes.trainer.train;

import dev.clothes.inference.preprocess.TestTimeAugmentation;
import dev.clothes.trainer.UserCache;
import dev.clothes.trainer.augment.Augmentation;
import dev.clothes.trainer.backbone.Backbones;
import dev.clothes.trainer.backbone.MobileNetV2;
import dev.clothes.trainer.backbone.Trunks;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One training run: the one place its defaults live and its values are checked, on construction,
 * before the run touches any file.
 *
 * @param data         dataset root (train/validation/test)
 * @param out          run folder: checkpoints, pictures, the bundle
 * @param backbone     a {@link Backbones} id, or several joined by '+' (features concatenated, see {@link Trunks})
 * @param weights      ImageNet weights (TFLite or Keras .h5); null for the backbone's default weights
 * @param variants     feature rows per training image: 1 + augmented copies
 * @param head         the head and how it is trained
 * @param fineTune     whether and how the top of the trunk is then trained with the head
 * @param augmentation how the augmented copies are made
 * @param augmentSeed  which augmented copies: the features are data, cached per seed, so runs with other
 *                     training seeds ({@link HeadConfig#seed()}) reuse them
 * @param cache        feature cache folder
 * @param workers      feature extraction threads
 * @param resume       continue from the run folder's checkpoint
 * @param evaluateTest evaluate the finished bundle on the test split
 * @param tta          test-time augmentation the bundle asks its classifier for
 */
public record TrainOptions(Path data, Path out, String backbone, Path weights, int variants, HeadConfig head,
                           FineTuneConfig fineTune, Augmentation augmentation, long augmentSeed, Path cache, int workers, boolean resume, boolean evaluateTest,
                           TestTimeAugmentation tta) {

    // Compile-time constants so the CLI's picocli defaults can name them.
    /** Two trunks side by side: 2-3 pp above MobileNetV2 alone on validation (trainer/reports/head-recipes.md). */
    public static final String BACKBONE = MobileNetV2.ID + Trunks.SEPARATOR + Backbones.MOBILENET_EDGETPU;
    /** The run folder every README command and walkthrough names, kept when the default backbone changed. */
    public static final String OUT = "runs/mobilenet-v2";
    /** The image plus 2 augmented copies: the best validation mean among recipes whose cold main job fits 10 min. */
    public static final int VARIANTS = 3;
    public static final int WORKERS = 2;

    public TrainOptions {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(fineTune, "fineTune");
        Objects.requireNonNull(augmentation, "augmentation");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(tta, "tta");
        if (Trunks.ids(backbone, weights).size() > 1 && fineTune.enabled()) {
            throw new IllegalArgumentException("fine-tuning takes one trunk, not " + backbone);
        }
        if (variants < 1) {
            throw new IllegalArgumentException("augment variants must be at least 1, not " + variants);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        }
    }

    /** The default run on {@code data}, written to {@code out}; features cached in the user cache. */
    public static TrainOptions defaults(Path data, Path out) {
        return new TrainOptions(data, out, BACKBONE, null, VARIANTS, HeadConfig.DEFAULT, FineTuneConfig.OFF, Augmentation.DEFAULT, HeadConfig.SEED,
                UserCache.dir("features"), WORKERS, false, true, TestTimeAugmentation.NONE);
    }

    public TrainOptions withBackbone(String id, Path weightsFile) {
        return new TrainOptions(data, out, id, weightsFile, variants, head, fineTune, augmentation, augmentSeed, cache, workers, resume,
                evaluateTest, tta);
    }

    public TrainOptions withVariants(int n) {
        return new TrainOptions(data, out, backbone, weights, n, head, fineTune, augmentation, augmentSeed, cache, workers, resume,
                evaluateTest, tta);
    }

    public TrainOptions withHead(HeadConfig config) {
        return new TrainOptions(data, out, backbone, weights, variants, config, fineTune, augmentation, augmentSeed, cache, workers, resume,
                evaluateTest, tta);
    }

    public TrainOptions withFineTune(FineTuneConfig config) {
        return new TrainOptions(data, out, backbone, weights, variants, head, config, augmentation, augmentSeed, cache, workers,
                resume, evaluateTest, tta);
    }

    public TrainOptions withAugmentation(Augmentation a) {
        return new TrainOptions(data, out, backbone, weights, variants, head, fineTune, a, augmentSeed, cache, workers, resume, evaluateTest, tta);
    }

    public TrainOptions withAugmentSeed(long seed) {
        return new TrainOptions(data, out, backbone, weights, variants, head, fineTune, augmentation, seed, cache,
                workers, resume, evaluateTest, tta);
    }

    public TrainOptions withCache(Path dir) {
        return new TrainOptions(data, out, backbone, weights, variants, head, fineTune, augmentation, augmentSeed, dir, workers, resume,
                evaluateTest, tta);
    }

    public TrainOptions withWorkers(int n) {
        return new TrainOptions(data, out, backbone, weights, variants, head, fineTune, augmentation, augmentSeed, cache, n, resume,
                evaluateTest, tta);
    }

    public TrainOptions withResume(boolean on) {
        return new TrainOptions(data, out, backbone, weights, variants, head, fineTune, augmentation, augmentSeed, cache, workers, on,
                evaluateTest, tta);
    }

    public TrainOptions withEvaluateTest(boolean on) {
        return new TrainOptions(data, out, backbone, weights, variants, head, fineTune, augmentation, augmentSeed, cache, workers, resume, on, tta);
    }

    public TrainOptions withTta(TestTimeAugmentation t) {
        return new TrainOptions(data, out, backbone, weights, variants, head, fineTune, augmentation, augmentSeed, cache,
                workers, resume, evaluateTest, t);
    }
}
