package dev.clothes.inference.runtime.tflite;

import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classification;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.classify.Prediction;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.testing.Shared;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The uint8 MobileNetV2 used to crash the JVM inside gemmlowp after a while. The cause: JavaCPP
 * freed the model buffer on a garbage collection while an interpreter still read its weights from
 * it. These tests run many varied images through pooled interpreters while forcing collections;
 * with the buffer not owned by the runtime they die on the first {@code System.gc()}.
 */
class TfliteRuntimeStressTest {

    private static List<byte[]> datasetImages(int count) throws IOException {
        List<byte[]> images = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Shared.dataset().resolve("train"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".jpg")).sorted().limit(count).toList()) {
                images.add(Files.readAllBytes(p));
            }
        }
        return images;
    }

    @Test
    void survivesGarbageCollectionsAcrossPooledInterpretersAndThreadCounts() throws Exception {
        List<byte[]> images = datasetImages(48);
        ModelBundle bundle = TfliteBundles.wrap(Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"), Shared.imagenetLabels());
        for (RuntimeOptions options : List.of(new RuntimeOptions(1, 2), new RuntimeOptions(2, 1))) {
            try (Classifier classifier = new Classifier(bundle, ClassifierOptions.DEFAULT.withRuntime(options))) {
                ExecutorService pool = Executors.newFixedThreadPool(3);
                try {
                    List<Future<Prediction>> results = new ArrayList<>();
                    for (int i = 0; i < images.size(); i++) {
                        byte[] image = images.get(i);
                        boolean collect = i % 8 == 0;
                        results.add(pool.submit(() -> {
                            if (collect) {
                                System.gc();
                            }
                            return classifier.classify(image, 1).top();
                        }));
                    }
                    for (Future<Prediction> r : results) {
                        assertThat(r.get().score()).isBetween(0f, 1f);
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void eightThreadsGetIdenticalResults() throws Exception {
        List<byte[]> images = datasetImages(5);
        ImageDecoder decoder = new ImageDecoder();
        List<RgbImage> decoded = images.stream().map(decoder::decode).toList();
        try (Classifier classifier = new Classifier(TfliteBundles.wrap(Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"), Shared.imagenetLabels()),
                ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(1, 2)))) {
            List<Classification> expected = decoded.stream().map(img -> classifier.classify(img, 5)).toList();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> threads = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int offset = t;
                    threads.add(pool.submit(() -> {
                        for (int i = 0; i < 10; i++) {
                            int k = (i + offset) % decoded.size();
                            List<Prediction> got = classifier.classify(decoded.get(k), 5).predictions();
                            if (!got.equals(expected.get(k).predictions())) {
                                return false;
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> t : threads) {
                    assertThat(t.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void closedRuntimeRefusesWork() {
        Classifier classifier = new Classifier(TfliteBundles.wrap(Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"), Shared.imagenetLabels()),
                ClassifierOptions.DEFAULT);
        RgbImage gray = new RgbImage(8, 8, new byte[8 * 8 * 3]);
        classifier.classify(gray, 1);
        classifier.close();
        classifier.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> classifier.classify(gray, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
