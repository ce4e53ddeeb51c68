package dev.clothes.trainer.backbone;

import com.sun.net.httpserver.HttpServer;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real download path against an HTTP server on loopback standing in for the weights host. */
class WeightsDownloaderTest {

    private static final byte[] WEIGHTS = "pretend these are 87.9 MB of Keras weights".getBytes();
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path cache;
    private HttpServer server;
    private final AtomicInteger downloads = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/weights.h5", ex -> {
            downloads.incrementAndGet();
            ex.sendResponseHeaders(200, WEIGHTS.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(WEIGHTS);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private WeightsSource source(String algorithm, String digest) {
        return new WeightsSource("weights.h5",
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/weights.h5"), algorithm, digest);
    }

    private static String digest(String algorithm) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(WEIGHTS));
    }

    @Test
    void downloadsVerifiesAndReusesTheCache() throws Exception {
        WeightsDownloader downloader = new WeightsDownloader(cache, QUIET);
        Path file = downloader.fetch(source("MD5", digest("MD5")));
        assertThat(file).hasBinaryContent(WEIGHTS);
        assertThat(downloader.fetch(source("SHA-256", digest("SHA-256")))).isEqualTo(file);
        assertThat(downloads).hasValue(1);

        Files.write(file, new byte[] {1, 2, 3}); // truncated / tampered copy in the cache
        assertThat(downloader.fetch(source("MD5", digest("MD5")))).hasBinaryContent(WEIGHTS);
        assertThat(downloads).hasValue(2);
    }

    @Test
    void keepsNothingWhenTheDigestDiffers() {
        WeightsDownloader downloader = new WeightsDownloader(cache, QUIET);
        assertThatThrownBy(() -> downloader.fetch(source("SHA-256", "0".repeat(64))))
                .hasMessageContaining("expected " + "0".repeat(64)).hasMessageContaining("--weights PATH");
        assertThat(cache.toFile().list()).isEmpty();
    }

    @Test
    void unreachableHostIsAClearError() throws Exception {
        server.stop(0);
        WeightsDownloader downloader = new WeightsDownloader(cache, QUIET);
        assertThatThrownBy(() -> downloader.fetch(source("MD5", digest("MD5"))))
                .hasMessageContaining("cannot fetch weights.h5");
    }

    @Test
    void kerasInceptionSourceIsPinned() {
        assertThat(WeightsSource.KERAS_INCEPTION_V3_NOTOP.digest()).isEqualTo("bcbd6486424b2319ff4ef7d526e38f63");
        assertThat(WeightsSource.KERAS_INCEPTION_V3_NOTOP.url().getHost()).isEqualTo("storage.googleapis.com");
    }
}
