package dev.clothes.trainer.train;

import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classification;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.testing.Shared;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Two classes, a handful of real images, two epochs: the whole pipeline down to a loadable bundle. */
class TinyTrainingRunTest {

    @TempDir
    Path tmp;

    private Path tinyDataset() throws Exception {
        Path root = tmp.resolve("data");
        int[] perSplit = {6, 3, 3};
        for (int s = 0; s < 3; s++) {
            String split = List.of("train", "validation", "test").get(s);
            for (String label : List.of("shoes", "shorts")) {
                Path target = Files.createDirectories(root.resolve(split).resolve(label));
                try (Stream<Path> files = Files.list(Shared.dataset().resolve(split).resolve(label))) {
                    for (Path f : files.sorted().limit(perSplit[s]).toList()) {
                        Files.copy(f, target.resolve(f.getFileName()));
                    }
                }
            }
        }
        // An unreadable file must be skipped and listed, not end the run.
        Files.write(root.resolve("train/shoes/zz-broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        return root;
    }

    @Test
    void trainsWritesAndServesABundle() throws Exception {
        Path data = tinyDataset();
        Path out = tmp.resolve("run");
        HeadConfig head = new HeadConfig(0, 0.2, 1e-3, 1e-4, 4, 2, 5, true, 3, 0);
        TrainOptions options = TrainOptions.builder(data, out)
                .backbone("mobilenet-v2", Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"))
                .variants(2).head(head).cache(tmp.resolve("cache")).build();
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        TrainingRun.Result result = TrainingRun.run(options, new PrintStream(log, true));
        assertThat(log.toString()).contains("skipped").contains("zz-broken.jpg");

        assertThat(result.state().history()).hasSize(2);
        assertThat(result.test().count()).isEqualTo(6);
        assertThat(out.resolve("training-curves.png")).isNotEmptyFile();
        assertThat(out.resolve("confusion-matrix.png")).isNotEmptyFile();
        assertThat(out.resolve("evaluation-test.md")).content().contains("test split: 6 images");

        ModelBundle bundle = ModelBundle.load(result.bundle());
        assertThat(bundle.manifest().runtime()).isEqualTo("dl4j");
        assertThat(bundle.labels()).containsExactly("shoes", "shorts");
        assertThat(bundle.manifest().provenance().baseWeightsSha256())
                .isEqualTo("7aad0c74c5e3c06e5eb3c827e13304fdd68a83da6087d92ee169c24ff9fd4776");
        assertThat(bundle.metrics().orElseThrow().get("testAccuracy").asDouble()).isEqualTo(result.test().accuracy());
        assertThat(Files.list(tmp.resolve("cache")).count()).isPositive();

        Path image;
        try (Stream<Path> files = Files.list(data.resolve("test/shoes"))) {
            image = files.sorted().findFirst().orElseThrow();
        }
        try (Classifier classifier = Classifier.open(result.bundle(), ClassifierOptions.DEFAULT)) {
            Classification c = classifier.classify(Files.readAllBytes(image), 2);
            assertThat(c.predictions()).extracting(p -> p.label()).containsExactlyInAnyOrder("shoes", "shorts");
            assertThat(c.top().score() + c.predictions().get(1).score()).isCloseTo(1f,
                    org.assertj.core.data.Offset.offset(1e-4f));

            // A batched forward pass gives what single images give.
            var decoded = classifier.decoder().decode(Files.readAllBytes(image));
            var other = classifier.decoder().decode(Files.readAllBytes(data.resolve("test/shorts").toFile()
                    .listFiles()[0].toPath()));
            float[][] batch = classifier.probabilities(List.of(decoded, other));
            assertThat(batch[0]).containsExactly(classifier.probabilities(decoded), org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(batch[1]).containsExactly(classifier.probabilities(other), org.assertj.core.data.Offset.offset(1e-5f));
        }
    }
}
