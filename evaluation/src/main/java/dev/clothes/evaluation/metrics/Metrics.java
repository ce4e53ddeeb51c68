package dev.clothes.evaluation.metrics;

import dev.clothes.inference.classify.Scores;
import dev.clothes.inference.ood.OutOfDistribution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Classification figures from predicted probabilities and true labels. */
public final class Metrics {

    private Metrics() {
    }

    public static EvaluationReport report(String split, List<String> classes, float[][] probabilities, int[] labels,
                                          List<String> files, List<String> skipped) {
        return report(split, classes, probabilities, labels, files, skipped, List.of(), Map.of());
    }

    /**
     * @param verdicts  the default out-of-distribution scorer's verdict on each image, or empty without scorers
     * @param oodScores every scorer's score on each image, by scorer name, or empty without scorers
     */
    public static EvaluationReport report(String split, List<String> classes, float[][] probabilities, int[] labels,
                                          List<String> files, List<String> skipped, List<OutOfDistribution> verdicts,
                                          Map<String, double[]> oodScores) {
        int k = classes.size();
        int n = labels.length;
        int[][] confusion = new int[k][k];
        double loss = 0;
        int correct = 0;
        List<ImagePrediction> predictions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int predicted = Scores.argMax(probabilities[i]);
            confusion[labels[i]][predicted]++;
            loss -= Math.log(Math.max(1e-7, probabilities[i][labels[i]]));
            correct += predicted == labels[i] ? 1 : 0;
            predictions.add(new ImagePrediction(files.get(i), classes.get(labels[i]), classes.get(predicted),
                    probabilities[i][predicted], verdicts.isEmpty() ? null : verdicts.get(i)));
        }
        List<ImagePrediction> mistakes = predictions.stream().filter(p -> !p.correct())
                .sorted(Comparator.comparingDouble(ImagePrediction::confidence).reversed()).limit(10).toList();
        List<ClassMetrics> perClass = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            int tp = confusion[c][c];
            int predictedC = 0;
            int actualC = 0;
            for (int j = 0; j < k; j++) {
                predictedC += confusion[j][c];
                actualC += confusion[c][j];
            }
            double precision = predictedC == 0 ? 0 : (double) tp / predictedC;
            double recall = actualC == 0 ? 0 : (double) tp / actualC;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.add(new ClassMetrics(classes.get(c), precision, recall, f1, actualC));
        }
        return new EvaluationReport(split, List.copyOf(classes), n, n == 0 ? 0 : (double) correct / n,
                n == 0 ? 0 : loss / n, expectedCalibrationError(probabilities, labels, 15), perClass, confusion,
                mistakes, List.copyOf(predictions), List.copyOf(skipped), oodScores);
    }

    public static double expectedCalibrationError(float[][] probabilities, int[] labels, int bins) {
        double[] confidence = new double[bins];
        double[] hits = new double[bins];
        int[] counts = new int[bins];
        for (int i = 0; i < labels.length; i++) {
            int predicted = Scores.argMax(probabilities[i]);
            double p = probabilities[i][predicted];
            int b = Math.min(bins - 1, (int) (p * bins));
            confidence[b] += p;
            hits[b] += predicted == labels[i] ? 1 : 0;
            counts[b]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (counts[b] > 0) {
                ece += Math.abs(hits[b] - confidence[b]) / labels.length;
            }
        }
        return ece;
    }

    /**
     * The temperature T minimising the negative log-likelihood of {@code p^(1/T)} (renormalised),
     * which is softmax(log p / T): temperature scaling applied to probabilities.
     */
    public static double fitTemperature(float[][] probabilities, int[] labels) {
        double lo = Math.log(0.05);
        double hi = Math.log(20);
        double golden = (Math.sqrt(5) - 1) / 2;
        for (int iter = 0; iter < 60; iter++) {
            double a = hi - golden * (hi - lo);
            double b = lo + golden * (hi - lo);
            if (nll(probabilities, labels, Math.exp(a)) < nll(probabilities, labels, Math.exp(b))) {
                hi = b;
            } else {
                lo = a;
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    static double nll(float[][] probabilities, int[] labels, double temperature) {
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] z = new double[probabilities[i].length];
            for (int c = 0; c < z.length; c++) {
                z[c] = Math.log(Math.max(1e-12, probabilities[i][c])) / temperature;
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            total -= z[labels[i]] - max - Math.log(sum);
        }
        return total / labels.length;
    }
}
