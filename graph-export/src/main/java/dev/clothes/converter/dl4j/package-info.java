/** A DL4J ComputationGraph to the intermediate graph: batch norm folded, activations fused, weights in TFLite layouts. Imports {@code converter.ir}, {@code inference.error}; never {@code tflite}, {@code onnxruntime}. */
package dev.clothes.converter.dl4j;
