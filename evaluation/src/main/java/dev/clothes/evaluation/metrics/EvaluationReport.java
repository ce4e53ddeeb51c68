package dev.clothes.evaluation.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Figures of a model on one split.
 *
 * @param expectedCalibrationError |accuracy - confidence| over 15 equal-width confidence bins, weighted by size
 * @param confusion                rows = actual class, columns = predicted class
 * @param predictions              every image's top class, in the order evaluated
 */
public record EvaluationReport(String split, List<String> classes, int count, double accuracy, double loss,
                               double expectedCalibrationError, List<ClassMetrics> perClass, int[][] confusion,
                               List<ImagePrediction> confidentMistakes, List<ImagePrediction> predictions,
                               List<String> skipped) {

    /** One line per image: file,actual,predicted,confidence (file names are dataset paths, without commas). */
    public String predictionsCsv() {
        StringBuilder csv = new StringBuilder("file,actual,predicted,confidence\n");
        for (ImagePrediction p : predictions) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%.6f%n", p.file(), p.actual(), p.predicted(), p.confidence()));
        }
        return csv.toString();
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## %s split: %d images%n%n", split, count));
        md.append(String.format(Locale.ROOT, "| accuracy | loss | ECE |%n|---|---|---|%n| %.2f %% | %.4f | %.4f |%n%n",
                100 * accuracy, loss, expectedCalibrationError));
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
