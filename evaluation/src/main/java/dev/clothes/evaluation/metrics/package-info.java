/** A bundle's classifier over labelled images: accuracy, per-class precision, recall and F1, calibration error, confusion matrix and its chart. Imports {@code evaluation.dataset}, {@code inference.classify}, {@code inference.ood}, {@code inference.stats}. */
package dev.clothes.evaluation.metrics;
