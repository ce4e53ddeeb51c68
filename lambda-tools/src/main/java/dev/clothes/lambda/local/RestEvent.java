package dev.clothes.lambda.local;

import java.util.LinkedHashMap;
import java.util.Map;

/** The API Gateway REST (v1 proxy) event for {@code POST /predict}, as API Gateway builds it. */
public final class RestEvent {

    private RestEvent() {
    }

    /**
     * @param query  query string parameters, or null for none
     * @param body   the body as API Gateway passes it: base64 for binary media types (then {@code base64}), else text
     */
    public static Map<String, Object> predict(Map<String, ?> headers, Map<String, String> query, String body,
                                              boolean base64, String requestId, String stage) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", "/predict");
        event.put("path", "/predict");
        event.put("httpMethod", "POST");
        event.put("headers", headers);
        if (query != null) {
            event.put("queryStringParameters", query);
        }
        event.put("requestContext", Map.of("requestId", requestId, "stage", stage));
        event.put("isBase64Encoded", base64);
        event.put("body", body);
        return event;
    }

    /** An event with one Content-Type header and no query, as a deployed stage {@code Prod} receives it. */
    public static Map<String, Object> predict(String contentType, String body, boolean base64, String requestId) {
        return predict(Map.of("Content-Type", contentType), null, body, base64, requestId, "Prod");
    }
}
