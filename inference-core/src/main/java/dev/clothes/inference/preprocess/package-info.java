/** Preprocessing as data (crop, resize, normalisation, channel order, layout) and its one implementation. Imports no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j), no picocli, no lambda. */
package dev.clothes.inference.preprocess;
