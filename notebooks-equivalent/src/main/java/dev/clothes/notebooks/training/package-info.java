/** Walkthrough 1: the dataset, sample and augmented images, training with the trainer's defaults, curves and test metrics. Imports no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j), no converter, no lambda. */
package dev.clothes.notebooks.training;
