/** Walkthrough 3: the converted model served on the local endpoint and through the handler, called as the reference README does. Imports no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j), no trainer, no converter. */
package dev.clothes.notebooks.deployment;
