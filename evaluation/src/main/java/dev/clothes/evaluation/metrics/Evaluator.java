package dev.clothes.evaluation.metrics;

import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ImageScores;
import dev.clothes.inference.ood.OodScoring;
import dev.clothes.inference.ood.OutOfDistribution;
import dev.clothes.inference.image.ImageDecodeException;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.evaluation.dataset.DatasetException;
import dev.clothes.evaluation.dataset.LabeledImage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Runs a bundle's {@link Classifier} (any runtime) over labelled images. */
public final class Evaluator {

    /** Images per forward pass: large enough for DL4J's batching gain, small enough for memory. */
    private static final int BATCH = 16;

    private Evaluator() {
    }

    /** Probabilities for each readable image; unreadable ones are listed in the report, not fatal. */
    public static EvaluationReport evaluate(Classifier classifier, String split, List<String> classes,
                                            List<LabeledImage> images, Path root, PrintStream log) {
        if (!classifier.labels().equals(classes)) {
            throw new DatasetException("the bundle's labels " + classifier.labels()
                    + " differ from the dataset's classes " + classes);
        }
        List<ImageScores> scored = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("evaluate " + split).setInitialMax(images.size())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(log)).build()) {
            List<RgbImage> batch = new ArrayList<>();
            for (LabeledImage image : images) {
                String name = root.relativize(image.file()).toString();
                try {
                    batch.add(classifier.decode(Files.readAllBytes(image.file())));
                    labels.add(image.label());
                    files.add(name);
                } catch (ImageDecodeException | IOException e) {
                    skipped.add(name + " (" + e.getMessage() + ")");
                }
                if (batch.size() == BATCH) {
                    scored.addAll(classifier.scores(batch));
                    bar.stepBy(batch.size());
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                scored.addAll(classifier.scores(batch));
            }
            bar.stepTo(images.size());
        }
        OodScoring ood = classifier.outOfDistribution().orElse(null);
        List<OutOfDistribution> verdicts = ood == null ? List.of()
                : scored.stream().map(s -> ood.verdict(s.oodScores())).toList();
        return Metrics.report(split, classes, scored.stream().map(ImageScores::probabilities).toArray(float[][]::new),
                labels.stream().mapToInt(Integer::intValue).toArray(), files, skipped, verdicts, byScorer(scored));
    }

    /**
     * Every out-of-distribution scorer's scores on unlabelled images (e.g. of none of the classes),
     * keyed by scorer name; unreadable images are left out.
     */
    public static Map<String, double[]> oodScores(Classifier classifier, List<Path> images) throws IOException {
        List<ImageScores> scored = new ArrayList<>();
        List<RgbImage> batch = new ArrayList<>();
        for (Path image : images) {
            try {
                batch.add(classifier.decode(Files.readAllBytes(image)));
            } catch (ImageDecodeException e) {
                continue; // says nothing about the scorers
            }
            if (batch.size() == BATCH) {
                scored.addAll(classifier.scores(batch));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            scored.addAll(classifier.scores(batch));
        }
        return byScorer(scored);
    }

    /** Every scorer's scores, image by image, keyed by scorer name (empty without scorers). */
    public static Map<String, double[]> byScorer(List<ImageScores> scored) {
        Map<String, double[]> byScorer = new LinkedHashMap<>();
        for (int i = 0; i < scored.size(); i++) {
            int row = i;
            scored.get(i).oodScores().forEach((name, score) ->
                    byScorer.computeIfAbsent(name, n -> new double[scored.size()])[row] = score);
        }
        return byScorer;
    }
}
