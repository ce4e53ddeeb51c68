package dev.clothes.evaluation.metrics;

/** Precision, recall and F1 of one class. */
public record ClassMetrics(String label, double precision, double recall, double f1, int support) {
}
