package dev.clothes.trainer;

import java.nio.file.Path;

/** Folders under {@code ~/.cache/clothes-classifier}: named here, created by whoever first writes to them. */
public final class UserCache {

    private UserCache() {
    }

    public static Path path(String name) {
        return Path.of(System.getProperty("user.home"), ".cache", "clothes-classifier", name);
    }
}
