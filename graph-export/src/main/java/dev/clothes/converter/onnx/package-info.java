/** The intermediate graph to an ONNX model (opset 13, NCHW). Imports {@code converter.ir}, {@code converter.onnx.proto}; never {@code dl4j}, {@code tflite}. */
package dev.clothes.converter.onnx;
