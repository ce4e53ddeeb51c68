/** A trained bundle's graph, once in the intermediate form, as a TFLite or ONNX serving bundle (manifest, labels, scorers). Imports {@code graphexport.ir}, {@code graphexport.onnx}, {@code graphexport.tflite}, {@code inference.bundle}, {@code inference.preprocess}; never {@code picocli}. */
package dev.clothes.graphexport.bundle;
