package dev.clothes.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clothes.inference.classify.Classification;
import dev.clothes.inference.json.Json;

import java.time.Instant;

/**
 * The one log line per request: a JSON object (Lambda's JSON log format keeps it as it is) that is also a
 * CloudWatch Embedded Metric Format document, so the metrics cost no call: CloudWatch Logs extracts them.
 * What it says: request id, status, how the image came ({@code source}: url, body, base64, multipart), the
 * URL's host only, image bytes, decode/preprocess/inference/total milliseconds, label, score, {@code unsure}
 * (0/1, bundles with out-of-distribution scorers), error code, and the model. Never the image, the URL's
 * path or query, a header, or the API key.
 *
 * <p>Metrics, namespace {@value #NAMESPACE}: {@code totalMs} and {@code requests} (and {@code unsure}, whose
 * average is the unsure rate) per {@code function} and per {@code function, version}; {@code predictions}
 * per {@code function, label} (the class mix; left out for bundles of more than {@value #MAX_LABEL_METRICS}
 * classes, since every label is a custom metric billed by the month); {@code errors} per
 * {@code function, errorCode} and per {@code function}.
 */
public final class RequestLog {

    /** The CloudWatch namespace of the function's metrics; the template's alarms read it too. */
    public static final String NAMESPACE = "ClothesClassifier";
    static final int MAX_LABEL_METRICS = 100;

    private RequestLog() {
    }

    /** Which function wrote the line: the metrics' {@code function} and {@code version} dimensions. */
    public record Function(String name, String version) {

        /** Lambda's names for the function and its published version; {@code local} outside Lambda. */
        public static Function of(Context context) {
            String name = context != null ? context.getFunctionName() : null;
            String version = context != null ? context.getFunctionVersion() : null;
            name = name != null ? name : System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "local");
            version = version != null ? version : System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            return new Function(name, version);
        }
    }

    /**
     * The line for one request.
     *
     * @param metrics    whether to embed the metrics (not for the SnapStart priming inference, which is no request)
     * @param classCount the bundle's number of classes, which decides whether labels become a metric dimension
     */
    public static ObjectNode line(String requestId, PredictService.Outcome outcome, double totalMillis, Function function,
                                  String model, int classCount, boolean metrics, Instant now) {
        PredictService.Facts facts = outcome.facts();
        int status = outcome.status();
        ObjectNode line = Json.mapper().createObjectNode();
        // "level" and "timestamp" as Lambda's JSON log format reads them from application lines.
        line.put("level", status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO").put("timestamp", now.toString())
                .put("requestId", requestId).put("status", status);
        if (facts.input() != null) {
            line.put("source", facts.input().logName());
        }
        if (facts.host() != null) {
            line.put("host", facts.host());
        }
        if (facts.bytes() >= 0) {
            line.put("bytes", facts.bytes());
        }
        Classification result = facts.result();
        if (result != null) {
            line.put("decodeMs", round(result.timings().decodeMillis()))
                    .put("preprocessMs", round(result.timings().preprocessMillis()))
                    .put("inferenceMs", round(result.timings().inferenceMillis()));
        }
        line.put("totalMs", round(totalMillis));
        if (result != null) {
            line.put("label", result.top().label()).put("score", result.top().score());
            result.ood().ifPresent(ood -> line.put("unsure", ood.unsure() ? 1 : 0));
        }
        if (facts.errorCode() != null) {
            line.put("errorCode", facts.errorCode()).put("errors", 1);
        }
        line.put("model", model).put("function", function.name()).put("version", function.version());
        if (metrics) {
            line.put("requests", 1);
            boolean labelMetric = result != null && classCount <= MAX_LABEL_METRICS;
            if (labelMetric) {
                line.put("predictions", 1);
            }
            embedMetrics(line, labelMetric, facts.errorCode() != null, now);
        }
        return line;
    }

    /** The {@code _aws} member: which of the line's members are metrics, with which dimensions. */
    private static void embedMetrics(ObjectNode line, boolean labelMetric, boolean error, Instant now) {
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", now.toEpochMilli());
        ArrayNode directives = aws.putArray("CloudWatchMetrics");
        ObjectNode all = directive(directives, new String[][] {{"function"}, {"function", "version"}});
        metric(all, "totalMs", "Milliseconds");
        metric(all, "requests", "Count");
        if (line.has("unsure")) {
            metric(all, "unsure", "Count");
        }
        if (labelMetric) {
            metric(directive(directives, new String[][] {{"function", "label"}}), "predictions", "Count");
        }
        if (error) {
            metric(directive(directives, new String[][] {{"function", "errorCode"}, {"function"}}), "errors", "Count");
        }
    }

    private static ObjectNode directive(ArrayNode directives, String[][] dimensionSets) {
        ObjectNode directive = directives.addObject().put("Namespace", NAMESPACE);
        ArrayNode dimensions = directive.putArray("Dimensions");
        for (String[] set : dimensionSets) {
            ArrayNode names = dimensions.addArray();
            for (String name : set) {
                names.add(name);
            }
        }
        directive.putArray("Metrics");
        return directive;
    }

    private static void metric(ObjectNode directive, String name, String unit) {
        ((ArrayNode) directive.get("Metrics")).addObject().put("Name", name).put("Unit", unit);
    }

    private static double round(double millis) {
        return Math.round(millis * 100) / 100.0;
    }
}
