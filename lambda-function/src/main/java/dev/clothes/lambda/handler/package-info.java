/** The Lambda function: API Gateway REST v1, HTTP API v2 and direct events to predictions or an error status. Imports no lambda.local, no picocli, no cli, no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j). */
package dev.clothes.lambda.handler;
