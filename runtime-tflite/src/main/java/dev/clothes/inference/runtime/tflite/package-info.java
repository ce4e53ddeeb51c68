/** The TensorFlow Lite engine (JavaCPP, a pool of interpreters), registered as {@code tflite}, and stock {@code .tflite} files wrapped as bundles. Imports {@code inference.bundle}, {@code inference.preprocess}, {@code inference.runtime}. */
package dev.clothes.inference.runtime.tflite;
