package dev.clothes.lambda.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clothes.inference.json.Json;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every request's log line must hold: the fields a Logs Insights query or an alarm needs, a valid
 * Embedded Metric Format document (see {@link EmfSpecification}) with the metrics the template's alarms
 * read, and nothing the caller sent in confidence: no image bytes, no URL path or query, no API key.
 */
final class RequestLogLines {

    /** The source each fixture's image came by, where it got that far. */
    private static final Map<String, String> SOURCES = Map.of("rest-v1-binary-image", "body",
            "rest-v1-binary-mime-base64", "body", "rest-v1-json-image", "base64", "rest-v1-multipart-image", "multipart",
            "http-v2-binary-image", "body", "http-v2-json-data-url", "base64", "direct-image-topk", "base64",
            "rest-v1-refused-url-with-query", "url", "rest-v1-refused-metadata-url", "url");

    private RequestLogLines() {
    }

    static void check(String name, JsonNode line, Map<String, Object> event, int status, JsonNode body, boolean scorer) {
        assertThat(line.path("level").asText()).as(name).isEqualTo(status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO");
        assertThat(java.time.Instant.parse(line.path("timestamp").asText())).as(name).isNotNull();
        assertThat(line.path("totalMs").isNumber()).as(name + " totalMs").isTrue();
        assertThat(line.path("model").asText()).as(name).isEqualTo(body.path("model").path("name").asText() + "/"
                + body.path("model").path("version").asText());
        assertThat(line.path("function").asText()).isEqualTo("clothes-classifier-ClassifierFunction");
        assertThat(line.path("version").asText()).isEqualTo("1");
        if (SOURCES.containsKey(name)) {
            assertThat(line.path("source").asText()).as(name + " source").isEqualTo(SOURCES.get(name));
        }
        if (status == 200) {
            assertThat(line.path("source").asText()).as(name).isIn("url", "body", "base64", "multipart");
            assertThat(line.path("bytes").asLong()).as(name + " bytes").isPositive();
            for (String ms : List.of("decodeMs", "preprocessMs", "inferenceMs")) {
                assertThat(line.path(ms).isNumber()).as(name + " " + ms).isTrue();
            }
            assertThat(line.path("label").asText()).isEqualTo(body.path("predictions").path(0).path("label").asText());
            assertThat(line.path("score").asDouble()).isEqualTo(body.path("predictions").path(0).path("score").asDouble(),
                    org.assertj.core.data.Offset.offset(1e-6));
            assertThat(line.has("unsure")).as(name + ": unsure only for bundles with scorers").isEqualTo(scorer);
            if (scorer) {
                assertThat(line.path("unsure").asInt()).isEqualTo(body.path("unsure").asBoolean() ? 1 : 0);
            }
            assertThat(line.has("errorCode")).isFalse();
        } else {
            assertThat(line.path("errorCode").asText()).as(name + " errorCode").matches("[a-z]+(\\.[a-z0-9-]+)+");
            assertThat(line.has("label")).isFalse();
        }

        assertThat(EmfSpecification.violations(line)).as("%s: the line as an EMF document: %s", name, line).isEmpty();
        // The class mix is a metric for bundles of up to RequestLog.MAX_LABEL_METRICS classes (ImageNet's 1,001 are not).
        boolean labelMetric = body.path("scores").size() <= RequestLog.MAX_LABEL_METRICS;
        assertThat(metrics(line)).as(name + " metrics").isEqualTo(expectedMetrics(status, scorer, labelMetric));

        String text = line.toString();
        for (String secret : secrets(event)) {
            assertThat(text).as("%s: the log line must not hold what the caller sent in confidence", name)
                    .doesNotContain(secret);
        }
    }

    /** {@code namespace/metric[dimension,...]} for every metric and dimension set of the line. */
    static Set<String> metrics(JsonNode line) {
        Set<String> out = new TreeSet<>();
        for (JsonNode directive : line.path("_aws").path("CloudWatchMetrics")) {
            for (JsonNode metric : directive.path("Metrics")) {
                for (JsonNode set : directive.path("Dimensions")) {
                    List<String> names = new ArrayList<>();
                    set.forEach(n -> names.add(n.asText()));
                    out.add(directive.path("Namespace").asText() + "/" + metric.path("Name").asText() + names);
                }
            }
        }
        return out;
    }

    static Set<String> expectedMetrics(int status, boolean scorer, boolean labelMetric) {
        Set<String> out = new TreeSet<>(Set.of("ClothesClassifier/totalMs[function]", "ClothesClassifier/totalMs[function, version]",
                "ClothesClassifier/requests[function]", "ClothesClassifier/requests[function, version]"));
        if (status == 200) {
            if (labelMetric) {
                out.add("ClothesClassifier/predictions[function, label]");
            }
            if (scorer) {
                out.addAll(Set.of("ClothesClassifier/unsure[function]", "ClothesClassifier/unsure[function, version]"));
            }
        } else {
            out.addAll(Set.of("ClothesClassifier/errors[function, errorCode]", "ClothesClassifier/errors[function]"));
        }
        return out;
    }

    /** Pieces of the request that must never reach a log: the API key, image bytes, the URL past its host. */
    static List<String> secrets(Map<String, Object> event) {
        List<String> out = new ArrayList<>();
        if (event.get("headers") instanceof Map<?, ?> headers) {
            headers.forEach((k, v) -> {
                if (String.valueOf(k).equalsIgnoreCase("x-api-key")) {
                    out.add(String.valueOf(v));
                }
            });
        }
        List<Object> payloads = new ArrayList<>(List.of(event));
        if (event.get("body") instanceof String b) {
            payloads.add(b);
            try {
                payloads.add(Json.mapper().readValue(b, Object.class));
            } catch (Exception notJson) {
                // a binary or form body: only its characters matter below
            }
        }
        for (Object payload : payloads) {
            if (payload instanceof String text && text.length() > 200) {
                out.add(text.substring(100, 140)); // a piece of a base64 body
            }
            if (payload instanceof Map<?, ?> fields) {
                if (fields.get("image") instanceof String image && image.length() > 200) {
                    out.add(image.substring(100, 140));
                }
                if (fields.get("url") instanceof String url) {
                    URI uri = URI.create(url.strip());
                    if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
                        out.add(uri.getRawPath());
                    }
                    if (uri.getRawQuery() != null) {
                        out.add(uri.getRawQuery());
                    }
                }
            }
        }
        return out;
    }
}
