package dev.clothes.inference.fetch;

import com.sun.net.httpserver.HttpServer;
import dev.clothes.inference.fetch.FetchException.Kind;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Against a real HTTP server on loopback. */
class ImageFetcherTest {

    private static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/img.png", ex -> send(ex, 200, "image/png", IMAGE));
        server.createContext("/text", ex -> send(ex, 200, "text/html", "<html>".getBytes()));
        server.createContext("/missing", ex -> send(ex, 404, "text/plain", "no".getBytes()));
        server.createContext("/big", ex -> send(ex, 200, "image/jpeg", new byte[5000]));
        server.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", "/img.png");
            send(ex, 302, "text/plain", new byte[0]);
        });
        server.createContext("/to-localhost", ex -> {
            ex.getResponseHeaders().add("Location", "http://localhost:" + server.getAddress().getPort() + "/img.png");
            send(ex, 301, "text/plain", new byte[0]);
        });
        server.createContext("/loop", ex -> {
            ex.getResponseHeaders().add("Location", "/loop");
            send(ex, 302, "text/plain", new byte[0]);
        });
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(ex, 200, "image/png", IMAGE);
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void send(com.sun.net.httpserver.HttpExchange ex, int status, String type, byte[] body)
            throws java.io.IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private final ImageFetcher fetcher = new ImageFetcher(
            new FetchLimits(Duration.ofSeconds(2), Duration.ofSeconds(1), 1000, 3, true), AddressPolicy.ALLOW_ALL);

    @Test
    void fetchesAndFollowsRedirects() {
        assertThat(fetcher.fetch(base + "/img.png")).isEqualTo(IMAGE);
        assertThat(fetcher.fetch(base + "/redirect")).isEqualTo(IMAGE);
    }

    @Test
    void checksEveryRedirectHopAgainstThePolicy() {
        ImageFetcher noLocalhostName = new ImageFetcher(FetchLimits.DEFAULT, (uri, address) -> {
            if ("localhost".equals(uri.getHost())) {
                throw new FetchException(Kind.REFUSED, "refused " + uri.getHost());
            }
        });
        assertThat(noLocalhostName.fetch(base + "/img.png")).isEqualTo(IMAGE);
        assertKind(() -> noLocalhostName.fetch(base + "/to-localhost"), Kind.REFUSED);
    }

    @Test
    void refusesBadResponses() {
        assertKind(() -> fetcher.fetch(base + "/missing"), Kind.BAD_RESPONSE);
        assertKind(() -> fetcher.fetch(base + "/loop"), Kind.BAD_RESPONSE);
        assertKind(() -> fetcher.fetch(base + "/big"), Kind.TOO_LARGE);
        assertKind(() -> fetcher.fetch(base + "/text"), Kind.NOT_AN_IMAGE);
        assertKind(() -> fetcher.fetch(base + "/slow"), Kind.TIMEOUT);
    }

    @Test
    void refusesBadUrls() throws Exception {
        assertKind(() -> fetcher.fetch("file:///etc/passwd"), Kind.INVALID_URL);
        assertKind(() -> fetcher.fetch("ftp://example.com/x.jpg"), Kind.INVALID_URL);
        assertKind(() -> fetcher.fetch("not a url"), Kind.INVALID_URL);
        assertKind(() -> fetcher.fetch("http://user:pw@127.0.0.1/x"), Kind.INVALID_URL);
        assertKind(() -> fetcher.fetch("http://no-such-host.invalid/x.jpg"), Kind.UNREACHABLE);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertKind(() -> fetcher.fetch("http://127.0.0.1:" + closedPort + "/x.jpg"), Kind.UNREACHABLE);
    }

    private static void assertKind(Runnable fetch, Kind kind) {
        FetchException e = catchThrowableOfType(FetchException.class, fetch::run);
        assertThat(e).as("expected FetchException(%s)", kind).isNotNull();
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
    }
}
