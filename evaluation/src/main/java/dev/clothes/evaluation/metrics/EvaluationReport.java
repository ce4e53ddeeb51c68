package dev.clothes.evaluation.metrics;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures of a model on one split.
 *
 * @param expectedCalibrationError |accuracy - confidence| over 15 equal-width confidence bins, weighted by size
 * @param confusion                rows = actual class, columns = predicted class
 * @param predictions              every image's top class, in the order evaluated
 * @param oodScores                every out-of-distribution scorer's score on each image (same order), by
 *                                 scorer name; empty for a bundle without scorers
 */
public record EvaluationReport(String split, List<String> classes, int count, double accuracy, double loss,
                               double expectedCalibrationError, List<ClassMetrics> perClass, int[][] confusion,
                               List<ImagePrediction> confidentMistakes, List<ImagePrediction> predictions,
                               List<String> skipped, Map<String, double[]> oodScores) {

    public EvaluationReport {
        // In the bundle's scorer order, so reports list them the same way every time.
        oodScores = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(oodScores));
    }

    /** Whether the bundle had out-of-distribution scorers. */
    public boolean hasOod() {
        return !oodScores.isEmpty();
    }

    /** The share of images marked unsure (0 without scorers). */
    public double unsureShare() {
        return predictions.isEmpty() ? 0
                : (double) predictions.stream().filter(ImagePrediction::unsure).count() / predictions.size();
    }

    /** Accuracy on the images not marked unsure (all of them without scorers). */
    public double acceptedAccuracy() {
        List<ImagePrediction> kept = predictions.stream().filter(p -> !p.unsure()).toList();
        return kept.isEmpty() ? 0 : (double) kept.stream().filter(ImagePrediction::correct).count() / kept.size();
    }

    /**
     * One line per image: file,actual,predicted,confidence (file names are dataset paths, without
     * commas), then ood_scorer,ood_score,unsure when the bundle has out-of-distribution scorers.
     */
    public String predictionsCsv() {
        StringBuilder csv = new StringBuilder("file,actual,predicted,confidence" + (hasOod() ? ",ood_scorer,ood_score,unsure" : "") + "\n");
        for (ImagePrediction p : predictions) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%.6f", p.file(), p.actual(), p.predicted(), p.confidence()));
            if (p.ood() != null) {
                csv.append(String.format(Locale.ROOT, ",%s,%.6g,%b", p.ood().scorer(), p.ood().score(), p.unsure()));
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## %s split: %d images%n%n", split, count));
        md.append(String.format(Locale.ROOT, "| accuracy | loss | ECE |%n|---|---|---|%n| %.2f %% | %.4f | %.4f |%n%n",
                100 * accuracy, loss, expectedCalibrationError));
        if (hasOod()) {
            ImagePrediction first = predictions.get(0);
            md.append(String.format(Locale.ROOT, "Out of distribution (%s, threshold %.4g): %.2f %% unsure; accuracy "
                    + "on the images kept %.2f %%%n%n", first.ood().scorer(), first.ood().threshold(),
                    100 * unsureShare(), 100 * acceptedAccuracy()));
        }
        md.append("| class | precision | recall | F1 | support |\n|---|---|---|---|---|\n");
        for (ClassMetrics c : perClass) {
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %d |%n", c.label(), c.precision(),
                    c.recall(), c.f1(), c.support()));
        }
        md.append("\nConfusion matrix (rows: actual, columns: predicted)\n\n| |");
        classes.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|---|");
        classes.forEach(c -> md.append("---|"));
        md.append('\n');
        for (int i = 0; i < classes.size(); i++) {
            md.append("| ").append(classes.get(i)).append(" |");
            for (int j = 0; j < classes.size(); j++) {
                md.append(' ').append(confusion[i][j]).append(" |");
            }
            md.append('\n');
        }
        md.append("\nMost confident mistakes\n\n| file | actual | predicted | confidence |\n|---|---|---|---|\n");
        for (ImagePrediction m : confidentMistakes) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f |%n", m.file(), m.actual(), m.predicted(),
                    m.confidence()));
        }
        if (!skipped.isEmpty()) {
            md.append("\nSkipped (unreadable): ").append(String.join(", ", skipped)).append('\n');
        }
        return md.toString();
    }
}
