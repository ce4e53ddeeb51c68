package dev.clothes.lambda.handler;

/**
 * What a caller asked for, whatever the event shape: an image URL, or the image bytes.
 *
 * @param source how it arrived (REST v1, HTTP API v2, direct invocation), which decides the response shape
 * @param input  how the image came (a URL, a raw body, base64 in JSON, a form upload), for the request log
 */
public record PredictRequest(Source source, Input input, String url, byte[] image, int topK) {

    /** Event shapes. */
    public enum Source {
        API_GATEWAY_REST,
        API_GATEWAY_HTTP,
        DIRECT
    }

    /** How the image came: its name in the request log is the lower-case constant ({@code url}, {@code body}...). */
    public enum Input {
        /** {@code {"url": ...}}, or a form's {@code url} field: the function fetched it. */
        URL,
        /** Raw bytes with an image (or octet-stream) content type. */
        BODY,
        /** {@code {"image": base64}}, in a JSON body or a direct invocation. */
        BASE64,
        /** A {@code multipart/form-data} file upload. */
        MULTIPART;

        public String logName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The same request with another top k. */
    PredictRequest withTopK(int k) {
        return k == topK ? this : new PredictRequest(source, input, url, image, k);
    }
}
