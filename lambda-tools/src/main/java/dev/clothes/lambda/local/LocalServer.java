package dev.clothes.lambda.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.clothes.lambda.handler.PredictHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The deployed function on 127.0.0.1: each HTTP request becomes an API Gateway REST (v1 proxy)
 * event, as API Gateway would build it, and goes through the same {@link PredictHandler}. The
 * {@code x-api-key} header the deployed API requires is accepted and passed on as API Gateway does;
 * with an API key set, a request without that key is answered 403 as API Gateway answers it.
 */
public final class LocalServer implements AutoCloseable {

    /** API Gateway's payload limit; larger requests never reach a deployed function. */
    static final int MAX_BODY = 10 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final String apiKey;

    /** Any caller may post, with or without an {@code x-api-key} header. */
    public LocalServer(PredictHandler handler, int port, int threads) throws IOException {
        this(handler, port, threads, null);
    }

    /** @param apiKey the key callers must send as {@code x-api-key}, as the deployed API requires; null for none */
    public LocalServer(PredictHandler handler, int port, int threads, String apiKey) throws IOException {
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("an API key must not be blank");
        }
        this.apiKey = apiKey;
        server = LoopbackHttpServer.create(port, 64);
        executor = Executors.newFixedThreadPool(threads);
        server.setExecutor(executor);
        server.createContext("/predict", exchange -> {
            try (exchange) {
                handle(handler, exchange);
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(PredictHandler handler, HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            send(exchange, 405, "{\"error\": \"use POST /predict\"}", Map.of());
            return;
        }
        if (apiKey != null && !java.security.MessageDigest.isEqual(
                apiKey.getBytes(StandardCharsets.UTF_8), String.valueOf(exchange.getRequestHeaders().getFirst("x-api-key"))
                        .getBytes(StandardCharsets.UTF_8))) {
            // API Gateway's answer to a missing or wrong key; the function is not invoked.
            send(exchange, 403, "{\"message\": \"Forbidden\"}", Map.of());
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            send(exchange, 413, "{\"error\": \"the request is larger than API Gateway's 10 MB limit\"}", Map.of());
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        // The template's BinaryMediaTypes: API Gateway base64-encodes these bodies.
        boolean binary = type.startsWith("image/") || type.startsWith("application/octet-stream")
                || type.startsWith("multipart/form-data");
        Map<String, Object> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
        // Binary media types arrive base64-encoded, as API Gateway delivers them.
        Map<String, Object> event = RestEvent.predict(headers, query(exchange.getRequestURI().getRawQuery()),
                binary ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8), binary,
                UUID.randomUUID().toString(), "local");

        Map<String, Object> response = handler.handleRequest(event, null);
        @SuppressWarnings("unchecked")
        Map<String, Object> responseHeaders = (Map<String, Object>) response.get("headers");
        send(exchange, (Integer) response.get("statusCode"), (String) response.get("body"), responseHeaders);
    }

    private static Map<String, String> query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            params.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return params;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String body, Map<String, Object> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().put("Content-Type", List.of("application/json"));
        headers.forEach((k, v) -> exchange.getResponseHeaders().put(k, List.of(String.valueOf(v))));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
