/** Summary statistics of measured timings (percentiles); plain Java, imports nothing of this project. */
package dev.clothes.inference.stats;
