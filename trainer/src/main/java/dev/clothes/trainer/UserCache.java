package dev.clothes.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Folders under {@code ~/.cache/clothes-classifier}, or under /tmp when the home folder is not writable. */
public final class UserCache {

    private UserCache() {
    }

    public static Path dir(String name) {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "clothes-classifier", name);
        try {
            Files.createDirectories(home);
            if (Files.isWritable(home)) {
                return home;
            }
        } catch (IOException | SecurityException e) {
            // fall back to /tmp
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "clothes-classifier", name);
    }
}
