package dev.clothes.trainer.train;

import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.testing.Shared;
import dev.clothes.trainer.augment.Augmentation;
import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.trainer.augment.Augmenter;
import dev.clothes.trainer.backbone.ConcatenatedBackbone;
import dev.clothes.trainer.backbone.PretrainedTrunk;
import dev.clothes.trainer.backbone.Trunks;
import dev.clothes.trainer.features.FeatureCache;
import dev.clothes.trainer.features.FeatureExtraction;
import dev.clothes.trainer.features.FeatureSet;
import dev.clothes.trainer.features.FeatureTrunk;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two trunks side by side (MobileNetV2 and MobileNet-EdgeTPU, each with its own input scaling) trained on
 * a tiny slice: one DL4J graph whose features are both trunks' concatenated, the feature cache keyed per
 * trunk (a run with one of the two computes nothing new), and the test split evaluated on the float32
 * TFLite conversion, which answers as the DL4J bundle does.
 */
class MultiTrunkTrainingTest {

    @TempDir
    Path tmp;

    @Test
    void twoTrunksTrainIntoOneGraphWithPerTrunkCache() throws Exception {
        Path data = Shared.tinyDataset(tmp.resolve("data"), List.of("shoes", "shorts"), 4, 2, 2);
        Path cache = tmp.resolve("cache");
        HeadConfig head = new HeadConfig(8, 0.2, 1e-3, 1e-4, 4, 2, 5, true, 3, 0);
        TrainOptions options = TrainOptions.builder(data, tmp.resolve("run")).backbone("mobilenet-v2+mobilenet-edgetpu", null)
                .variants(1).head(head).augmentation(Augmentation.NONE).cache(cache).build();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingRun.Result result = TrainingRun.run(options, new PrintStream(log, true));
        assertThat(log.toString()).contains("float32 TFLite");

        // 8 training + 4 validation images, one entry per trunk each.
        assertThat(cacheEntries(cache)).isEqualTo(2 * 12);
        ModelBundle bundle = ModelBundle.load(result.bundle());
        assertThat(bundle.manifest().name()).isEqualTo("clothes-mobilenet-v2+mobilenet-edgetpu");
        assertThat(bundle.manifest().embedding().shape()).containsExactly(1, 8);
        assertThat(bundle.manifest().provenance().source()).contains("tf2_mobilenet_v2_1.0_224_ptq.tflite + "
                + "mobilenet_edgetpu_224_1.0_uint8.tflite");

        // The DL4J bundle answers the test images as the TFLite conversion `train` evaluated with.
        try (Classifier dl4j = new Classifier(bundle, ClassifierOptions.DEFAULT)) {
            assertThat(result.test().predictions()).hasSize(4);
            for (var p : result.test().predictions().subList(0, 2)) {
                RgbImage image = dl4j.decode(Files.readAllBytes(data.resolve(p.file())));
                float[] probabilities = dl4j.probabilities(image);
                int predicted = bundle.labels().indexOf(p.predicted());
                assertThat(probabilities[predicted]).isCloseTo((float) p.confidence(),
                        org.assertj.core.data.Offset.offset(1e-4f));
            }
        }

        // One of the two trunks alone reads its features from the same cache: nothing new is computed.
        PretrainedTrunk edgetpu = Trunks.pretrained("mobilenet-edgetpu", null, new PrintStream(log)).parts().get(0);
        try (FeatureTrunk alone = FeatureTrunk.of(edgetpu, 1)) {
            FeatureSet features = new FeatureExtraction(List.of(alone), new FeatureCache(cache),
                    new Augmenter(Augmentation.NONE), options.augmentSeed(), 1)
                    .extract("train", ImageFolderDataset.open(data, List.of("train")).split("train"), 1,
                            new PrintStream(log));
            assertThat(features.features()[0]).hasSize(1280);
        }
        assertThat(cacheEntries(cache)).isEqualTo(2 * 12);
    }

    @Test
    void severalTrunksRefuseWhatTakesOne() {
        TrainOptions.Builder defaults = TrainOptions.builder(tmp, tmp);
        assertThatThrownBy(() -> defaults.backbone("mobilenet-v2+mobilenet-edgetpu", tmp.resolve("w.tflite")).build())
                .hasMessageContaining("--weights names one file");
        assertThatThrownBy(() -> defaults.backbone("mobilenet-v2+mobilenet-v2", null).build())
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> defaults.backbone("mobilenet-v2+nasnet", null).build())
                .hasMessageContaining("unknown backbone 'nasnet'");
        assertThatThrownBy(() -> defaults.backbone("mobilenet-v2+mobilenet-edgetpu", null)
                .fineTune(new FineTuneConfig(null, 1e-4, 2, 2, 1)).build()).hasMessageContaining("fine-tuning takes one trunk");
        assertThat(ConcatenatedBackbone.FEATURES).isEqualTo("concatenated_features");
    }

    private static long cacheEntries(Path cache) throws Exception {
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(f -> f.toString().endsWith(".f32")).count();
        }
    }
}
