package dev.clothes.inference.runtime.tflite;

import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.classify.Scores;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.Preprocessor;
import dev.clothes.inference.preprocess.TestTimeAugmentation;
import dev.clothes.inference.runtime.ModelOutputs;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.testing.Shared;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code preprocessing.tta: FLIP} is exactly the average of two model calls made by hand, the input and its mirror. */
class TestTimeFlipTest {

    @TempDir
    Path tmp;

    @Test
    void flipIsBitIdenticalToAveragingTwoCallsByHand() throws Exception {
        ModelBundle plain = TfliteBundles.wrap(Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"), Shared.imagenetLabels());
        Preprocessing p = plain.manifest().preprocessing();
        assertThat(p.tta()).isEqualTo(TestTimeAugmentation.NONE);
        ModelBundle flip = plain.withManifest(plain.manifest().withPreprocessing(p.withTta(TestTimeAugmentation.FLIP)));
        flip.writeTo(tmp.resolve("flip"));
        ModelBundle reloaded = ModelBundle.load(tmp.resolve("flip"));
        assertThat(reloaded.manifest().preprocessing().tta()).isEqualTo(TestTimeAugmentation.FLIP);

        RgbImage cat = new ImageDecoder().decode(Shared.read(Shared.imagenet("cat_720p.jpg")), p.decodeScale());
        Preprocessor preprocessor = new Preprocessor(p);
        float[] expected;
        try (TfliteRuntime runtime = TfliteRuntime.open(plain, new RuntimeOptions(1, 1))) {
            float[] input = preprocessor.apply(cat);
            ModelOutputs a = runtime.infer(input);
            ModelOutputs b = runtime.infer(preprocessor.mirror(input));
            float[] mean = new float[a.scores().length];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (a.scores()[i] + b.scores()[i]) * 0.5f;
            }
            expected = Scores.probabilities(mean, plain.manifest().postprocessing());
            assertThat(b.scores()).as("the mirror is another view").isNotEqualTo(a.scores());
        }
        try (Classifier classifier = Classifier.open(tmp.resolve("flip"), ClassifierOptions.DEFAULT)) {
            assertThat(classifier.classify(cat, 5).probabilities()).containsExactly(expected);
            assertThat(classifier.probabilities(cat)).containsExactly(expected);
            assertThat(classifier.probabilities(List.of(cat, cat))[1]).containsExactly(expected);
        }
    }

    @Test
    void mirrorFlipsTheTensorLeftToRightInEitherLayout() {
        RgbImage image = new ImageDecoder().decode(Shared.read(Shared.imagenet("cat_720p.jpg")));
        byte[] flipped = new byte[image.pixels().length];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                System.arraycopy(image.pixels(), (y * image.width() + image.width() - 1 - x) * 3, flipped,
                        (y * image.width() + x) * 3, 3);
            }
        }
        RgbImage mirrorImage = new RgbImage(image.width(), image.height(), flipped);
        for (var layout : dev.clothes.inference.preprocess.TensorLayout.values()) {
            Preprocessor preprocessor = new Preprocessor(Preprocessing.minusOneToOne(224).withLayout(layout));
            float[] input = preprocessor.apply(image);
            assertThat(preprocessor.mirror(preprocessor.mirror(input))).containsExactly(input);
            // The mirrored tensor is the tensor of the mirrored photo, to float rounding of the resize weights.
            float[] ofMirror = preprocessor.apply(mirrorImage);
            float[] mirrored = preprocessor.mirror(input);
            double max = 0;
            for (int i = 0; i < input.length; i++) {
                max = Math.max(max, Math.abs(mirrored[i] - ofMirror[i]));
            }
            assertThat(max).as(layout.name()).isLessThan(1e-4);
        }
    }
}
