package dev.clothes.trainer.features;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Trunk features on disk, one little-endian float32 file per key. The key is a digest of
 * everything that determines the features, so a change to any of them misses the cache instead
 * of returning stale vectors. Writes are atomic: a killed run leaves no half-written entry.
 */
public final class FeatureCache {

    private final Path dir;

    public FeatureCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Optional<float[]> get(String key, int length) {
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length != length * 4) {
                return Optional.empty(); // another feature size: recompute
            }
            float[] values = new float[length];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return Optional.of(values);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void put(String key, float[] values) {
        Path file = file(key);
        try {
            Files.createDirectories(file.getParent());
            ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(values);
            Path tmp = Files.createTempFile(file.getParent(), ".feature", ".tmp");
            Files.write(tmp, buffer.array());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the feature cache at " + dir, e);
        }
    }

    private Path file(String key) {
        return dir.resolve(key.substring(0, 2)).resolve(key + ".f32");
    }
}
