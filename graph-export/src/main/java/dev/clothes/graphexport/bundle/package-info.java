/** A trained bundle's graph, once in the intermediate form, as a TFLite or ONNX serving bundle (manifest, labels, scorers). Imports the intermediate graph, the writers and inference-core's bundle; no DL4J runtime, no CLI. */
package dev.clothes.graphexport.bundle;
