/** The {@code benchmark} command: one subcommand per benchmark, chosen with {@code -Dbenchmark=NAME}. Imports {@code benchmarks.batch}, {@code benchmarks.lambda}, {@code benchmarks.training}, {@code cli}. */
package dev.clothes.benchmarks;
