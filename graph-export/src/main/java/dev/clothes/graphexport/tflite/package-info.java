/** The intermediate graph to a builtin-ops {@code .tflite} flatbuffer with float32, float16 or int8 weights. Imports {@code graphexport.ir}; never {@code dl4j}, {@code onnxruntime}. */
package dev.clothes.graphexport.tflite;
