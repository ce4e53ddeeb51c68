/** Summary statistics of measured timings (percentiles). Imports nothing of the project. */
package dev.clothes.inference.stats;
