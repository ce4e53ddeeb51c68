package dev.clothes.trainer.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where caches live: the user cache folder, or /tmp when that is not writable. */
final class CacheDirs {

    private CacheDirs() {
    }

    static Path features() {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "clothes-classifier", "features");
        try {
            Files.createDirectories(home);
            if (Files.isWritable(home)) {
                return home;
            }
        } catch (Exception e) {
            // fall through to /tmp
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "clothes-classifier", "features");
    }
}
