package dev.clothes.trainer.ood;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SharedCovarianceTest {

    @Test
    void theStoredPrecisionInvertsTheShrunkCovarianceEvenWithFewerImagesThanDimensions() {
        Random random = new Random(3);
        int n = 12;
        int d = 20; // more dimensions than images: the raw covariance is singular
        float[][] x = new float[n][d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) (random.nextGaussian() + (labels[i] == 1 && j == 0 ? 5 : 0));
            }
        }
        SharedCovariance fit = SharedCovariance.fit(x, labels, 2);
        assertThat(fit.shrinkage()).isBetween(0.0, 1.0);
        assertThat(fit.means()[1][0]).isGreaterThan(fit.means()[0][0] + 3);
        assertThat(fit.precision()).hasDimensions(d, d);
        for (int i = 0; i < d; i++) {
            assertThat(fit.precision()[i][i]).isPositive();
            for (int j = 0; j < d; j++) {
                assertThat(fit.precision()[i][j]).isCloseTo(fit.precision()[j][i], within(1e-4f));
            }
        }
    }

    @Test
    void inverseOfAKnownMatrix() {
        double[][] a = {{4, 2}, {2, 3}};
        double[][] inv = SharedCovariance.inverse(a);
        // det 8: inverse (1/8) [[3, -2], [-2, 4]]
        assertThat(inv[0][0]).isCloseTo(3 / 8.0, within(1e-12));
        assertThat(inv[0][1]).isCloseTo(-2 / 8.0, within(1e-12));
        assertThat(inv[1][1]).isCloseTo(4 / 8.0, within(1e-12));
        assertThatThrownBy(() -> SharedCovariance.inverse(new double[][] {{1, 2}, {2, 1}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not positive definite");
    }
}
