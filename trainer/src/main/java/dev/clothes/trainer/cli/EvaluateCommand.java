package dev.clothes.trainer.cli;

import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.evaluation.metrics.Charts;
import dev.clothes.evaluation.metrics.EvaluationReport;
import dev.clothes.evaluation.metrics.Evaluator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a model bundle (any runtime) on a dataset split: accuracy, loss, per-class "
            + "precision/recall/F1, confusion matrix (table and PNG), expected calibration error, and the 10 most "
            + "confident mistakes."})
final class EvaluateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "BUNDLE", description = "Bundle directory or .zip.")
    Path bundle;

    @Option(names = "--data", description = "Dataset folder (default: $CLOTHES_DATA, else data/clothing-dataset-small).")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "Split folder to evaluate (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--out", description = "Folder for evaluation-<split>.md, confusion-matrix-<split>.png and "
            + "predictions-<split>.csv (every image's top class) (default: the bundle's parent folder).")
    Path out;

    @Override
    public Integer call() throws IOException {
        ImageFolderDataset dataset = ImageFolderDataset.open(ImageFolderDataset.resolveRoot(data), List.of(split));
        Path target = out != null ? out : bundle.toAbsolutePath().getParent();
        EvaluationReport report;
        try (Classifier classifier = Classifier.open(bundle, ClassifierOptions.DEFAULT)) {
            report = Evaluator.evaluate(classifier, split, dataset.classes(), dataset.split(split), dataset.root(),
                    System.out);
        }
        Files.createDirectories(target);
        Files.writeString(target.resolve("evaluation-" + split + ".md"), report.toMarkdown());
        Charts.confusionMatrix(report, target.resolve("confusion-matrix-" + split + ".png"));
        Files.writeString(target.resolve("predictions-" + split + ".csv"), report.predictionsCsv());
        System.out.println();
        System.out.println(report.toMarkdown());
        System.out.println("wrote " + target.resolve("evaluation-" + split + ".md") + ", confusion-matrix-" + split
                + ".png and predictions-" + split + ".csv");
        return 0;
    }
}
