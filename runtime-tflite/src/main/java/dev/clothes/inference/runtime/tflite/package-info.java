/** The TensorFlow Lite engine (JavaCPP, a pool of interpreters), registered as {@code tflite}, and stock {@code .tflite} files wrapped as bundles. Imports only inference-core of the project: no other engine, no CLI, no lambda. */
package dev.clothes.inference.runtime.tflite;
