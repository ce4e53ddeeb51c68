/** Image bytes to ranked labels with one bundle: the classifier, its options, scores, predictions and timings. Imports no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j), no picocli, no lambda. */
package dev.clothes.inference.classify;
