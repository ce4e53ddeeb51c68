/** The intermediate graph to a builtin-ops {@code .tflite} flatbuffer with float32, float16 or int8 weights, and a {@code .tflite} file of standard ops back to the intermediate graph. Imports only the intermediate graph of the project: no DL4J, no ONNX, no trainer. */
package dev.clothes.converter.tflite;
