/** Image bytes to upright RGB: JPEG, PNG, GIF, BMP and WebP decoding, EXIF orientation, budgets checked before decoding. Imports no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j), no picocli, no lambda. */
package dev.clothes.inference.image;
