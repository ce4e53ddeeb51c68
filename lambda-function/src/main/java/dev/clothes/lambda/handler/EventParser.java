package dev.clothes.lambda.handler;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.clothes.inference.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * API Gateway REST (v1 proxy) and HTTP API (v2) events, and direct invocations such as the
 * reference clients' {@code {"url": "..."}}, to a {@link PredictRequest}. Bodies: JSON with
 * {@code url} or base64 {@code image}, or raw image bytes with an image content type (API
 * Gateway delivers binary bodies base64-encoded).
 */
public final class EventParser {

    static final int DEFAULT_TOP_K = 5;
    /** Strict: `{"image": ...} <html>` is not a request with some noise after it. */
    private static final ObjectReader STRICT =
            Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final long maxBodyBytes;

    public EventParser(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The event's shape, known before its body is parsed, so errors are answered in the right envelope. */
    public static PredictRequest.Source sourceOf(Map<String, Object> event) {
        if (event == null) {
            return PredictRequest.Source.DIRECT;
        }
        Object context = event.get("requestContext");
        if ("2.0".equals(event.get("version")) || context instanceof Map<?, ?> c && c.containsKey("http")) {
            return PredictRequest.Source.API_GATEWAY_HTTP;
        }
        return event.containsKey("httpMethod") || context != null ? PredictRequest.Source.API_GATEWAY_REST
                : PredictRequest.Source.DIRECT;
    }

    public PredictRequest parse(Map<String, Object> event) {
        if (event == null || event.isEmpty()) {
            throw new RequestException("empty event");
        }
        JsonNode root = Json.mapper().valueToTree(event);
        PredictRequest.Source source = sourceOf(event);
        return source == PredictRequest.Source.DIRECT ? fromJson(root, source) : fromHttp(root, source);
    }

    private PredictRequest fromHttp(JsonNode event, PredictRequest.Source source) {
        JsonNode body = event.get("body");
        if (body == null || body.isNull() || body.asText().isEmpty()) {
            throw new RequestException("the request has no body; send JSON {\"url\": ...} or {\"image\": base64}, "
                    + "or an image with an image/* content type");
        }
        String text = body.asText();
        if (text.length() > maxBodyBytes * 4 / 3 + 4) {
            throw new RequestException("the request body is larger than " + maxBodyBytes + " bytes");
        }
        boolean base64 = event.path("isBase64Encoded").asBoolean(false);
        byte[] bytes = base64 ? decodeBase64(text, "the request body") : text.getBytes(StandardCharsets.UTF_8);
        String contentType = header(event.path("headers"), "content-type");
        if (contentType.startsWith("image/") || contentType.startsWith("application/octet-stream")) {
            return new PredictRequest(source, null, bytes, topK(event.path("queryStringParameters")));
        }
        JsonNode json;
        try {
            json = STRICT.readTree(bytes);
        } catch (IOException e) {
            throw new RequestException("the body is not valid JSON (send {\"url\": ...} or {\"image\": base64}, or an "
                    + "image with an image/* content type)");
        }
        if (json == null || !json.isObject()) {
            throw new RequestException("the body must be a JSON object with \"url\" or \"image\"");
        }
        PredictRequest request = fromJson(json, source);
        int k = topK(event.path("queryStringParameters"));
        return k == DEFAULT_TOP_K ? request : new PredictRequest(source, request.url(), request.image(), k);
    }

    private PredictRequest fromJson(JsonNode json, PredictRequest.Source source) {
        int k = json.has("topK") ? boundedTopK(json.get("topK").asText()) : DEFAULT_TOP_K;
        JsonNode url = json.get("url");
        JsonNode image = json.get("image");
        if (url != null && image != null) {
            throw new RequestException("send either \"url\" or \"image\", not both");
        }
        if (url != null) {
            if (!url.isTextual() || url.asText().isBlank()) {
                throw new RequestException("\"url\" must be a non-empty string");
            }
            return new PredictRequest(source, url.asText(), null, k);
        }
        if (image != null) {
            if (!image.isTextual()) {
                throw new RequestException("\"image\" must be a base64 string");
            }
            if (image.asText().length() > maxBodyBytes * 4 / 3 + 4) {
                throw new RequestException("the image is larger than " + maxBodyBytes + " bytes");
            }
            return new PredictRequest(source, null, decodeBase64(image.asText(), "\"image\""), k);
        }
        throw new RequestException("the request needs \"url\" (an http(s) image URL) or \"image\" (base64 bytes)");
    }

    private static byte[] decodeBase64(String text, String what) {
        try {
            String clean = text.strip();
            int comma = clean.startsWith("data:") ? clean.indexOf(',') : -1; // data URLs
            // Strict decoder: the MIME one silently skips invalid characters and yields an empty image.
            String payload = (comma >= 0 ? clean.substring(comma + 1) : clean).replaceAll("\\s", "");
            return Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            throw new RequestException(what + " is not valid base64");
        }
    }

    private static String header(JsonNode headers, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue().asText("").toLowerCase(Locale.ROOT).strip();
            }
        }
        return "";
    }

    private static int topK(JsonNode query) {
        JsonNode k = query.get("topK");
        return k == null || k.isNull() ? DEFAULT_TOP_K : boundedTopK(k.asText());
    }

    private static int boundedTopK(String value) {
        try {
            int k = Integer.parseInt(value.strip());
            if (k >= 1 && k <= 100) {
                return k;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new RequestException("topK must be a whole number from 1 to 100");
    }
}
