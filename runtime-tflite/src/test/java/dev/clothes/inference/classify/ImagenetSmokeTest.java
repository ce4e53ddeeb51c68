package dev.clothes.inference.classify;

import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.runtime.tflite.TfliteBundles;
import dev.clothes.testing.Shared;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Stock ImageNet models, bundled and reloaded from disk, must see the cat. */
class ImagenetSmokeTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v2_1.0_224_quant.tflite", "tf2_mobilenet_v2_1.0_224_ptq.tflite"})
    void catIsRankedFirst(String model) throws Exception {
        Path dir = tmp.resolve("bundle");
        TfliteBundles.wrap(Shared.imagenet(model), Shared.imagenetLabels()).writeTo(dir);

        try (Classifier classifier = Classifier.open(dir, ClassifierOptions.DEFAULT)) {
            Classification result = classifier.classify(Shared.read(Shared.imagenet("cat_720p.jpg")), 5);

            assertThat(result.top().label()).containsAnyOf("tabby", "tiger cat", "Egyptian cat");
            assertThat(result.top().score()).isGreaterThan(0.2f);
            assertThat(result.predictions()).hasSize(5).isSortedAccordingTo(
                    (a, b) -> Float.compare(b.score(), a.score()));
            System.out.println(model + ": " + result.predictions());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v2_1.0_224_quant.tflite"})
    void zipFormClassifiesTheSame(String model) throws Exception {
        ModelBundle bundle = TfliteBundles.wrap(Shared.imagenet(model), Shared.imagenetLabels());
        bundle.writeTo(tmp.resolve("dir"));
        bundle.writeZip(tmp.resolve("bundle.zip"));
        byte[] cat = Shared.read(Shared.imagenet("cat_720p.jpg"));
        try (Classifier fromDir = Classifier.open(tmp.resolve("dir"), ClassifierOptions.DEFAULT);
             Classifier fromZip = Classifier.open(tmp.resolve("bundle.zip"), ClassifierOptions.DEFAULT)) {
            assertThat(fromZip.classify(cat, 3).predictions()).isEqualTo(fromDir.classify(cat, 3).predictions());
        }
    }
}
