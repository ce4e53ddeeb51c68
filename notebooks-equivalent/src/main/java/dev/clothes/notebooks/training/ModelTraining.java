package dev.clothes.notebooks.training;

import dev.clothes.inference.bundle.Checksums;
import dev.clothes.inference.classify.Classification;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.classify.Prediction;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.notebooks.report.Pictures;
import dev.clothes.notebooks.report.Pictures.Tile;
import dev.clothes.notebooks.report.Report;
import dev.clothes.notebooks.report.ReportOutput;
import dev.clothes.notebooks.report.Walkthrough;
import dev.clothes.cli.UserErrorHandler;
import dev.clothes.trainer.augment.Augmenter;
import dev.clothes.trainer.backbone.Trunks;
import dev.clothes.trainer.cli.TrainFlags;
import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.evaluation.dataset.LabeledImage;
import dev.clothes.evaluation.metrics.ClassMetrics;
import dev.clothes.evaluation.metrics.EvaluationReport;
import dev.clothes.trainer.train.EpochMetrics;
import dev.clothes.trainer.train.TrainOptions;
import dev.clothes.trainer.train.TrainingRun;
import dev.clothes.trainer.train.TrainingState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import static dev.clothes.notebooks.report.Walkthrough.decimals;
import static dev.clothes.notebooks.report.Walkthrough.percent;

@Command(name = ModelTraining.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Walkthrough 1: the dataset, sample images, augmentation, training (the trainer's `train` "
            + "with its defaults), training curves, test accuracy, confusion matrix and a few test predictions.",
            "It takes `train`'s options (e.g. --epochs 5); see `train --help`.",
            "Writes REPORTS/1-model-training.html and .md, and the run (bundle included) to --out."})
