/** The ONNX Runtime engine (CPU, float32 models), registered as {@code onnx}. Imports {@code inference.bundle}, {@code inference.runtime}. */
package dev.clothes.inference.runtime.onnx;
