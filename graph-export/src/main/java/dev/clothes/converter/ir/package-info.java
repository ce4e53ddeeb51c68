/** The intermediate graph (NHWC ops, padding, fused activations) the importer writes and the writers read. Imports no other package of the project and no DL4J, TFLite or ONNX library. */
package dev.clothes.converter.ir;
