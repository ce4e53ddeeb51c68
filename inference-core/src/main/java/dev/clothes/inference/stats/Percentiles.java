package dev.clothes.inference.stats;

import java.util.Arrays;

/**
 * Percentiles of a set of measurements by the nearest-rank rule: the smallest value with at least
 * a fraction {@code q} of the values at or below it. Always a measured value, never interpolated,
 * so every benchmark and report quotes a latency that actually happened.
 */
public final class Percentiles {

    private final double[] sorted;

    private Percentiles(double[] sorted) {
        this.sorted = sorted;
    }

    /** Sorts a copy; the caller's array is left as it is. */
    public static Percentiles of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("percentiles need at least one value, got 0");
        }
        double[] copy = values.clone();
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    /** @param q the fraction in (0, 1], e.g. 0.95 for p95 */
    public double at(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("a percentile fraction must be in (0, 1], got " + q);
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    public double median() {
        return at(0.5);
    }

    public int count() {
        return sorted.length;
    }
}
