package dev.clothes.trainer.cli;

import dev.clothes.trainer.augment.Augmentation;
import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.trainer.train.HeadConfig;
import dev.clothes.trainer.train.TrainOptions;
import dev.clothes.trainer.train.TrainingRun;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a classifier on a dataset folder (train/ validation/ test/, one folder per class) "
            + "and write a model bundle.",
            "The ImageNet trunk is frozen: its features are computed once per image and augmentation variant, "
                + "cached, and a small head is trained on them. A checkpoint is written after every epoch; "
                + "--resume continues a killed run.",
            "Writes to --out: bundle/, training-curves.png, confusion-matrix.png, evaluation-test.md, checkpoints/."})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", description = "Dataset folder (default: $CLOTHES_DATA, else data/clothing-dataset-small).")
    Path data;

    @Option(names = "--out", defaultValue = "runs/mobilenet-v2", description = "Run folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--backbone", defaultValue = "mobilenet-v2",
            description = "mobilenet-v2 (224 px) or inception-v3 (299 px, the reference architecture) (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--weights", description = {"ImageNet weights. mobilenet-v2: a .tflite (uint8/int8/float) or Keras .h5 "
            + "(default: ../shared/models/imagenet/tf2_mobilenet_v2_1.0_224_ptq.tflite, Keras-trained: 1.5 pp better "
            + "on validation here than the TF1 quantized file).",
        "inception-v3: a Keras notop .h5; without it, Keras' file is downloaded once, checked against its published "
            + "digest and cached under ~/.cache/clothes-classifier/weights."})
    Path weights;

    @Option(names = "--augment-variants", defaultValue = "5",
            description = "Feature rows per training image: the image plus N-1 augmented copies (default: ${DEFAULT-VALUE}).")
    int variants;

    @Option(names = "--epochs", defaultValue = "40", description = "Maximum epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", defaultValue = "8", description = "Early-stopping patience in epochs (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--hidden", defaultValue = "128", description = "Dense units in the head, 0 for none (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--dropout", defaultValue = "0.3", description = "Dropout before the output layer (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--lr", defaultValue = "5e-4", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--l2", defaultValue = "1e-4", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double l2;

    @Option(names = "--batch", defaultValue = "32", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--no-class-weights", description = "Do not weight the loss by inverse class frequency.")
    boolean noClassWeights;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for weights, augmentation, shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--cache", description = "Feature cache folder (default: ~/.cache/clothes-classifier/features, "
            + "or /tmp/clothes-classifier/features when the home folder is not writable).")
    Path cache;

    @Option(names = "--workers", defaultValue = "2", description = "Feature extraction threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.")
    boolean resume;

    @Option(names = "--skip-test", description = "Do not evaluate the bundle on the test split.")
    boolean skipTest;

    @Override
    public Integer call() throws IOException {
        TrainingRun.run(options(), System.out);
        return 0;
    }

    /** The run these options describe: the one place the CLI's defaults become a {@link TrainOptions}. */
    public TrainOptions options() {
        Path weightsFile = weights != null || !backbone.equals("mobilenet-v2") ? weights
                : Path.of("../shared/models/imagenet/tf2_mobilenet_v2_1.0_224_ptq.tflite");
        HeadConfig head = new HeadConfig(hidden, dropout, learningRate, l2, batch, epochs, patience, !noClassWeights, seed);
        return new TrainOptions(ImageFolderDataset.resolveRoot(data), out, backbone, weightsFile, variants, head,
                Augmentation.DEFAULT, cache != null ? cache : dev.clothes.trainer.UserCache.dir("features"), workers, resume, !skipTest);
    }
}
