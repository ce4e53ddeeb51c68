/** The {@code convert} command: options to the exporter, user errors as one line. Imports {@code cli}, {@code converter.export}, {@code evaluation.dataset}, {@code graphexport.tflite}, {@code inference.bundle}, {@code inference.preprocess}. */
package dev.clothes.converter.cli;
