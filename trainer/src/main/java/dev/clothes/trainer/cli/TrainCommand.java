package dev.clothes.trainer.cli;

import dev.clothes.cli.UserErrorHandler;
import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.trainer.train.TrainOptions;
import dev.clothes.trainer.train.TrainingRun;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a classifier on a dataset folder (train/ validation/ test/, one folder per class) "
            + "and write a model bundle.",
            "The ImageNet trunk runs once per image and augmentation variant up to a cut point near its top "
                + "(--fine-tune-cut); those activations are cached. A small head is trained on the pooled "
                + "features, then the trunk's layers above the cut are fine-tuned together with the head at a "
                + "lower learning rate (--fine-tune-epochs 0: head only, on the frozen trunk's pooled features). "
                + "A checkpoint is written after every epoch of both phases; --resume continues a killed run.",
            "Writes to --out: bundle/, training-curves.png, confusion-matrix.png, evaluation-test.md, checkpoints/."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", description = "Dataset folder (default: $CLOTHES_DATA, else data/clothing-dataset-small).")
    Path data;

    @Option(names = "--out", defaultValue = TrainOptions.OUT, description = "Run folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    TrainFlags flags;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path root = ImageFolderDataset.resolveRoot(data);
        TrainOptions options = UserErrorHandler.fromOptions(spec, () -> flags.options(root, out));
        TrainingRun.run(options, System.out);
        return 0;
    }
}
