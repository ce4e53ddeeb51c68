/** The {@code score} command line (picocli) for exec:java and spark-submit. */
package dev.clothes.batch.cli;
