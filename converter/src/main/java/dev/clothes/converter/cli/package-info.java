/** The {@code convert} command: options to the exporter, user errors as one line. Imports no trainer. */
package dev.clothes.converter.cli;
