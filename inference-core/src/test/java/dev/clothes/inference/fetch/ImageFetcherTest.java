package dev.clothes.inference.fetch;

import com.sun.net.httpserver.HttpServer;
import dev.clothes.inference.fetch.FetchException.Kind;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
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
        server.createContext("/chunked", ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/png");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (byte b : IMAGE) {
                    out.write(b);
                    out.flush();
                }
            }
        });
        server.createContext("/big-chunked", ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/png");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(new byte[5000]);
            }
        });
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
    void readsChunkedBodiesWithinTheCap() {
        assertThat(fetcher.fetch(base + "/chunked")).isEqualTo(IMAGE);
        assertKind(() -> fetcher.fetch(base + "/big-chunked"), Kind.TOO_LARGE);
    }

    @Test
    void connectsToTheCheckedAddressNotToASecondDnsAnswer() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetAddress metadata = InetAddress.getByName("169.254.169.254");
        AtomicInteger lookups = new AtomicInteger();
        // A rebinding DNS server: the first answer passes the check, every later one points at the metadata service.
        HostResolver rebinding = host -> new InetAddress[] {lookups.getAndIncrement() == 0 ? loopback : metadata};
        ImageFetcher pinned = new ImageFetcher(FetchLimits.DEFAULT, (uri, address) -> {
            if (!address.isLoopbackAddress()) {
                throw new FetchException(Kind.REFUSED, "refused " + address);
            }
        }, rebinding, (SSLSocketFactory) SSLSocketFactory.getDefault());

        String url = "http://images.test:" + server.getAddress().getPort() + "/img.png";
        assertThat(pinned.fetch(url)).isEqualTo(IMAGE);
        assertThat(lookups).hasValue(1);
        assertKind(() -> pinned.fetch(url), Kind.REFUSED);
    }

    @Test
    void refusesARedirectFromAnAllowedServerToLoopback() throws Exception {
        // The "public" server lives on 127.0.0.2; the policy is the Lambda's, with only that address allowed.
        InetAddress allowed = InetAddress.getByName("127.0.0.2");
        PublicAddressPolicy lambdaPolicy = new PublicAddressPolicy(false);
        HttpServer outside = HttpServer.create(new InetSocketAddress(allowed, 0), 0);
        outside.createContext("/img.png", ex -> send(ex, 200, "image/png", IMAGE));
        outside.createContext("/to-loopback", ex -> {
            ex.getResponseHeaders().add("Location", base + "/img.png");
            send(ex, 302, "text/plain", new byte[0]);
        });
        outside.start();
        try {
            ImageFetcher guarded = new ImageFetcher(FetchLimits.DEFAULT, (uri, address) -> {
                if (!address.equals(allowed)) {
                    lambdaPolicy.check(uri, address);
                }
            });
            String outsideBase = "http://127.0.0.2:" + outside.getAddress().getPort();
            assertThat(guarded.fetch(outsideBase + "/img.png")).isEqualTo(IMAGE);
            FetchException e = catchThrowableOfType(FetchException.class,
                    () -> guarded.fetch(outsideBase + "/to-loopback"));
            assertThat(e.kind()).isEqualTo(Kind.REFUSED);
            assertThat(e.getMessage()).contains("127.0.0.1");
        } finally {
            outside.stop(0);
        }
    }

    @Test
    void refusesMalformedAndTruncatedResponses() throws Exception {
        String notHttp = rawServer("SSH-2.0-OpenSSH_9.6\r\n");
        assertKind(() -> fetcher.fetch(notHttp), Kind.BAD_RESPONSE);
        String truncated = rawServer("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
                + "Content-Length: 900\r\n\r\nshort");
        assertKind(() -> fetcher.fetch(truncated), Kind.UNREACHABLE);
        String hugeHeader = rawServer("HTTP/1.1 200 OK\r\nX: " + "a".repeat(40_000) + "\r\n\r\n");
        assertKind(() -> fetcher.fetch(hugeHeader), Kind.BAD_RESPONSE);
        String badChunk = rawServer("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n");
        assertKind(() -> fetcher.fetch(badChunk), Kind.BAD_RESPONSE);
    }

    /** A one-shot TCP server that answers any request with {@code response} and closes. */
    private static String rawServer(String response) throws Exception {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        Thread thread = new Thread(() -> {
            try (listener; Socket socket = listener.accept()) {
                socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                socket.shutdownOutput();
                socket.getInputStream().readAllBytes();
            } catch (Exception ignored) {
                // The client may hang up first.
            }
        });
        thread.setDaemon(true);
        thread.start();
        return "http://127.0.0.1:" + listener.getLocalPort() + "/x.png";
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
