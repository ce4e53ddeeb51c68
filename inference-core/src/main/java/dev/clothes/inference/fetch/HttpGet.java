package dev.clothes.inference.fetch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET over a socket connected to an address that was already checked, so a second DNS
 * answer (rebinding) can never redirect the connection. TLS still names and verifies the URL's host
 * (SNI + RFC 2818 hostname check), exactly as a client that resolved the name itself would.
 */
final class HttpGet implements Closeable {

    private static final int MAX_HEADER_BYTES = 32 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final Map<String, String> headers;
    private final long deadline;

    private HttpGet(Socket socket, InputStream in, int status, Map<String, String> headers, long deadline) {
        this.socket = socket;
        this.in = in;
        this.status = status;
        this.headers = headers;
        this.deadline = deadline;
    }

    /** Connects to {@code address}, sends the request and reads the status line and headers. */
    static HttpGet open(URI uri, InetAddress address, int connectTimeoutMillis, long deadline,
                        SSLSocketFactory tls) throws IOException {
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address, port), (int) Math.max(1,
                    Math.min(connectTimeoutMillis, remainingMillis(deadline))));
            if (https) {
                socket = startTls(socket, uri.getHost(), port, tls, deadline);
            }
            OutputStream out = socket.getOutputStream();
            out.write(request(uri, https, port).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            socket.setSoTimeout(remainingMillis(deadline));
            String statusLine = readLine(in, new int[] {MAX_HEADER_BYTES});
            return new HttpGet(socket, in, parseStatus(statusLine), readHeaders(in), deadline);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Socket startTls(Socket plain, String host, int port, SSLSocketFactory tls, long deadline)
            throws IOException {
        SSLSocket socket = (SSLSocket) tls.createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(remainingMillis(deadline));
        socket.startHandshake();
        return socket;
    }

    private static boolean isIpLiteral(String host) {
        return host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }

    private static String request(URI uri, boolean https, int port) {
        String path = Optional.ofNullable(uri.getRawPath()).filter(p -> !p.isEmpty()).orElse("/");
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        boolean defaultPort = port == (https ? 443 : 80);
        return "GET " + path + query + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + (defaultPort ? "" : ":" + port) + "\r\n"
                + "Accept: image/*\r\n"
                + "Accept-Encoding: identity\r\n"
                + "User-Agent: clothes-classifier\r\n"
                + "Connection: close\r\n\r\n";
    }

    int status() {
        return status;
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The body, de-chunked if needed, as long as it stays within {@code maxBytes} and the deadline. */
    byte[] readBody(long maxBytes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false)) {
            int[] budget = {MAX_HEADER_BYTES};
            for (long size; (size = chunkSize(readLine(in, budget))) > 0; ) {
                copy(size, maxBytes, body);
                readLine(in, budget);
            }
        } else {
            long length = declaredLength();
            copy(length >= 0 ? length : Long.MAX_VALUE, maxBytes, body);
            if (length >= 0 && body.size() < length) {
                throw new EOFException("the body ended after " + body.size() + " of " + length + " bytes");
            }
        }
        return body.toByteArray();
    }

    /** The declared Content-Length, or -1. */
    long declaredLength() {
        Optional<String> value = header("Content-Length");
        if (value.isEmpty()) {
            return -1;
        }
        try {
            long length = Long.parseLong(value.get().trim());
            if (length < 0) {
                throw new NumberFormatException();
            }
            return length;
        } catch (NumberFormatException e) {
            throw new ProtocolError("invalid Content-Length '" + value.get() + "'");
        }
    }

    private void copy(long length, long maxBytes, ByteArrayOutputStream body) throws IOException {
        byte[] buffer = new byte[1 << 16];
        for (long left = length; left > 0; ) {
            socket.setSoTimeout(remainingMillis(deadline));
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                if (length == Long.MAX_VALUE) {
                    return;
                }
                throw new EOFException("the body ended early");
            }
            body.write(buffer, 0, n);
            left -= n;
            if (body.size() > maxBytes) {
                throw new BodyTooLarge();
            }
        }
    }

    private static long chunkSize(String line) {
        String hex = line.split(";", 2)[0].trim();
        try {
            long size = Long.parseLong(hex, 16);
            if (size < 0) {
                throw new NumberFormatException();
            }
            return size;
        } catch (NumberFormatException e) {
            throw new ProtocolError("invalid chunk size '" + abbreviate(line) + "'");
        }
    }

    private static int parseStatus(String line) {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
            throw new ProtocolError("not an HTTP/1.x response: '" + abbreviate(line) + "'");
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new ProtocolError("not an HTTP status: '" + abbreviate(line) + "'");
        }
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new HashMap<>();
        int[] budget = {MAX_HEADER_BYTES};
        for (String line; !(line = readLine(in, budget)).isEmpty(); ) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolError("malformed header line '" + abbreviate(line) + "'");
            }
            // The first value wins: a second Content-Length or Location is a smuggling attempt, not news.
            headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        return headers;
    }

    /** A CRLF- (or LF-) terminated line, charged against a shared byte budget. */
    private static String readLine(InputStream in, int[] budget) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("the server closed the connection mid-response");
            }
            if (--budget[0] < 0) {
                throw new ProtocolError("response headers larger than " + MAX_HEADER_BYTES + " bytes");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static int remainingMillis(long deadline) {
        long millis = (deadline - System.nanoTime()) / 1_000_000;
        if (millis <= 0) {
            throw new DeadlinePassed();
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The server broke HTTP/1.1 framing. */
    static final class ProtocolError extends RuntimeException {
        ProtocolError(String message) {
            super(message);
        }
    }

    /** The body passed the byte cap. */
    static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super(null, null, false, false);
        }
    }

    /** The fetch's overall deadline passed. */
    static final class DeadlinePassed extends RuntimeException {
        DeadlinePassed() {
            super(null, null, false, false);
        }
    }
}
