/** Benchmarks of the job: throughput against plain loops, TFLite batch sizes, a standalone cluster against local mode. */
package dev.clothes.batch.bench;
