package dev.clothes.inference.fetch;

import dev.clothes.inference.fetch.FetchException.Kind;

import java.io.IOException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * Downloads an image over http(s) with timeouts, a byte cap, and redirects followed by hand. Each hop's
 * host is resolved once, every address is checked against the {@link AddressPolicy}, and the socket is
 * connected to a checked address, never to a fresh DNS answer. Thread-safe; holds no connections.
 */
public final class ImageFetcher {

    private final FetchLimits limits;
    private final AddressPolicy policy;
    private final HostResolver resolver;
    /** Null: the JVM's default, looked up at the first https fetch (loading the trust store costs a cold start ~90 ms). */
    private final SSLSocketFactory tls;

    public ImageFetcher(FetchLimits limits, AddressPolicy policy) {
        this(limits, policy, HostResolver.SYSTEM, null);
    }

    /** @param tls the TLS sockets for https, or null for the JVM's default */
    public ImageFetcher(FetchLimits limits, AddressPolicy policy, HostResolver resolver, SSLSocketFactory tls) {
        this.limits = limits;
        this.policy = policy;
        this.resolver = resolver;
        this.tls = tls;
    }

    public FetchLimits limits() {
        return limits;
    }

    public byte[] fetch(String url) {
        URI uri = parse(url);
        long deadline = System.nanoTime() + limits.totalTimeout().toNanos();
        for (int hop = 0; hop <= limits.maxRedirects(); hop++) {
            URI current = uri;
            InetAddress[] checked = checkedAddresses(current);
            try (HttpGet response = connect(current, checked, deadline)) {
                int status = response.status();
                if (status >= 300 && status < 400 && status != 304) {
                    String location = response.header("Location").orElseThrow(() -> new FetchException(
                            Kind.BAD_RESPONSE, current.getHost() + " redirected without a Location"));
                    uri = redirect(current, location);
                    continue;
                }
                if (status < 200 || status >= 300) {
                    throw new FetchException(Kind.BAD_RESPONSE, current.getHost() + " answered HTTP " + status);
                }
                checkHeaders(response);
                return response.readBody(limits.maxBytes());
            } catch (HttpGet.BodyTooLarge e) {
                throw new FetchException(Kind.TOO_LARGE, String.format(Locale.ROOT,
                        "the image is larger than the limit of %,d bytes", limits.maxBytes()));
            } catch (IOException | HttpGet.ProtocolError | HttpGet.DeadlinePassed e) {
                throw failure(current, e);
            }
        }
        throw new FetchException(Kind.BAD_RESPONSE, "more than " + limits.maxRedirects() + " redirects");
    }

    private static URI parse(String url) {
        try {
            return asciiHost(new URI(url.strip()));
        } catch (Exception e) {
            throw new FetchException(Kind.INVALID_URL, "not a valid URL: " + abbreviate(url));
        }
    }

    /** java.net.URI leaves a non-ASCII host unparsed; its punycode form is the name DNS knows. */
    private static URI asciiHost(URI uri) throws Exception {
        if (uri.getHost() != null || uri.getRawAuthority() == null || uri.getRawUserInfo() != null) {
            return uri;
        }
        String authority = uri.getAuthority();
        int colon = authority.lastIndexOf(':');
        String host = colon < 0 ? authority : authority.substring(0, colon);
        String port = colon < 0 ? "" : authority.substring(colon);
        return new URI(uri.getScheme() + "://" + IDN.toASCII(host, IDN.ALLOW_UNASSIGNED) + port
                + Optional.ofNullable(uri.getRawPath()).orElse("")
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    private static URI redirect(URI from, String location) {
        try {
            return asciiHost(from.resolve(new URI(location.strip())));
        } catch (Exception e) {
            throw new FetchException(Kind.BAD_RESPONSE, "redirect to an invalid URL: " + abbreviate(location));
        }
    }

    private InetAddress[] checkedAddresses(URI uri) {
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
            addresses = resolver.resolve(uri.getHost());
        } catch (UnknownHostException e) {
            throw new FetchException(Kind.UNREACHABLE, "cannot resolve host " + uri.getHost(), e);
        }
        if (addresses.length == 0) {
            throw new FetchException(Kind.UNREACHABLE, "no address for host " + uri.getHost());
        }
        for (InetAddress address : addresses) {
            policy.check(uri, address);
        }
        return addresses;
    }

    /** The first checked address that accepts the connection. */
    private HttpGet connect(URI uri, InetAddress[] checked, long deadline) throws IOException {
        IOException last = null;
        for (InetAddress address : checked) {
            try {
                return HttpGet.open(uri, address, (int) limits.connectTimeout().toMillis(), deadline,
                        tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault());
            } catch (SSLException e) {
                throw e; // the server answered; another address will not fix its certificate
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private void checkHeaders(HttpGet response) {
        long declared = response.declaredLength();
        if (declared > limits.maxBytes()) {
            throw new FetchException(Kind.TOO_LARGE, String.format(Locale.ROOT,
                    "the image is %,d bytes; the limit is %,d bytes", declared, limits.maxBytes()));
        }
        if (limits.requireImageContentType()) {
            String type = response.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (!type.startsWith("image/") && !type.startsWith("application/octet-stream")) {
                throw new FetchException(Kind.NOT_AN_IMAGE, "the URL serves '" + type + "', not an image");
            }
        }
    }

    private FetchException failure(URI uri, Exception e) {
        String where = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        if (e instanceof SocketTimeoutException || e instanceof HttpGet.DeadlinePassed) {
            return new FetchException(Kind.TIMEOUT, where + " did not answer within "
                    + limits.totalTimeout().toMillis() + " ms", e);
        }
        if (e instanceof SSLException) {
            return new FetchException(Kind.UNREACHABLE, "TLS with " + where + " failed: " + e.getMessage(), e);
        }
        if (e instanceof HttpGet.ProtocolError) {
            return new FetchException(Kind.BAD_RESPONSE, where + " sent a malformed response: " + e.getMessage(), e);
        }
        return new FetchException(Kind.UNREACHABLE, "cannot fetch from " + where + ": " + e.getMessage(), e);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
