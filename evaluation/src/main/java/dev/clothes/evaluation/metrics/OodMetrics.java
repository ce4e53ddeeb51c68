package dev.clothes.evaluation.metrics;

import dev.clothes.inference.stats.Percentiles;

import java.util.Arrays;

/**
 * How well a score separates images of the classes (in-distribution) from images of none of them:
 * higher scores are meant for the latter.
 */
public final class OodMetrics {

    /** The share of in-distribution images a threshold keeps: the usual operating point. */
    public static final double TPR = 0.95;

    private OodMetrics() {
    }

    /**
     * Area under the ROC curve: the probability that an out-of-distribution image scores higher
     * than an in-distribution one (ties count half). 0.5 is chance, 1 a perfect separation.
     */
    public static double auroc(double[] in, double[] out) {
        if (in.length == 0 || out.length == 0) {
            throw new IllegalArgumentException("AUROC needs both kinds of images, got " + in.length + " and "
                    + out.length);
        }
        double[] sortedIn = in.clone();
        Arrays.sort(sortedIn);
        double wins = 0;
        for (double o : out) {
            int below = lowerBound(sortedIn, o);
            int atOrBelow = upperBound(sortedIn, o);
            wins += below + 0.5 * (atOrBelow - below);
        }
        return wins / ((double) in.length * out.length);
    }

    /** The threshold that keeps {@link #TPR} of in-distribution images (their score at or below it). */
    public static double thresholdAt95Tpr(double[] in) {
        return Percentiles.of(in).at(TPR);
    }

    /** The share of out-of-distribution images that the 95 %-TPR threshold still keeps (lower is better). */
    public static double fprAt95Tpr(double[] in, double[] out) {
        double threshold = thresholdAt95Tpr(in);
        return (double) Arrays.stream(out).filter(o -> o <= threshold).count() / out.length;
    }

    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
