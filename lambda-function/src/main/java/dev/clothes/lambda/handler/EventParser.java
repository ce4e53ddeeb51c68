package dev.clothes.lambda.handler;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.clothes.inference.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * API Gateway REST (v1 proxy) and HTTP API (v2) events, and direct invocations such as the
 * reference clients' {@code {"url": "..."}}, to a {@link PredictRequest}. Bodies: JSON with
 * {@code url} or base64 {@code image} (plain or MIME, with line breaks), raw image bytes with an image
 * content type, or a {@code multipart/form-data} upload (API Gateway delivers binary bodies
 * base64-encoded). The event is read as the runtime delivered it, a map: it is not turned into a JSON
 * tree again.
 */
public final class EventParser {

    static final int DEFAULT_TOP_K = 5;
    /** Strict: `{"image": ...} <html>` is not a request with some noise after it. */
    private static final ObjectReader STRICT =
            Json.mapper().readerFor(Object.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
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
        PredictRequest.Source source = sourceOf(event);
        return source == PredictRequest.Source.DIRECT ? fromFields(event, source) : fromHttp(event, source);
    }

    private PredictRequest fromHttp(Map<String, Object> event, PredictRequest.Source source) {
        String text = text(event.get("body"));
        if (text.isEmpty()) {
            throw new RequestException("the request has no body; send JSON {\"url\": ...} or {\"image\": base64}, "
                    + "an image with an image/* content type, or a multipart/form-data upload");
        }
        if (text.length() > maxBodyBytes * 4 / 3 + 4) {
            throw new RequestException("the request body is larger than " + maxBodyBytes + " bytes");
        }
        Object flag = event.get("isBase64Encoded");
        boolean base64 = flag instanceof Boolean b ? b : flag instanceof String s && Boolean.parseBoolean(s.strip());
        byte[] bytes = base64 ? decodeBase64(text, "the request body") : text.getBytes(StandardCharsets.UTF_8);
        String contentType = header(event.get("headers"), "content-type");
        int k = topK(event.get("queryStringParameters"));
        String lower = contentType.toLowerCase(Locale.ROOT);
        if (lower.startsWith("image/") || lower.startsWith("application/octet-stream")) {
            return new PredictRequest(source, PredictRequest.Input.BODY, null, bytes, k);
        }
        if (lower.startsWith("multipart/form-data")) {
            PredictRequest form = MultipartForm.parse(contentType, bytes).toRequest(source);
            return k == DEFAULT_TOP_K ? form : form.withTopK(k);
        }
        Object json;
        try {
            json = STRICT.readValue(bytes);
        } catch (IOException e) {
            throw new RequestException("the body is not valid JSON (send {\"url\": ...} or {\"image\": base64}, an "
                    + "image with an image/* content type, or a multipart/form-data upload)");
        }
        if (!(json instanceof Map<?, ?> fields)) {
            throw new RequestException("the body must be a JSON object with \"url\" or \"image\"");
        }
        @SuppressWarnings("unchecked")
        PredictRequest request = fromFields((Map<String, Object>) fields, source);
        return k == DEFAULT_TOP_K ? request : request.withTopK(k);
    }

    /** A direct invocation's event, or an HTTP body's JSON object: {@code url} or {@code image}, and {@code topK}. */
    private PredictRequest fromFields(Map<String, Object> fields, PredictRequest.Source source) {
        int k = fields.containsKey("topK") ? boundedTopK(String.valueOf(fields.get("topK"))) : DEFAULT_TOP_K;
        Object url = fields.get("url");
        Object image = fields.get("image");
        if (fields.containsKey("url") && fields.containsKey("image")) {
            throw new RequestException("send either \"url\" or \"image\", not both");
        }
        if (fields.containsKey("url")) {
            if (!(url instanceof String u) || u.isBlank()) {
                throw new RequestException("\"url\" must be a non-empty string");
            }
            return new PredictRequest(source, PredictRequest.Input.URL, u, null, k);
        }
        if (fields.containsKey("image")) {
            if (!(image instanceof String b64)) {
                throw new RequestException("\"image\" must be a base64 string");
            }
            if (b64.length() > maxBodyBytes * 4 / 3 + 4) {
                throw new RequestException("the image is larger than " + maxBodyBytes + " bytes");
            }
            return new PredictRequest(source, PredictRequest.Input.BASE64, null, decodeBase64(b64, "\"image\""), k);
        }
        throw new RequestException("the request needs \"url\" (an http(s) image URL) or \"image\" (base64 bytes)");
    }

    /**
     * Standard base64, optionally as a data URL, with any whitespace in it skipped (MIME base64 as the
     * {@code base64} command writes it breaks lines every 76 characters). Strict otherwise: the JDK's MIME
     * decoder would also skip invalid characters and yield an empty image.
     */
    static byte[] decodeBase64(String text, String what) {
        int start = 0;
        int end = text.length();
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        if (text.startsWith("data:", start)) {
            int comma = text.indexOf(',', start);
            start = comma < 0 ? start : comma + 1;
        }
        byte[] ascii = new byte[end - start];
        int n = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f') {
                continue;
            }
            if (c > 0x7F) {
                throw new RequestException(what + " is not valid base64");
            }
            ascii[n++] = (byte) c;
        }
        try {
            return Base64.getDecoder().decode(n == ascii.length ? ascii : java.util.Arrays.copyOf(ascii, n));
        } catch (IllegalArgumentException e) {
            throw new RequestException(what + " is not valid base64");
        }
    }

    /** A string value as the event carries it; numbers and booleans as their text, anything else as none. */
    private static String text(Object value) {
        return value instanceof String s ? s : value instanceof Number || value instanceof Boolean
                ? String.valueOf(value) : "";
    }

    private static String header(Object headers, String name) {
        if (headers instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> h : map.entrySet()) {
                if (h.getKey() instanceof String key && key.equalsIgnoreCase(name)) {
                    return text(h.getValue()).strip();
                }
            }
        }
        return "";
    }

    private static int topK(Object query) {
        Object k = query instanceof Map<?, ?> map ? map.get("topK") : null;
        return k == null ? DEFAULT_TOP_K : boundedTopK(text(k));
    }

    static int boundedTopK(String value) {
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
