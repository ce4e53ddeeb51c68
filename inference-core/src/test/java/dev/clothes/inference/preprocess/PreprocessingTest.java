package dev.clothes.inference.preprocess;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreprocessingTest {

    private static final Preprocessing BASE = Preprocessing.minusOneToOne(224);

    @Test
    void eachWithChangesOnlyItsOwnFields() {
        assertThat(BASE.withSize(320, 240)).isEqualTo(new Preprocessing(320, 240, ResizeMethod.BILINEAR,
                CropMode.STRETCH, 1.0, Normalization.MINUS_ONE_TO_ONE, ChannelOrder.RGB, TensorLayout.NHWC));
        assertThat(BASE.withLayout(TensorLayout.NCHW)).isEqualTo(new Preprocessing(224, 224, ResizeMethod.BILINEAR,
                CropMode.STRETCH, 1.0, Normalization.MINUS_ONE_TO_ONE, ChannelOrder.RGB, TensorLayout.NCHW));
        assertThat(BASE.withCrop(CropMode.CENTER, 0.875)).isEqualTo(new Preprocessing(224, 224, ResizeMethod.BILINEAR,
                CropMode.CENTER, 0.875, Normalization.MINUS_ONE_TO_ONE, ChannelOrder.RGB, TensorLayout.NHWC));
        assertThat(BASE.withSize(320, 240).tensorShape()).containsExactly(1, 240, 320, 3);
    }

    @Test
    void withStillValidates() {
        assertThatThrownBy(() -> BASE.withSize(0, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x10");
        assertThatThrownBy(() -> BASE.withCrop(CropMode.CENTER, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0.0");
        assertThatThrownBy(() -> BASE.withLayout(null)).isInstanceOf(NullPointerException.class);
    }
}
