/** Out-of-distribution scorers rebuilt from a bundle's data (maximum softmax probability, energy, Mahalanobis, k-NN cosine) and the assessment a classification carries. Imports no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j), no picocli, no lambda. */
package dev.clothes.inference.ood;
