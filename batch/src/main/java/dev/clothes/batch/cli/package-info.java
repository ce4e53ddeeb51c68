/** The {@code score} command line (picocli) for exec:java and spark-submit. Imports {@code batch.input}, {@code batch.job}, {@code batch.output}, {@code cli}. */
package dev.clothes.batch.cli;
