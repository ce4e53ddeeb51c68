/** The {@code benchmark} command: one subcommand per benchmark, chosen with {@code -Dbenchmark=NAME}. Imports {@code benchmarks.lambda}, {@code cli}. */
package dev.clothes.benchmarks;
