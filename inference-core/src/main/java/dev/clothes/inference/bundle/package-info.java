/** The model bundle: manifest ({@code bundle.json}), tensor specs (the embedding among them), postprocessing, out-of-distribution scorers as data, provenance, model bytes, labels, checksums. Imports {@code inference.error}, {@code inference.json}, {@code inference.preprocess}. */
package dev.clothes.inference.bundle;
