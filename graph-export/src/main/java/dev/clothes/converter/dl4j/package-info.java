/** A DL4J ComputationGraph to the intermediate graph (batch norm folded, activations fused, weights in TFLite layouts) and the intermediate graph back to DL4J layers. Imports no trainer, no writer (tflite, onnx), no CLI. */
package dev.clothes.converter.dl4j;
