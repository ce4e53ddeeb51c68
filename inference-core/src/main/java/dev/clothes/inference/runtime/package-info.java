/** The engine seam: a loaded model, providers found with ServiceLoader, (de)quantization, runtime options. Imports {@code inference.bundle}, {@code inference.preprocess}. */
package dev.clothes.inference.runtime;
