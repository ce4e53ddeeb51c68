package dev.clothes.quality.pipeline;

import dev.clothes.testing.Shared;
import dev.clothes.trainer.augment.Augmentation;
import dev.clothes.trainer.train.FineTuneConfig;
import dev.clothes.trainer.train.HeadConfig;
import dev.clothes.trainer.train.TrainOptions;
import dev.clothes.trainer.train.TrainingRun;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A MobileNetV2 + head bundle that `train` really writes, in seconds, on a tiny dataset (hat and pants, 4 photos
 * per split): a short head, then two epochs of fine-tuning the top of the trunk, so the exported graph holds
 * fine-tuned trunk layers. Trained once per test JVM under {@code target/tiny-trained}; the test classes that
 * use it only read it.
 *
 * @param data   the tiny dataset's root (train, validation, test)
 * @param bundle the trained bundle's folder
 */
public record TinyTrainedBundle(Path data, Path bundle) {

    /** The bundle, trained by the first caller in this JVM. */
    public static TinyTrainedBundle shared() {
        return Once.TRAINED;
    }

    /** Initialised on first use, once, by the JVM's class initialisation (thread-safe, no mutable field). */
    private static final class Once {
        static final TinyTrainedBundle TRAINED = train(Path.of("target", "tiny-trained").toAbsolutePath());
    }

    private static TinyTrainedBundle train(Path work) {
        try {
            deleteTree(work);
            Path data = Shared.tinyDataset(work.resolve("data"), List.of("hat", "pants"), 4, 4, 4);
            TrainOptions options = TrainOptions.builder(data, work.resolve("run"))
                    .backbone("mobilenet-v2", Shared.imagenet("tf2_mobilenet_v2_1.0_224_ptq.tflite"))
                    .variants(1).head(new HeadConfig(16, 0.2, 1e-3, 1e-4, 4, 2, 5, true, 3, 0))
                    .fineTune(new FineTuneConfig(null, 1e-3, 2, 2, 1)).augmentation(Augmentation.NONE)
                    .cache(work.resolve("cache")).evaluateTest(false).build();
            return new TinyTrainedBundle(data,
                    TrainingRun.run(options, new PrintStream(OutputStream.nullOutputStream())).bundle());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
