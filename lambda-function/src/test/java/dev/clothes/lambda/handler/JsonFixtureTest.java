package dev.clothes.lambda.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clothes.inference.json.Json;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixture comparator must fail on real differences, or the fixture tests prove nothing. */
class JsonFixtureTest {

    private static final String EXPECTED = """
            {"statusCode": 200, "headers": {"X-Request-Id": "local-<uuid>"},
             "body": {"predictions": [{"label": "Egyptian cat", "score": 0.871}], "timingsMs": {"decode": "<any-number>"}}}
            """;

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    private static java.util.List<String> against(String actual) throws Exception {
        return JsonFixture.differences(json(EXPECTED), json(actual));
    }

    @Test
    void placeholdersAndToleranceAcceptTheVolatileParts() throws Exception {
        assertThat(against("""
                {"statusCode": 200, "headers": {"X-Request-Id": "local-8feaedd8-6fdc-4eed-94f6-dcfefa1bc64c"},
                 "body": {"predictions": [{"label": "Egyptian cat", "score": 0.8789}], "timingsMs": {"decode": 12.5}}}
                """)).isEmpty();
    }

    @Test
    void everythingElseMustMatch() throws Exception {
        String ok = "{\"statusCode\": 200, \"headers\": {\"X-Request-Id\": \"local-8feaedd8-6fdc-4eed-94f6-dcfefa1bc64c\"},"
                + " \"body\": {\"predictions\": [{\"label\": \"Egyptian cat\", \"score\": 0.871}], \"timingsMs\": {\"decode\": 3}}}";
        assertThat(against(ok)).isEmpty();
        assertThat(against(ok.replace("200", "201"))).singleElement().asString().startsWith("$.statusCode");
        assertThat(against(ok.replace("200", "200.0"))).singleElement().asString().startsWith("$.statusCode");
        assertThat(against(ok.replace("Egyptian cat", "tabby"))).singleElement().asString()
                .startsWith("$.body.predictions[0].label");
        assertThat(against(ok.replace("0.871", "0.8"))).singleElement().asString()
                .startsWith("$.body.predictions[0].score");
        assertThat(against(ok.replace("\"decode\": 3", "\"decode\": \"3\""))).singleElement().asString()
                .startsWith("$.body.timingsMs.decode");
        assertThat(against(ok.replace("local-8feaedd8", "local-8feaedd"))).singleElement().asString()
                .startsWith("$.headers.X-Request-Id");
        assertThat(against(ok.replace("\"statusCode\": 200,", "\"statusCode\": 200, \"extra\": 1,")))
                .singleElement().asString().startsWith("$.extra: unexpected");
        assertThat(against(ok.replace("\"statusCode\": 200,", ""))).singleElement().asString()
                .startsWith("$.statusCode: missing");
        assertThat(against(ok.replace("}]", "}, {\"label\": \"tabby\", \"score\": 0.1}]"))).singleElement()
                .asString().startsWith("$.body.predictions: expected an array of 1");
    }
}
