package dev.clothes.trainer.backbone;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackbonesTest {

    @Test
    void mapsEachIdToItsArchitectureAndDefaultWeights() {
        assertThat(Backbones.ids()).containsExactly("mobilenet-v2", "mobilenet-edgetpu", "inception-v3", "resnet50", "vgg16", "xception");
        assertThat(Backbones.byId("mobilenet-v2").inputSize()).isEqualTo(224);
        assertThat(Backbones.byId("mobilenet-v2").builder().get()).isInstanceOf(MobileNetV2.class);
        assertThat(Backbones.byId("mobilenet-v2").defaultWeights().fileName())
                .isEqualTo("tf2_mobilenet_v2_1.0_224_ptq.tflite");
        assertThat(Backbones.byId("inception-v3").inputSize()).isEqualTo(299);
        assertThat(Backbones.byId("inception-v3").defaultWeights())
                .isEqualTo(new Backbones.Download(WeightsSource.KERAS_INCEPTION_V3_NOTOP));
    }

    @Test
    void anUnknownIdListsTheKnownOnes() {
        assertThatThrownBy(() -> Backbones.byId("vgg19")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vgg19").hasMessageContaining("mobilenet-v2, mobilenet-edgetpu, inception-v3, resnet50, vgg16, xception");
    }
}
