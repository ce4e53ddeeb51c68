/** The function package benchmark (moves to the benchmarks module). Imports {@code inference.bundle}, {@code inference.json}, {@code inference.stats}, {@code lambda.deploy}, {@code lambda.local}. */
package dev.clothes.lambda.bench;
