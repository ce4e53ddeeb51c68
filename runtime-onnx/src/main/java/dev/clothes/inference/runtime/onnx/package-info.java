/** The ONNX Runtime engine (CPU, float32 models), registered as {@code onnx}. Imports only inference-core of the project: no other engine, no CLI, no lambda. */
package dev.clothes.inference.runtime.onnx;
