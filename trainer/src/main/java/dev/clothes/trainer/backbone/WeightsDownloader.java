package dev.clothes.trainer.backbone;

import dev.clothes.inference.bundle.Checksums;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;

/**
 * Fetches pretrained weights once: into the user cache ({@code ~/.cache/clothes-classifier/weights},
 * or {@code /tmp/clothes-classifier/weights} when home is not writable), streamed to a temporary
 * file, verified against the published digest, then moved into place atomically. A cached file is
 * verified again before use, so a truncated or tampered copy is never loaded.
 */
public final class WeightsDownloader {

    private final Path cacheDir;
    private final HttpClient client;
    private final PrintStream log;

    public WeightsDownloader(Path cacheDir, PrintStream log) {
        this.cacheDir = cacheDir;
        this.log = log;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public static Path defaultCacheDir() {
        return dev.clothes.trainer.UserCache.path("weights");
    }

    /** The verified local copy, downloading it first if needed. */
    public Path fetch(WeightsSource source) throws IOException {
        Files.createDirectories(cacheDir);
        Path target = cacheDir.resolve(source.fileName());
        if (Files.isRegularFile(target)) {
            String cached;
            try (InputStream in = Files.newInputStream(target)) {
                cached = Checksums.digest(in, source.algorithm());
            }
            if (cached.equals(source.digest())) {
                return target;
            }
            log.printf(Locale.ROOT, "cached %s does not match its %s; downloading it again%n", target, source.algorithm());
        }
        log.printf(Locale.ROOT, "downloading %s%n", source.url());
        Path tmp = Files.createTempFile(cacheDir, "." + source.fileName(), ".part");
        try {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(source.url())
                    .timeout(Duration.ofMinutes(30)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException(source.url() + " answered HTTP " + response.statusCode());
            }
            MessageDigest md = Checksums.messageDigest(source.algorithm());
            try (InputStream in = new DigestInputStream(response.body(), md);
                 OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            String got = Checksums.hex(md);
            if (!got.equals(source.digest())) {
                throw new IOException("the download of " + source.fileName() + " has " + source.algorithm() + " " + got
                        + ", expected " + source.digest() + "; nothing was kept");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + source.url(), e);
        } catch (IOException e) {
            throw new IOException("cannot fetch " + source.fileName() + " from " + source.url() + ": " + e.getMessage()
                    + " (pass --weights PATH to use a copy you already have)", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
