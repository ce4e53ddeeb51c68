/** What the machine was doing while a benchmark ran (its load average), recorded beside every figure. Imports nothing of the project. */
package dev.clothes.benchmarks.machine;
