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

    /**
     * A 95 % interval for {@link #auroc}: the 2.5th and 97.5th percentiles over {@code reps} bootstrap
     * resamples, each set drawn with replacement on its own (percentile bootstrap; seeded, so reports repeat).
     */
    public static double[] aurocInterval(double[] in, double[] out, int reps, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        double[] aurocs = new double[reps];
        double[] a = new double[in.length];
        double[] b = new double[out.length];
        for (int r = 0; r < reps; r++) {
            for (int i = 0; i < a.length; i++) {
                a[i] = in[random.nextInt(in.length)];
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = out[random.nextInt(out.length)];
            }
            aurocs[r] = auroc(a, b);
        }
        Percentiles p = Percentiles.of(aurocs);
        return new double[] {p.at(0.025), p.at(0.975)};
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
