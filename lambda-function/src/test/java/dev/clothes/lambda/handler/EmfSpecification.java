package dev.clothes.lambda.handler;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Checks a log line against the CloudWatch Embedded Metric Format specification
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html,
 * its required members and the JSON schema it gives): {@code _aws} with an integer {@code Timestamp} in
 * milliseconds and a {@code CloudWatchMetrics} array of MetricDirectives; each directive exactly
 * {@code Namespace} (1-255 characters), {@code Dimensions} (at least one DimensionSet of at most 9 names) and
 * {@code Metrics} (at most 100 MetricDefinitions, each a {@code Name} and an optional CloudWatch {@code Unit});
 * every dimension named is a root member with a string value, every metric a root member with a number or an
 * array of at most 100 numbers.
 */
final class EmfSpecification {

    /** The units the schema allows. */
    static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
            "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
            "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");

    private EmfSpecification() {
    }

    /** Every violation, one per line; empty for a valid document. */
    static List<String> violations(JsonNode root) {
        List<String> out = new ArrayList<>();
        if (root == null || !root.isObject()) {
            out.add("the log event must be a JSON object");
            return out;
        }
        JsonNode aws = root.get("_aws");
        if (aws == null || !aws.isObject()) {
            out.add("_aws: required object missing");
            return out;
        }
        only(aws, "_aws", Set.of("Timestamp", "CloudWatchMetrics"), out);
        JsonNode timestamp = aws.get("Timestamp");
        if (timestamp == null || !timestamp.isIntegralNumber()) {
            out.add("_aws.Timestamp: required integer (milliseconds since 1970) missing or not an integer");
        } else if (timestamp.asLong() < 1_000_000_000_000L) {
            out.add("_aws.Timestamp: " + timestamp + " is not in milliseconds");
        }
        JsonNode directives = aws.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray()) {
            out.add("_aws.CloudWatchMetrics: required array missing");
            return out;
        }
        for (int d = 0; d < directives.size(); d++) {
            directive(root, directives.get(d), "_aws.CloudWatchMetrics[" + d + "]", out);
        }
        return out;
    }

    private static void directive(JsonNode root, JsonNode directive, String at, List<String> out) {
        if (!directive.isObject()) {
            out.add(at + ": a MetricDirective must be an object");
            return;
        }
        only(directive, at, Set.of("Namespace", "Dimensions", "Metrics"), out);
        JsonNode namespace = directive.get("Namespace");
        if (namespace == null || !namespace.isTextual() || namespace.asText().isEmpty() || namespace.asText().length() > 255
                || namespace.asText().contains("\n")) {
            out.add(at + ".Namespace: required string of 1-255 characters");
        }
        JsonNode dimensions = directive.get("Dimensions");
        if (dimensions == null || !dimensions.isArray() || dimensions.isEmpty()) {
            out.add(at + ".Dimensions: required array of at least one DimensionSet");
        } else {
            for (int s = 0; s < dimensions.size(); s++) {
                JsonNode set = dimensions.get(s);
                String setAt = at + ".Dimensions[" + s + "]";
                if (!set.isArray() || set.size() > 9) {
                    out.add(setAt + ": a DimensionSet is an array of at most 9 dimension names");
                    continue;
                }
                for (JsonNode name : set) {
                    if (!name.isTextual() || name.asText().isEmpty() || name.asText().length() > 255) {
                        out.add(setAt + ": dimension name " + name + " must be a string of 1-255 characters");
                    } else if (!root.path(name.asText()).isTextual()) {
                        out.add(setAt + ": dimension " + name + " must be a root member with a string value, got "
                                + root.get(name.asText()));
                    }
                }
            }
        }
        JsonNode metrics = directive.get("Metrics");
        if (metrics == null || !metrics.isArray() || metrics.size() > 100) {
            out.add(at + ".Metrics: required array of at most 100 MetricDefinitions");
            return;
        }
        for (int m = 0; m < metrics.size(); m++) {
            JsonNode definition = metrics.get(m);
            String defAt = at + ".Metrics[" + m + "]";
            if (!definition.isObject()) {
                out.add(defAt + ": a MetricDefinition must be an object");
                continue;
            }
            only(definition, defAt, Set.of("Name", "Unit"), out);
            JsonNode name = definition.get("Name");
            if (name == null || !name.isTextual() || name.asText().isEmpty() || name.asText().length() > 255) {
                out.add(defAt + ".Name: required string of 1-255 characters");
                continue;
            }
            JsonNode unit = definition.get("Unit");
            if (unit != null && (!unit.isTextual() || !UNITS.contains(unit.asText()))) {
                out.add(defAt + ".Unit: " + unit + " is not a CloudWatch unit");
            }
            JsonNode value = root.get(name.asText());
            boolean numbers = value != null && value.isArray() && value.size() <= 100;
            if (numbers) {
                for (JsonNode v : value) {
                    numbers &= v.isNumber();
                }
            }
            if (value == null || !(value.isNumber() || numbers)) {
                out.add(defAt + ": metric " + name + " must be a root member with a number (or up to 100 numbers), got "
                        + value);
            }
        }
    }

    private static void only(JsonNode object, String at, Set<String> allowed, List<String> out) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                out.add(at + "." + name + ": not a member the specification defines here");
            }
        }
    }
}
