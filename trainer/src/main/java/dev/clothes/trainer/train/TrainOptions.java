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
 * One training run: its defaults live in {@link Builder}, its values are checked on construction (the bad value
 * named), before the run touches any file.
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
                           FineTuneConfig fineTune, Augmentation augmentation, long augmentSeed, Path cache, int workers,
                           boolean resume, boolean evaluateTest, TestTimeAugmentation tta) {

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

    /** The default run on {@code data}, written to {@code out}, to be changed where a caller says so. */
    public static Builder builder(Path data, Path out) {
        return new Builder(data, out);
    }

    /** These options, to be changed where a caller says so. */
    public Builder toBuilder() {
        return new Builder(data, out).backbone(backbone, weights).variants(variants).head(head).fineTune(fineTune)
                .augmentation(augmentation).augmentSeed(augmentSeed).cache(cache).workers(workers).resume(resume)
                .evaluateTest(evaluateTest).tta(tta);
    }

    /** Every default of a run in one place; {@link #build()} checks the values, touches no file. */
    public static final class Builder {
        private Path data;
        private Path out;
        private String backbone = BACKBONE;
        private Path weights;
        private int variants = VARIANTS;
        private HeadConfig head = HeadConfig.DEFAULT;
        private FineTuneConfig fineTune = FineTuneConfig.OFF;
        private Augmentation augmentation = Augmentation.DEFAULT;
        private long augmentSeed = HeadConfig.SEED;
        private Path cache = UserCache.path("features");
        private int workers = WORKERS;
        private boolean resume;
        private boolean evaluateTest = true;
        private TestTimeAugmentation tta = TestTimeAugmentation.NONE;

        private Builder(Path data, Path out) {
            this.data = data;
            this.out = out;
        }

        public Builder data(Path folder) {
            this.data = folder;
            return this;
        }

        public Builder out(Path folder) {
            this.out = folder;
            return this;
        }

        /** The trunks ({@code id}, or ids joined by '+') and their ImageNet weights (null: each trunk's default). */
        public Builder backbone(String id, Path weightsFile) {
            this.backbone = id;
            this.weights = weightsFile;
            return this;
        }

        public Builder variants(int n) {
            this.variants = n;
            return this;
        }

        public Builder head(HeadConfig config) {
            this.head = config;
            return this;
        }

        public Builder fineTune(FineTuneConfig config) {
            this.fineTune = config;
            return this;
        }

        public Builder augmentation(Augmentation a) {
            this.augmentation = a;
            return this;
        }

        public Builder augmentSeed(long seed) {
            this.augmentSeed = seed;
            return this;
        }

        public Builder cache(Path dir) {
            this.cache = dir;
            return this;
        }

        public Builder workers(int n) {
            this.workers = n;
            return this;
        }

        public Builder resume(boolean on) {
            this.resume = on;
            return this;
        }

        public Builder evaluateTest(boolean on) {
            this.evaluateTest = on;
            return this;
        }

        public Builder tta(TestTimeAugmentation t) {
            this.tta = t;
            return this;
        }

        public TrainOptions build() {
            return new TrainOptions(data, out, backbone, weights, variants, head, fineTune, augmentation, augmentSeed,
                    cache, workers, resume, evaluateTest, tta);
        }
    }
}
