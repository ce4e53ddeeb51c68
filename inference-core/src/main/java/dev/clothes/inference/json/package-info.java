/** The project's one Jackson configuration. Imports no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j), no picocli, no lambda. */
package dev.clothes.inference.json;
