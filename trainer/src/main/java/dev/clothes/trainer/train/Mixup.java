package dev.clothes.trainer.train;

import java.util.SplittableRandom;

/** Sampling the mixup weight: Beta(alpha, alpha) as G1 / (G1 + G2) of two Gamma(alpha) draws. */
final class Mixup {

    private Mixup() {
    }

    static double beta(SplittableRandom random, double alpha) {
        double a = gamma(random, alpha);
        double b = gamma(random, alpha);
        return a + b == 0 ? 0.5 : a / (a + b);
    }

    /** Marsaglia and Tsang's method; below 1, Gamma(alpha + 1) * U^(1 / alpha). */
    static double gamma(SplittableRandom random, double alpha) {
        if (alpha < 1) {
            return gamma(random, alpha + 1) * Math.pow(random.nextDouble(), 1 / alpha);
        }
        double d = alpha - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = gaussian(random);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble(); // (0, 1]
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
