/** A trained bundle to serving bundles (TFLite, ONNX): variants, the exporter, parity with the source, the conversion report. Imports no trainer, no CLI. */
package dev.clothes.converter.export;
