/** The model bundle: manifest ({@code bundle.json}), tensor specs (the embedding among them), postprocessing, out-of-distribution scorers as data, provenance, model bytes, labels, checksums. Imports no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j), no picocli, no lambda. */
package dev.clothes.inference.bundle;
