package dev.clothes.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The read-only {@code ../shared} folder beside the checkout: dataset and ImageNet models. */
public final class Shared {

    private Shared() {
    }

    public static Path dir() {
        Path dir = Path.of(System.getProperty("shared.dir", "../shared")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("../shared (dataset and models) not found at " + dir);
        }
        return dir;
    }

    public static Path imagenet(String file) {
        return dir().resolve("models/imagenet").resolve(file);
    }

    /** The labels of the 1001-class ImageNet models. */
    public static Path imagenetLabels() {
        return imagenet("imagenet_labels.txt");
    }

    public static Path dataset() {
        return dir().resolve("data/clothing-dataset-small");
    }

    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A slice of the real dataset under {@code root}: the first {@code perSplit[i]} images (by name) of
     * each class in train, validation and test.
     */
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
