/** A DL4J ComputationGraph to the intermediate graph: batch norm folded, activations fused, weights in TFLite layouts. Imports {@code graphexport.ir}, {@code inference.error}; never {@code tflite}, {@code onnxruntime}. */
package dev.clothes.graphexport.dl4j;
