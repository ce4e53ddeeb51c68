package dev.clothes.trainer.train;

import java.util.Arrays;

/**
 * Mean of a few runs (seeds) with its 95 % confidence interval from Student's t: mean +- t(0.975, n - 1) * sd /
 * sqrt(n), the spread of the mean if the runs were repeated, not of one run.
 */
public record MeanInterval(int n, double mean, double sd, double halfWidth, double min, double max) {

    /** t(0.975, df) for df = 1..30; beyond, the normal's 1.96 is within 4 %. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
        2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052,
        2.048, 2.045, 2.042};

    public static MeanInterval of(double[] values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("no values");
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        double sd = n < 2 ? 0 : Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (n - 1));
        double t = n < 2 ? Double.NaN : n - 1 <= T975.length ? T975[n - 2] : 1.96;
        return new MeanInterval(n, mean, sd, n < 2 ? Double.NaN : t * sd / Math.sqrt(n),
                Arrays.stream(values).min().orElseThrow(), Arrays.stream(values).max().orElseThrow());
    }

    public double low() {
        return mean - halfWidth;
    }

    public double high() {
        return mean + halfWidth;
    }
}
