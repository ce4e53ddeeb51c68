/** Fetching an image URL safely: address policy (public addresses only), limits, redirects by hand, a GET to the checked address. Imports no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j), no picocli, no lambda. */
package dev.clothes.inference.fetch;
