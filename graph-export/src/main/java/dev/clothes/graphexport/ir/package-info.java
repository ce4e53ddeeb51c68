/** The intermediate graph (NHWC ops, padding, fused activations) the importer writes and the writers read. Imports nothing of the project; never {@code dl4j}, {@code tflite}, {@code onnxruntime}. */
package dev.clothes.graphexport.ir;
