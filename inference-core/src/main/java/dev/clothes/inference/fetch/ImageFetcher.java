package dev.clothes.inference.fetch;

import dev.clothes.inference.fetch.FetchException.Kind;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Downloads an image over http(s) with timeouts, a byte cap, and redirects followed by hand so
 * that every hop's host passes the {@link AddressPolicy}. Thread-safe.
 */
public final class ImageFetcher {

    private final FetchLimits limits;
    private final AddressPolicy policy;
    private final HttpClient client;

    public ImageFetcher(FetchLimits limits, AddressPolicy policy) {
        this.limits = limits;
        this.policy = policy;
        this.client = HttpClient.newBuilder()
                .connectTimeout(limits.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public FetchLimits limits() {
        return limits;
    }

    public AddressPolicy policy() {
        return policy;
    }

    public byte[] fetch(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (Exception e) {
            throw new FetchException(Kind.INVALID_URL, "not a valid URL: " + abbreviate(url));
        }
        long deadline = System.nanoTime() + limits.totalTimeout().toNanos();
        for (int hop = 0; hop <= limits.maxRedirects(); hop++) {
            checkUri(uri);
            Future<HttpResponse<InputStream>> pending = client.sendAsync(
                    HttpRequest.newBuilder(uri).GET().timeout(limits.totalTimeout())
                            .header("Accept", "image/*").header("User-Agent", "clothes-classifier").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            HttpResponse<InputStream> response = await(pending, deadline, uri);
            int status = response.statusCode();
            if (status >= 300 && status < 400 && status != 304) {
                close(response);
                String host = uri.getHost();
                String location = response.headers().firstValue("Location").orElseThrow(
                        () -> new FetchException(Kind.BAD_RESPONSE, host + " redirected without a Location"));
                try {
                    uri = uri.resolve(location);
                } catch (IllegalArgumentException e) {
                    throw new FetchException(Kind.BAD_RESPONSE, "redirect to an invalid URL: " + abbreviate(location));
                }
                continue;
            }
            if (status < 200 || status >= 300) {
                close(response);
                throw new FetchException(Kind.BAD_RESPONSE, uri.getHost() + " answered HTTP " + status);
            }
            checkHeaders(response);
            return readCapped(response, deadline, uri);
        }
        throw new FetchException(Kind.BAD_RESPONSE, "more than " + limits.maxRedirects() + " redirects");
    }

    private void checkUri(URI uri) {
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchException(Kind.INVALID_URL, "only http and https URLs are fetched, not '"
                    + abbreviate(uri.toString()) + "'");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new FetchException(Kind.INVALID_URL, "the URL needs a host and no user info: "
                    + abbreviate(uri.toString()));
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new FetchException(Kind.UNREACHABLE, "cannot resolve host " + uri.getHost(), e);
        }
        for (InetAddress address : addresses) {
            policy.check(uri, address);
        }
    }

    private void checkHeaders(HttpResponse<InputStream> response) {
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > limits.maxBytes()) {
            close(response);
            throw new FetchException(Kind.TOO_LARGE, String.format(Locale.ROOT,
                    "the image is %,d bytes; the limit is %,d bytes", declared, limits.maxBytes()));
        }
        if (limits.requireImageContentType()) {
            String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (!type.startsWith("image/") && !type.startsWith("application/octet-stream")) {
                close(response);
                throw new FetchException(Kind.NOT_AN_IMAGE, "the URL serves '" + type + "', not an image");
            }
        }
    }

    private byte[] readCapped(HttpResponse<InputStream> response, long deadline, URI uri) {
        try (InputStream body = response.body()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = body.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                if (out.size() > limits.maxBytes()) {
                    throw new FetchException(Kind.TOO_LARGE, String.format(Locale.ROOT,
                            "the image is larger than the limit of %,d bytes", limits.maxBytes()));
                }
                if (System.nanoTime() > deadline) {
                    throw new FetchException(Kind.TIMEOUT, "downloading from " + uri.getHost() + " took longer than "
                            + limits.totalTimeout().toMillis() + " ms");
                }
            }
            return out.toByteArray();
        } catch (HttpTimeoutException e) {
            throw new FetchException(Kind.TIMEOUT, "downloading from " + uri.getHost() + " timed out", e);
        } catch (IOException e) {
            throw new FetchException(Kind.UNREACHABLE, "the download from " + uri.getHost() + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static <T> T await(Future<T> pending, long deadline, URI uri) {
        try {
            return pending.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new FetchException(Kind.TIMEOUT, uri.getHost() + " did not answer in time", e);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new FetchException(Kind.TIMEOUT, "interrupted while fetching from " + uri.getHost(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
                throw new FetchException(Kind.TIMEOUT, uri.getHost() + " did not answer in time", cause);
            }
            if (cause instanceof ConnectException) {
                throw new FetchException(Kind.UNREACHABLE, "cannot connect to " + uri.getHost()
                        + (uri.getPort() > 0 ? ":" + uri.getPort() : ""), cause);
            }
            throw new FetchException(Kind.UNREACHABLE, "fetching from " + uri.getHost() + " failed: " + cause, cause);
        }
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // The connection is being abandoned anyway.
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
