/** A bundle's classifier over labelled images: accuracy, per-class precision, recall and F1, calibration error, confusion matrix and its chart. Imports no trainer, no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j). */
package dev.clothes.evaluation.metrics;