public final class ModelTraining implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static final String NAME = Walkthrough.TRAINING;

    @Option(names = "--data", description = "Dataset folder (default: $CLOTHES_DATA, else data/clothing-dataset-small).")
    Path data;

    @Option(names = "--out", defaultValue = TrainOptions.OUT, description = "Run folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    ReportOutput output;

    @Option(names = "--samples-per-class", defaultValue = "4", description = "Images per class in the sample grid (default: ${DEFAULT-VALUE}).")
    int samplesPerClass;

    @Option(names = "--predictions", defaultValue = "8", description = "Test images shown with their top 3 (default: ${DEFAULT-VALUE}).")
    int predictions;

    @Mixin
    TrainFlags train;

    @Override
    public Integer call() throws Exception {
        Path root = ImageFolderDataset.resolveRoot(data);
        ImageFolderDataset dataset = ImageFolderDataset.open(root, ImageFolderDataset.SPLITS);
        Report report = output.start("1 · Model training");
        ImageDecoder decoder = new ImageDecoder();

        datasetTable(report, dataset, root);
        samples(report, dataset, decoder);
        TrainOptions options = UserErrorHandler.fromOptions(spec, () -> train.options(root, out));
        augmentations(report, dataset, decoder, options);

        report.heading("Training");
        report.text(String.format(Locale.ROOT, "Backbone `%s` (trunks joined by '+' run side by side, their features "
                        + "concatenated) with ImageNet weights `%s`, frozen; its features are "
                        + "computed once per image, augmentation variant and trunk (%d rows per training image) and cached. "
                        + "The head: %s dense units, dropout %s, Adam %s, L2 %s, batch %d, at most %d epochs, early "
                        + "stopping after %d without improvement, class weights %s, seed %d.",
                options.backbone(), Trunks.weightsFileNames(options.backbone(), options.weights()),
                options.variants(), options.head().hidden(), options.head().dropout(), options.head().learningRate(),
                options.head().l2(), options.head().batchSize(), options.head().maxEpochs(), options.head().patience(),
                options.head().classWeighting() ? "on" : "off", options.head().seed()));
        long start = System.nanoTime();
        TrainingRun.Result result = TrainingRun.run(options, System.out);
        report.text(String.format(Locale.ROOT, "Training took %.0f s (feature extraction included; cached features "
                + "are reused). The bundle is in `%s`.", (System.nanoTime() - start) / 1e9, result.bundle()));
        curves(report, result, options.out());
        if (result.test() != null) {
            testSection(report, result.test(), options.out());
            predictionsSection(report, dataset, result.bundle());
        } else {
            report.text("The test split was not evaluated (--skip-test).");
        }
        output.write(report);
        return 0;
    }

    private static void datasetTable(Report report, ImageFolderDataset dataset, Path root) {
        report.heading("The dataset");
        report.text("`" + root + "`: images per class and split.");
        List<String> header = new ArrayList<>(List.of("class"));
        header.addAll(ImageFolderDataset.SPLITS);
        header.add("total");
        List<List<String>> rows = new ArrayList<>();
        int[][] counts = ImageFolderDataset.SPLITS.stream().map(dataset::counts).toArray(int[][]::new);
        int[] totals = new int[counts.length + 1];
        for (int c = 0; c < dataset.classes().size(); c++) {
            List<String> row = new ArrayList<>(List.of(dataset.classes().get(c)));
            int sum = 0;
            for (int s = 0; s < counts.length; s++) {
                row.add(String.valueOf(counts[s][c]));
                sum += counts[s][c];
                totals[s] += counts[s][c];
            }
            totals[counts.length] += sum;
            row.add(String.valueOf(sum));
            rows.add(row);
        }
        List<String> total = new ArrayList<>(List.of("**total**"));
        for (int t : totals) {
            total.add("**" + t + "**");
        }
        rows.add(total);
        report.table(header, rows);
    }

    private void samples(Report report, ImageFolderDataset dataset, ImageDecoder decoder) throws Exception {
        report.heading("Sample images");
        List<Tile> tiles = new ArrayList<>();
        List<LabeledImage> train = dataset.split("train");
        for (int c = 0; c < dataset.classes().size(); c++) {
            int label = c;
            for (LabeledImage image : train.stream().filter(i -> i.label() == label).limit(samplesPerClass).toList()) {
                tiles.add(new Tile(decoder.decode(Files.readAllBytes(image.file())).toBufferedImage(),
                        List.of(dataset.classes().get(c))));
            }
        }
        report.picture("samples.jpg", Pictures.jpeg(Pictures.grid(tiles, samplesPerClass * 2, 150)),
                samplesPerClass + " training images per class, as decoded by inference-core (EXIF orientation applied).");
    }

    private static void augmentations(Report report, ImageFolderDataset dataset, ImageDecoder decoder,
                                      TrainOptions options) throws Exception {
        report.heading("Augmentation");
        LabeledImage first = dataset.split("train").get(0);
        byte[] bytes = Files.readAllBytes(first.file());
        RgbImage image = decoder.decode(bytes);
        Augmenter augmenter = new Augmenter(options.augmentation());
        List<Tile> tiles = new ArrayList<>();
        tiles.add(new Tile(image.toBufferedImage(), List.of("original")));
        for (int variant = 1; variant <= 8; variant++) {
            // The same (seed, image hash, variant) the feature extraction uses, so these are the copies training sees.
            tiles.add(new Tile(augmenter.apply(image, options.head().seed(), Checksums.sha256(bytes), variant)
                    .toBufferedImage(), List.of("variant " + variant)));
        }
        report.text("`" + options.augmentation() + "`. Training uses variants 1 to " + (options.variants() - 1)
                + " of every training image; each is reproducible from the seed and the image's hash.");
        report.picture("augmentation.jpg", Pictures.jpeg(Pictures.grid(tiles, 3, 200)),
                "`" + first.file().getFileName() + "` (" + dataset.classes().get(first.label())
                        + ") and 8 augmented variants.");
    }

    private static void curves(Report report, TrainingRun.Result result, Path out) throws Exception {
        report.heading("Training curves");
        report.picture("training-curves.png", Files.readAllBytes(out.resolve("training-curves.png")),
                "Loss and accuracy per epoch, training vs validation: the head on pooled features, then (series "
                        + "\"fine-tune\") the top of the trunk trained with the head.");
        List<List<String>> rows = new ArrayList<>();
        List<EpochMetrics> fineTune = result.fineTune() != null ? result.fineTune().history() : List.of();
        for (EpochMetrics e : result.state().history()) {
            rows.add(row("head", e));
        }
        for (EpochMetrics e : fineTune) {
            rows.add(row("fine-tune", e));
        }
        report.table(List.of("phase", "epoch", "train loss", "train accuracy", "validation loss", "validation accuracy",
                "s"), rows);
        TrainingState kept = result.fineTune() != null ? result.fineTune() : result.state();
        report.text(String.format(Locale.ROOT, "Best %s epoch %d: validation accuracy **%s** (the head alone: %s); "
                        + "the bundle keeps that epoch.", result.fineTune() != null ? "fine-tuning" : "head",
                kept.bestEpoch(), percent(kept.bestValidationAccuracy()),
                percent(result.state().bestValidationAccuracy())));
    }

    private static List<String> row(String phase, EpochMetrics e) {
        return List.of(phase, String.valueOf(e.epoch()), decimals(e.trainLoss(), 4), percent(e.trainAccuracy()),
                decimals(e.validationLoss(), 4), percent(e.validationAccuracy()), decimals(e.seconds(), 1));
    }

    private static void testSection(Report report, EvaluationReport test, Path out) throws Exception {
        report.heading("Test accuracy");
        report.text(String.format(Locale.ROOT, "On %d test images: accuracy **%s**, loss %.4f, expected calibration "
                        + "error %.4f (after temperature scaling fitted on validation).", test.count(),
                percent(test.accuracy()), test.loss(), test.expectedCalibrationError()));
        List<List<String>> rows = new ArrayList<>();
        for (ClassMetrics m : test.perClass()) {
            rows.add(List.of(m.label(), percent(m.precision()), percent(m.recall()), decimals(m.f1(), 3),
                    String.valueOf(m.support())));
        }
        report.table(List.of("class", "precision", "recall", "F1", "images"), rows);
        report.picture("confusion-matrix.png", Files.readAllBytes(out.resolve("confusion-matrix.png")),
                "Confusion matrix on the test split (rows: actual class, columns: predicted).");
    }

    private void predictionsSection(Report report, ImageFolderDataset dataset, Path bundle) throws Exception {
        report.heading("Test predictions");
        List<LabeledImage> test = dataset.split("test");
        List<LabeledImage> shown = new ArrayList<>();
        for (int c = 0; shown.size() < predictions && c < dataset.classes().size() * 10; c++) {
            int label = c % dataset.classes().size();
            int nth = c / dataset.classes().size();
            test.stream().filter(i -> i.label() == label).skip(nth).findFirst().ifPresent(shown::add);
        }
        List<Tile> tiles = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        try (Classifier classifier = Classifier.open(bundle, ClassifierOptions.DEFAULT)) {
            for (LabeledImage image : shown) {
                byte[] bytes = Files.readAllBytes(image.file());
                Classification result = classifier.classify(bytes, 3);
                String actual = dataset.classes().get(image.label());
                List<String> caption = new ArrayList<>(List.of("actual: " + actual));
                List<String> top = new ArrayList<>();
                for (Prediction p : result.predictions()) {
                    caption.add(String.format(Locale.ROOT, "%s %.3f", p.label(), p.score()));
                    top.add(String.format(Locale.ROOT, "%s %.3f", p.label(), p.score()));
                }
                tiles.add(new Tile(classifier.decoder().decode(bytes).toBufferedImage(), caption));
                rows.add(List.of("`" + image.file().getFileName() + "`", actual, top.get(0),
                        top.size() > 1 ? top.get(1) : "", top.size() > 2 ? top.get(2) : "",
                        result.top().label().equals(actual) ? "yes" : "**no**"));
            }
        }
        report.picture("test-predictions.jpg", Pictures.jpeg(Pictures.grid(tiles, 4, 180)),
                "Test images with the bundle's top 3 (the trained DL4J model).");
        report.table(List.of("image", "actual", "1st", "2nd", "3rd", "right"), rows);
    }
}
