/** The {@code walkthrough} command and what its three walkthroughs share: report output, child-JVM settings, number formats. Imports no runtime engine (runtime.tflite, runtime.onnx, runtime.dl4j). */
package dev.clothes.notebooks;
