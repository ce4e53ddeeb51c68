/** The intermediate graph to an ONNX model (opset 13, NCHW). Imports the intermediate graph and the generated ONNX protos only: no DL4J, no TFLite, no trainer. */
package dev.clothes.converter.onnx;
