package dev.clothes.lambda.handler;

/**
 * What a caller asked for, whatever the event shape: an image URL, or the image bytes.
 *
 * @param source how it arrived (REST v1, HTTP API v2, direct invocation), which decides the response shape
 */
public record PredictRequest(Source source, String url, byte[] image, int topK) {

    /** Event shapes. */
    public enum Source {
        API_GATEWAY_REST,
        API_GATEWAY_HTTP,
        DIRECT
    }
}
