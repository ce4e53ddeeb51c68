/** Walkthrough 2: the trained bundle converted to every serving variant, compared on size, latency and accuracy. Imports no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j), no lambda. */
package dev.clothes.notebooks.conversion;
