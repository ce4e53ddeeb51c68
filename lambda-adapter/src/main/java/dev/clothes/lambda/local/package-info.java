/** The function run locally as deployed: HTTP to API Gateway events, the Lambda sandbox, the Runtime API emulator and {@code serve}. Imports no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j), no trainer, no converter. */
package dev.clothes.lambda.local;
