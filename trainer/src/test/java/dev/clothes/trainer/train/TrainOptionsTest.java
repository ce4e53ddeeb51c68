package dev.clothes.trainer.train;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainOptionsTest {

    private static final TrainOptions DEFAULTS = TrainOptions.builder(Path.of("data"), Path.of("out"))
            .cache(Path.of("cache")).build();

    @Test
    void defaultsAreTheDocumentedRun() {
        assertThat(DEFAULTS.backbone()).isEqualTo("mobilenet-v2+mobilenet-edgetpu");
        assertThat(DEFAULTS.weights()).isNull();
        assertThat(DEFAULTS.variants()).isEqualTo(3);
        assertThat(DEFAULTS.tta()).isEqualTo(dev.clothes.inference.preprocess.TestTimeAugmentation.NONE);
        assertThat(TrainOptions.OUT).isEqualTo("runs/mobilenet-v2");
        assertThat(DEFAULTS.head()).isEqualTo(new HeadConfig(128, 0.3, 5e-4, 1e-4, 32, 40, 8, true, 42, 0.1));
        assertThat(DEFAULTS.fineTune()).isEqualTo(FineTuneConfig.OFF);
        assertThat(DEFAULTS.augmentSeed()).isEqualTo(42);
        assertThat(DEFAULTS.evaluateTest()).isTrue();
        assertThat(DEFAULTS.resume()).isFalse();
    }

    @Test
    void badValuesFailOnConstructionNamingTheValue() {
        assertThatThrownBy(() -> DEFAULTS.toBuilder().backbone("resnet-50", null).build())
                .hasMessage("unknown backbone 'resnet-50'; known: mobilenet-v2, mobilenet-edgetpu, inception-v3, resnet50, vgg16, xception");
        assertThatThrownBy(() -> DEFAULTS.toBuilder().variants(0).build()).hasMessageContaining("not 0");
        assertThatThrownBy(() -> DEFAULTS.toBuilder().workers(-1).build()).hasMessageContaining("not -1");
        assertThatThrownBy(() -> new HeadConfig(0, 1.0, 1e-3, 0, 4, 2, 2, true, 1, 0)).hasMessageContaining("not 1.0");
        assertThatThrownBy(() -> new HeadConfig(0, 0.2, 0, 0, 4, 2, 2, true, 1, 0)).hasMessageContaining("not 0.0");
        assertThatThrownBy(() -> new HeadConfig(0, 0.2, 1e-3, 0, 0, 2, 2, true, 1, 0)).hasMessageContaining("not 0");
        assertThatThrownBy(() -> new HeadConfig(0, 0.2, 1e-3, 0, 4, 0, 2, true, 1, 0)).hasMessageContaining("epochs");
        assertThatThrownBy(() -> new HeadConfig(0, 0.2, 1e-3, 0, 4, 2, 2, true, 1, 1.0))
                .hasMessage("label smoothing must be in [0, 1), not 1.0");
        assertThatThrownBy(() -> new FineTuneConfig(" ", 1e-4, 1, 1, 1)).hasMessageContaining("not ' '");
        assertThatThrownBy(() -> new FineTuneConfig(null, 1e-4, -1, 1, 1)).hasMessageContaining("not -1");
        assertThatThrownBy(() -> new FineTuneConfig(null, 1e-4, 1, 1, 0)).hasMessageContaining("not 0");
    }
}
