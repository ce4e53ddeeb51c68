package dev.clothes.quality.pipeline;

import dev.clothes.testing.Shared;
import dev.clothes.trainer.augment.Augmentation;
import dev.clothes.trainer.train.FineTuneConfig;
import dev.clothes.trainer.train.HeadConfig;
import dev.clothes.trainer.train.TrainOptions;
import dev.clothes.trainer.train.TrainingRun;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A MobileNetV2 + head bundle that `train` really writes, in seconds, on a tiny dataset: a short head, then two
 * epochs of fine-tuning the top of the trunk, so the exported graph holds fine-tuned trunk layers.
 */
public final class TinyTrainedBundle {

    private TinyTrainedBundle() {
    }

    /** Trains on {@code data} (a tiny dataset) in {@code work} and returns the bundle folder. */
    public static Path train(Path data, Path work) throws Exception {
        TrainOptions options = TrainOptions.builder(data, work.resolve("run"))
                .backbone("mobilenet-v2", Shared.imagenet("tf2_mobilenet_v2_1.0_224_ptq.tflite"))
                .variants(1).head(new HeadConfig(16, 0.2, 1e-3, 1e-4, 4, 2, 5, true, 3, 0))
                .fineTune(new FineTuneConfig(null, 1e-3, 2, 2, 1)).augmentation(Augmentation.NONE).cache(work.resolve("cache")).evaluateTest(false).build();
        return TrainingRun.run(options, new PrintStream(OutputStream.nullOutputStream())).bundle();
    }
}
