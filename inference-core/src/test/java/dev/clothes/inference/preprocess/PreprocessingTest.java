package dev.clothes.inference.preprocess;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreprocessingTest {

    private static final Preprocessing BASE = Preprocessing.minusOneToOne(224);

    @Test
    void textWithoutTestTimeAugmentationIsWhatItWasBeforeTheField() {
        // The trainer's feature cache keys hold this text: a new field must not change it for the old values.
        assertThat(Preprocessing.minusOneToOne(224).withLayout(TensorLayout.NCHW).toString()).isEqualTo(
                "Preprocessing[width=224, height=224, resize=BILINEAR, crop=STRETCH, cropFraction=1.0, "
                        + "normalization=Normalization[mean=[127.5, 127.5, 127.5], std=[127.5, 127.5, 127.5]], "
                        + "channelOrder=RGB, layout=NCHW, decode=REDUCED]");
        assertThat(Preprocessing.minusOneToOne(224).withTta(TestTimeAugmentation.FLIP).toString())
                .endsWith("decode=REDUCED, tta=FLIP]");
    }

    @Test
    void eachWithChangesOnlyItsOwnFields() {
        assertThat(BASE.withSize(320, 240)).isEqualTo(new Preprocessing(320, 240, ResizeMethod.BILINEAR,
                CropMode.STRETCH, 1.0, Normalization.MINUS_ONE_TO_ONE, ChannelOrder.RGB, TensorLayout.NHWC, DecodeSize.REDUCED));
        assertThat(BASE.withLayout(TensorLayout.NCHW)).isEqualTo(new Preprocessing(224, 224, ResizeMethod.BILINEAR,
                CropMode.STRETCH, 1.0, Normalization.MINUS_ONE_TO_ONE, ChannelOrder.RGB, TensorLayout.NCHW, DecodeSize.REDUCED));
        assertThat(BASE.withCrop(CropMode.CENTER, 0.875)).isEqualTo(new Preprocessing(224, 224, ResizeMethod.BILINEAR,
                CropMode.CENTER, 0.875, Normalization.MINUS_ONE_TO_ONE, ChannelOrder.RGB, TensorLayout.NHWC, DecodeSize.REDUCED));
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

    @Test
    void reducedDecodingKeepsAtLeastTheInputSize() {
        // 2400x1350 to 224x224: 1/4 leaves 600x338, 1/8 would leave 300x169 (< 224 high).
        assertThat(BASE.decodeScale().factor(2400, 1350)).isEqualTo(4);
        assertThat(BASE.decodeScale().factor(448, 448)).isEqualTo(2);
        assertThat(BASE.decodeScale().factor(447, 448)).isEqualTo(2); // 224 after rounding up
        assertThat(BASE.decodeScale().factor(400, 534)).isEqualTo(1); // the dataset's photos
        assertThat(BASE.decodeScale().factor(100_000, 100_000)).isEqualTo(8);
        // A centre crop of 50 % needs twice the pixels.
        assertThat(BASE.withCrop(CropMode.CENTER, 0.5).decodeScale().factor(2400, 1350)).isEqualTo(2);
        assertThat(BASE.withDecode(DecodeSize.FULL).decodeScale().factor(2400, 1350)).isEqualTo(1);
    }

    @Test
    void aBundleWithoutTheDecodeFieldDecodesFully() throws Exception {
        var mapper = dev.clothes.inference.json.Json.mapper();
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.valueToTree(BASE);
        assertThat(tree.get("decode").asText()).isEqualTo("REDUCED");
        tree.remove("decode");
        Preprocessing old = mapper.treeToValue(tree, Preprocessing.class);
        assertThat(old).isEqualTo(BASE.withDecode(DecodeSize.FULL));
    }
}
