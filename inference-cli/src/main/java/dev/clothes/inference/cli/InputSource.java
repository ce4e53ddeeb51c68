package dev.clothes.inference.cli;

import dev.clothes.inference.fetch.ImageFetcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reads an image argument: an http(s) URL is fetched, anything else is a file path. */
final class InputSource {

    private InputSource() {
    }

    static boolean isUrl(String input) {
        String lower = input.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    static byte[] read(String input, ImageFetcher fetcher, long maxFileBytes) throws IOException {
        if (isUrl(input)) {
            return fetcher.fetch(input);
        }
        Path file = Path.of(input);
        if (Files.isDirectory(file)) {
            throw new IOException(input + " is a folder; pass image files or http(s) URLs");
        }
        if (Files.size(file) > maxFileBytes) {
            throw new IOException(input + " is " + Files.size(file) + " bytes; the image limit is " + maxFileBytes);
        }
        return Files.readAllBytes(file);
    }
}
