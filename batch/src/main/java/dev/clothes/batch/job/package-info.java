/** The Spark job: options, the per-executor classifier, scoring a partition in batches, the run summary. Imports {@code batch.input}, {@code batch.output}, {@code inference.bundle}, {@code inference.classify}, {@code inference.error}, {@code inference.image}, {@code inference.ood}, {@code inference.runtime}; never {@code picocli}. */
package dev.clothes.batch.job;
