/** The engine seam: a loaded model, providers found with ServiceLoader, (de)quantization, runtime options. Imports no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j), no picocli, no lambda. */
package dev.clothes.inference.runtime;
