package dev.clothes.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The read-only {@code ../shared} folder beside the checkout. */
public final class TestFiles {

    private TestFiles() {
    }

    public static Path shared() {
        return Path.of(System.getProperty("shared.dir", "../shared")).toAbsolutePath().normalize();
    }

    public static Path imagenet(String file) {
        return shared().resolve("models/imagenet").resolve(file);
    }

    public static Path dataset() {
        return shared().resolve("data/clothing-dataset-small");
    }

    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
