/** The Spark job: options, the per-executor classifier, scoring a partition in batches, the run summary. Imports no picocli. */
package dev.clothes.batch.job;
