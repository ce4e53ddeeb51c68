/** The intermediate graph to an ONNX model (opset 13, NCHW). Imports {@code graphexport.ir}, {@code graphexport.onnx.proto}; never {@code dl4j}, {@code tflite}. */
package dev.clothes.graphexport.onnx;
