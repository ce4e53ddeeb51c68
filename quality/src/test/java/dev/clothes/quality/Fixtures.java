package dev.clothes.quality;

import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.runtime.tflite.TfliteBundles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real files the quality gates run on: ../shared's models and dataset. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path shared() {
        return Path.of(System.getProperty("shared.dir", "../shared")).toAbsolutePath().normalize();
    }

    public static Path dataset() {
        return shared().resolve("data/clothing-dataset-small");
    }

    public static Path imagenet(String file) {
        return shared().resolve("models/imagenet").resolve(file);
    }

    /** The stock uint8 MobileNetV2 as a bundle: a small, fast real model. */
    public static ModelBundle stockBundle() {
        try {
            return TfliteBundles.wrap(Files.readAllBytes(imagenet("mobilenet_v2_1.0_224_quant.tflite")),
                    Files.readAllLines(imagenet("imagenet_labels.txt")), "mobilenet-v2-imagenet", "1", null,
                    Postprocessing.PROBABILITIES, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code perSplit[i]} images (by name) of each class in each split, copied under {@code root}. */
    public static Path tinyDataset(Path root, List<String> classes, int... perSplit) throws IOException {
        List<String> splits = List.of("train", "validation", "test");
        for (int s = 0; s < splits.size(); s++) {
            for (String label : classes) {
                Path target = Files.createDirectories(root.resolve(splits.get(s)).resolve(label));
                try (Stream<Path> files = Files.list(dataset().resolve(splits.get(s)).resolve(label))) {
                    for (Path f : files.sorted().limit(perSplit[s]).toList()) {
                        Files.copy(f, target.resolve(f.getFileName()));
                    }
                }
            }
        }
        return root;
    }
}
