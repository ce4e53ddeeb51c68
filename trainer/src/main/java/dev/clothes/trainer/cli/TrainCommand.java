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
            "The ImageNet trunks (several side by side with --backbone a+b, their pooled features concatenated) "
                + "run once per image and augmentation variant, converted to float32 TFLite; their features are "
                + "cached per trunk. A small head is trained on them; with --fine-tune-epochs N the top of a single "
                + "trunk (above --fine-tune-cut) is then fine-tuned with the head. Trunks and head are assembled into "
                + "one DL4J graph, whose float32 TFLite conversion scores the test split. A checkpoint is written "
                + "after every epoch; --resume continues a killed run.",
            "Writes to --out: bundle/, training-curves.png, confusion-matrix.png, evaluation-test.md, ood-dev.csv, "
                + "checkpoints/."})
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
