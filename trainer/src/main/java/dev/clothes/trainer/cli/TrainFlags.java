package dev.clothes.trainer.cli;

import dev.clothes.inference.preprocess.TestTimeAugmentation;
import dev.clothes.trainer.backbone.Backbones;
import dev.clothes.trainer.train.FineTuneConfig;
import dev.clothes.trainer.train.HeadConfig;
import dev.clothes.trainer.train.TrainOptions;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * The training flags, mapped onto {@link TrainOptions}; a mixin of {@code train} and of any command
 * that runs a training. Defaults are the options type's constants.
 */
public final class TrainFlags {

    @Option(names = "--backbone", defaultValue = TrainOptions.BACKBONE,
            description = "mobilenet-v2 (224 px), mobilenet-edgetpu (224 px, read from its TFLite file), inception-v3 "
                    + "(299 px, the reference architecture), or from the DL4J zoo resnet50, vgg16 (224 px), xception "
                    + "(299 px); several joined by '+' (e.g. mobilenet-v2+mobilenet-edgetpu) run side by side, their "
                    + "pooled features concatenated before the head (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--weights", description = {"ImageNet weights of a single trunk (several trunks take their defaults). "
            + "mobilenet-v2: a .tflite (uint8/int8/float) or Keras .h5 (default: " + Backbones.MOBILENET_V2_WEIGHTS
            + ", Keras-trained: 1.5 pp better on validation here than the TF1 quantized file).",
        "mobilenet-edgetpu: its .tflite, architecture and weights (default: " + Backbones.MOBILENET_EDGETPU_WEIGHTS + ").",
        "inception-v3: a Keras notop .h5; without it, Keras' file is downloaded once, checked against its published "
            + "digest and cached under ~/.cache/clothes-classifier/weights.",
        "resnet50, vgg16, xception: the DL4J zoo's saved model (.zip); without it, the zoo downloads its file into "
            + "~/.deeplearning4j/models and checks it."})
    Path weights;

    @Option(names = "--augment-variants", defaultValue = "" + TrainOptions.VARIANTS,
            description = "Feature rows per training image: the image plus N-1 augmented copies (default: ${DEFAULT-VALUE}).")
    int variants;

    @Option(names = "--epochs", defaultValue = "" + HeadConfig.MAX_EPOCHS, description = "Maximum epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", defaultValue = "" + HeadConfig.PATIENCE,
            description = "Early-stopping patience in epochs (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--hidden", defaultValue = "" + HeadConfig.HIDDEN,
            description = "Dense units in the head, 0 for none (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--dropout", defaultValue = "" + HeadConfig.DROPOUT,
            description = "Dropout before the output layer (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--lr", defaultValue = "" + HeadConfig.LEARNING_RATE, description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--l2", defaultValue = "" + HeadConfig.L2, description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double l2;

    @Option(names = "--batch", defaultValue = "" + HeadConfig.BATCH_SIZE, description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--no-class-weights", description = "Do not weight the loss by inverse class frequency.")
    boolean noClassWeights;

    @Option(names = "--label-smoothing", defaultValue = "" + HeadConfig.LABEL_SMOOTHING,
            description = "Share of each training target spread over all classes, 0 for one-hot (default: ${DEFAULT-VALUE}).")
    double labelSmoothing;

    @Option(names = "--standardize", negatable = true, defaultValue = "" + HeadConfig.STANDARDIZE, fallbackValue = "true",
            description = "Train the head on features standardised to mean 0 and variance 1 (training statistics), "
                + "folded into its first layer afterwards (default: ${DEFAULT-VALUE}).")
    boolean standardize;

    @Option(names = "--mixup", defaultValue = "" + HeadConfig.MIXUP,
            description = "Mixup alpha: each minibatch's features and targets mixed with a shuffled copy by a "
                + "Beta(alpha, alpha) weight, 0 for none (default: ${DEFAULT-VALUE}).")
    double mixup;

    @Option(names = "--fine-tune-epochs", defaultValue = "0",
            description = "Epochs of fine-tuning the top of the trunk with the head after the head is trained, e.g. "
                + FineTuneConfig.MAX_EPOCHS + "; kept only where an epoch beats the head alone on validation "
                + "(default: ${DEFAULT-VALUE}, off: it did not pay on the clothing dataset).")
    int fineTuneEpochs;

    @Option(names = "--fine-tune-cut", description = "Trunk vertex whose activations are cached; the layers above it "
            + "are fine-tuned (default: the backbone's, mobilenet-v2: block_15_add, inception-v3: mixed9).")
    String fineTuneCut;

    @Option(names = "--fine-tune-lr", defaultValue = "" + FineTuneConfig.LEARNING_RATE,
            description = "Adam learning rate while fine-tuning (default: ${DEFAULT-VALUE}).")
    double fineTuneLearningRate;

    @Option(names = "--fine-tune-patience", defaultValue = "" + FineTuneConfig.PATIENCE,
            description = "Early-stopping patience while fine-tuning (default: ${DEFAULT-VALUE}).")
    int fineTunePatience;

    @Option(names = "--fine-tune-variants", defaultValue = "" + FineTuneConfig.VARIANTS_PER_EPOCH,
            description = "Augmentation variants of each image a fine-tuning epoch visits, rotating across epochs "
                + "(default: ${DEFAULT-VALUE}).")
    int fineTuneVariants;

    @Option(names = "--seed", defaultValue = "" + HeadConfig.SEED,
            description = "Seed for weights, shuffling and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--augment-seed", defaultValue = "" + HeadConfig.SEED,
            description = "Seed for the augmented copies; their features are cached per seed, so runs with "
                + "another --seed reuse them (default: ${DEFAULT-VALUE}).")
    long augmentSeed;

    @Option(names = "--cache", description = "Feature cache folder (default: ~/.cache/clothes-classifier/features, "
            + "or /tmp/clothes-classifier/features when the home folder is not writable).")
    Path cache;

    @Option(names = "--workers", defaultValue = "" + TrainOptions.WORKERS,
            description = "Feature extraction threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.")
    boolean resume;

    @Option(names = "--skip-test", description = "Do not evaluate the bundle on the test split.")
    boolean skipTest;

    @Option(names = "--tta", defaultValue = "NONE",
            description = "Test-time augmentation the bundle asks for: NONE, or FLIP (the image and its mirror scored, "
                + "outputs averaged: twice the model time) (default: ${DEFAULT-VALUE}).")
    TestTimeAugmentation tta;

    /** The run these flags describe on {@code data}, written to {@code out}; checked before any I/O. */
    public TrainOptions options(Path data, Path out) {
        TrainOptions.Builder options = TrainOptions.builder(data, out)
                .backbone(backbone, weights)
                .variants(variants)
                .head(new HeadConfig(hidden, dropout, learningRate, l2, batch, epochs, patience, !noClassWeights,
                        seed, labelSmoothing, standardize, mixup))
                .fineTune(new FineTuneConfig(fineTuneCut, fineTuneLearningRate, fineTuneEpochs, fineTunePatience,
                        fineTuneVariants))
                .augmentSeed(augmentSeed)
                .workers(workers)
                .resume(resume)
                .evaluateTest(!skipTest)
                .tta(tta);
        return (cache != null ? options.cache(cache) : options).build();
    }
}
