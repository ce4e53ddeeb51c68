package dev.clothes.lambda.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clothes.inference.classify.Classification;
import dev.clothes.inference.classify.Prediction;
import dev.clothes.inference.classify.Timings;
import dev.clothes.inference.json.Json;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request log line built directly, for what the ImageNet fixtures cannot show (the class-mix metric of a
 * 10-class bundle), and the EMF checker shown to fail on documents that break the specification.
 */
class RequestLogTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00.123Z");
    private static final RequestLog.Function FUNCTION = new RequestLog.Function("clothes-fn", "7");

    private static PredictService.Outcome success() {
        Classification result = new Classification(List.of(new Prediction("shirt", 6, 0.91f), new Prediction("t-shirt", 8, 0.05f)),
                new float[10], new Timings(2_500_000, 700_000, 9_100_000));
        return new PredictService.Outcome(200, Json.mapper().createObjectNode(), PredictRequest.Source.API_GATEWAY_REST,
                new PredictService.Facts(PredictRequest.Input.MULTIPART, null, 28_331, result, null));
    }

    @Test
    void aTenClassBundleCountsEachPredictedLabel() {
        ObjectNode line = RequestLog.line("r-1", success(), 14.237, FUNCTION, "clothes/3", 10, true, NOW);
        assertThat(EmfSpecification.violations(line)).isEmpty();
        assertThat(RequestLogLines.metrics(line)).isEqualTo(RequestLogLines.expectedMetrics(200, false, true));
        assertThat(line.toString()).isEqualTo("{\"level\":\"INFO\",\"timestamp\":\"2026-12-06T12:00:00.123Z\","
                + "\"requestId\":\"r-1\",\"status\":200,\"source\":\"multipart\",\"bytes\":28331,\"decodeMs\":2.5,"
                + "\"preprocessMs\":0.7,\"inferenceMs\":9.1,\"totalMs\":14.24,\"label\":\"shirt\",\"score\":0.91,"
                + "\"model\":\"clothes/3\",\"function\":\"clothes-fn\",\"version\":\"7\",\"requests\":1,\"predictions\":1,"
                + "\"_aws\":{\"Timestamp\":1796558400123,\"CloudWatchMetrics\":["
                + "{\"Namespace\":\"ClothesClassifier\",\"Dimensions\":[[\"function\"],[\"function\",\"version\"]],"
                + "\"Metrics\":[{\"Name\":\"totalMs\",\"Unit\":\"Milliseconds\"},{\"Name\":\"requests\",\"Unit\":\"Count\"}]},"
                + "{\"Namespace\":\"ClothesClassifier\",\"Dimensions\":[[\"function\",\"label\"]],"
                + "\"Metrics\":[{\"Name\":\"predictions\",\"Unit\":\"Count\"}]}]}}");
        // Above the limit, the label stays in the line for queries but is no metric dimension.
        ObjectNode many = RequestLog.line("r-2", success(), 14, FUNCTION, "imagenet/1", 1001, true, NOW);
        assertThat(many.has("predictions")).isFalse();
        assertThat(many.path("label").asText()).isEqualTo("shirt");
    }

    @Test
    void theSnapStartPrimingLineCarriesNoMetrics() {
        ObjectNode line = RequestLog.line("snapstart-prime", success(), 50, FUNCTION, "clothes/3", 10, false, NOW);
        assertThat(line.has("_aws")).isFalse();
        assertThat(line.toString()).contains("\"requestId\":\"snapstart-prime\",\"status\":200");
    }

    @Test
    void theCheckerRejectsDocumentsThatBreakTheSpecification() throws Exception {
        ObjectNode valid = RequestLog.line("r-1", success(), 14, FUNCTION, "clothes/3", 10, true, NOW);
        assertThat(EmfSpecification.violations(valid)).isEmpty();

        ObjectNode noTimestamp = valid.deepCopy();
        ((ObjectNode) noTimestamp.get("_aws")).remove("Timestamp");
        assertThat(EmfSpecification.violations(noTimestamp)).anyMatch(v -> v.contains("_aws.Timestamp"));

        ObjectNode secondsTimestamp = valid.deepCopy();
        ((ObjectNode) secondsTimestamp.get("_aws")).put("Timestamp", NOW.getEpochSecond());
        assertThat(EmfSpecification.violations(secondsTimestamp)).anyMatch(v -> v.contains("not in milliseconds"));

        ObjectNode numericDimension = valid.deepCopy().put("version", 7);
        assertThat(EmfSpecification.violations(numericDimension)).anyMatch(v -> v.contains("dimension \"version\""));

        ObjectNode textMetric = valid.deepCopy().put("totalMs", "14 ms");
        assertThat(EmfSpecification.violations(textMetric)).anyMatch(v -> v.contains("metric \"totalMs\""));

        ObjectNode missingMetric = valid.deepCopy();
        missingMetric.remove("predictions");
        assertThat(EmfSpecification.violations(missingMetric)).anyMatch(v -> v.contains("metric \"predictions\""));

        ObjectNode badUnit = (ObjectNode) Json.mapper().readTree(valid.toString().replace("\"Milliseconds\"", "\"ms\""));
        assertThat(EmfSpecification.violations(badUnit)).anyMatch(v -> v.contains("not a CloudWatch unit"));

        ObjectNode noDimensions = (ObjectNode) Json.mapper().readTree(valid.toString()
                .replace("[[\"function\",\"label\"]]", "[]"));
        assertThat(EmfSpecification.violations(noDimensions)).anyMatch(v -> v.contains("at least one DimensionSet"));

        ObjectNode extraMember = valid.deepCopy();
        ((ObjectNode) extraMember.get("_aws").get("CloudWatchMetrics").get(0)).put("StorageResolutions", 1);
        assertThat(EmfSpecification.violations(extraMember)).anyMatch(v -> v.contains("StorageResolutions"));
    }
}
