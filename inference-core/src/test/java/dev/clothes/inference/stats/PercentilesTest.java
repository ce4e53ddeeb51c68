package dev.clothes.inference.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PercentilesTest {

    @Test
    void nearestRankOnUnsortedValues() {
        double[] values = {5, 1, 4, 2, 3};
        Percentiles p = Percentiles.of(values);
        assertThat(p.median()).isEqualTo(3);
        assertThat(p.at(0.2)).isEqualTo(1);
        assertThat(p.at(0.21)).isEqualTo(2);
        assertThat(p.at(0.95)).isEqualTo(5);
        assertThat(p.at(1)).isEqualTo(5);
        assertThat(p.count()).isEqualTo(5);
        assertThat(values).containsExactly(5, 1, 4, 2, 3);
    }

    @Test
    void theMedianOfAnEvenCountIsTheLowerMiddleValue() {
        assertThat(Percentiles.of(4, 1, 3, 2).median()).isEqualTo(2);
        assertThat(Percentiles.of(7).median()).isEqualTo(7);
    }

    @Test
    void p99OfAHundredValuesIsTheNinetyNinth() {
        double[] values = new double[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = i + 1;
        }
        assertThat(Percentiles.of(values).at(0.99)).isEqualTo(99);
        assertThat(Percentiles.of(values).at(0.5)).isEqualTo(50);
    }

    @Test
    void refusesNoValuesAndFractionsOutsideTheRange() {
        assertThatThrownBy(Percentiles::of).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
        Percentiles p = Percentiles.of(1, 2);
        assertThatThrownBy(() -> p.at(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0.0");
        assertThatThrownBy(() -> p.at(95)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 95.0");
        assertThatThrownBy(() -> p.at(Double.NaN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }
}
