package dev.clothes.trainer.cli;

import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.evaluation.metrics.Charts;
import dev.clothes.evaluation.metrics.EvaluationReport;
import dev.clothes.evaluation.metrics.Evaluator;
import dev.clothes.evaluation.metrics.OodReport;
import dev.clothes.evaluation.ood.FarOodImages;
import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.preprocess.TestTimeAugmentation;
import dev.clothes.inference.runtime.RuntimeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a model bundle (any runtime) on a dataset split: accuracy, loss, per-class "
            + "precision/recall/F1, confusion matrix (table and PNG), expected calibration error, and the 10 most "
            + "confident mistakes. With out-of-distribution scorers in the bundle: the share of the split marked "
            + "unsure and, with --ood/--far-ood, AUROC and FPR at 95 % TPR of every scorer and the selective-accuracy "
            + "curve."})
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "BUNDLE", description = "Bundle directory or .zip.")
    Path bundle;

    @Option(names = "--data", description = "Dataset folder (default: $CLOTHES_DATA, else data/clothing-dataset-small).")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "Split folder to evaluate (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--out", description = "Folder for evaluation-<split>.md, confusion-matrix-<split>.png and "
            + "predictions-<split>.csv (every image's top class) (default: the bundle's parent folder).")
    Path out;

    @Option(names = "--ood", paramLabel = "[NAME=]DIR", description = "A folder of images of none of the classes "
            + "(repeatable), named NAME in the report (default: the folder's name).")
    List<String> ood = new ArrayList<>();

    @Option(names = "--far-ood", description = "Also draw far-out-of-distribution images (noise, flat colours, "
            + "gradients, checkerboards, text) into OUT/far-ood and report them as the set 'far'.")
    boolean farOod;

    @Option(names = "--far-ood-photo", paramLabel = "FILE", description = "A photo of none of the classes added to "
            + "the 'far' set (repeatable; implies --far-ood).")
    List<Path> farOodPhotos = new ArrayList<>();

    @Option(names = "--tta", description = "Score with this test-time augmentation instead of the bundle's: NONE or FLIP "
            + "(the image and its mirror, outputs averaged), to measure what it changes.")
    TestTimeAugmentation tta;

    @Option(names = "--threads", description = "Threads per model run (default: up to 2, one per core). On a machine "
            + "other jobs keep busy, 1 is much faster: a thread pool waits for every one of its threads.")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        ImageFolderDataset dataset = ImageFolderDataset.open(ImageFolderDataset.resolveRoot(data), List.of(split));
        Path target = out != null ? out : bundle.toAbsolutePath().getParent();
        Files.createDirectories(target);
        EvaluationReport report;
        Map<String, Map<String, double[]>> oodSets = new LinkedHashMap<>();
        try (Classifier classifier = ModelBundle.loadWhileVerifying(bundle, loaded -> new Classifier(tta == null ? loaded
                : loaded.withManifest(loaded.manifest().withPreprocessing(loaded.manifest().preprocessing().withTta(tta))),
                threads == null ? ClassifierOptions.DEFAULT
                        : ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(threads, 1))))) {
            report = Evaluator.evaluate(classifier, split, dataset.classes(), dataset.split(split), dataset.root(),
                    System.out);
            boolean wantsOod = !ood.isEmpty() || farOod || !farOodPhotos.isEmpty();
            if (wantsOod && classifier.outOfDistribution().isEmpty()) {
                throw new BundleException(bundle + " has no out-of-distribution scorers; --ood needs a bundle "
                        + "trained with them");
            }
            for (String set : ood) {
                int eq = set.indexOf('=');
                Path dir = Path.of(eq < 0 ? set : set.substring(eq + 1));
                String name = eq < 0 ? dir.toAbsolutePath().normalize().getFileName().toString() : set.substring(0, eq);
                oodSets.put(name, Evaluator.oodScores(classifier, ImageFolderDataset.imagesUnder(dir)));
            }
            if (farOod || !farOodPhotos.isEmpty()) {
                Path far = target.resolve("far-ood");
                List<Path> images = new ArrayList<>(FarOodImages.write(far, 14));
                for (Path photo : farOodPhotos) {
                    images.add(Files.copy(photo, far.resolve(photo.getFileName()), StandardCopyOption.REPLACE_EXISTING));
                }
                oodSets.put("far", Evaluator.oodScores(classifier, images));
            }
        }
        Files.writeString(target.resolve("evaluation-" + split + ".md"), report.toMarkdown());
        Charts.confusionMatrix(report, target.resolve("confusion-matrix-" + split + ".png"));
        Files.writeString(target.resolve("predictions-" + split + ".csv"), report.predictionsCsv());
        System.out.println();
        System.out.println(report.toMarkdown());
        System.out.println("wrote " + target.resolve("evaluation-" + split + ".md") + ", confusion-matrix-" + split
                + ".png and predictions-" + split + ".csv");
        if (!oodSets.isEmpty()) {
            OodReport oodReport = OodReport.of(report, oodSets);
            String command = String.join(" ", spec.commandLine().getParseResult().originalArgs());
            Files.writeString(target.resolve("ood-" + split + ".csv"), oodReport.csv());
            Files.writeString(target.resolve("ood-" + split + ".md"), oodReport.markdown(command));
            oodReport.chart(target.resolve("selective-accuracy-" + split + ".png"));
            System.out.println();
            System.out.println(oodReport.markdown(command));
            System.out.println("wrote ood-" + split + ".csv, ood-" + split + ".md and selective-accuracy-" + split
                    + ".png to " + target);
        }
        return 0;
    }
}
