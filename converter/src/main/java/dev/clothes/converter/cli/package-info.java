/** The {@code convert} command: options to the exporter, user errors as one line. Imports {@code converter.export}, {@code graphexport.tflite}, {@code evaluation.dataset}, {@code inference.bundle}, {@code cli}. */
package dev.clothes.converter.cli;
