package dev.clothes.lambda.ric;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.runtime.tflite.TfliteBundles;
import dev.clothes.lambda.local.RuntimeApiEmulator;
import dev.clothes.testing.Shared;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler inside the real AWS Lambda Runtime Interface Client (a child JVM, as in the
 * container image), against a Runtime API served on loopback: next invocation -> handler -> posted response.
 */
class RuntimeInterfaceClientTest {

    @TempDir
    Path tmp;

    @Test
    void handlerAnswersThroughTheLambdaRuntimeProtocol() throws Exception {
        Path bundle = tmp.resolve("model");
        TfliteBundles.wrap(Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"), Shared.imagenetLabels(), "mobilenet-v2-imagenet").writeTo(bundle);
        String event = Json.mapper().writeValueAsString(Map.of(
                "image", Base64.getEncoder().encodeToString(Files.readAllBytes(Shared.imagenet("cat_720p.jpg")))));

        RuntimeApiEmulator.Invocation invocation = RuntimeApiEmulator.invoke(bundle, event,
                "8476a536-e9f4-11e8-9739-2dfe598c3fcd", System.getProperty("java.class.path"),
                tmp.resolve("function.log"), Duration.ofSeconds(90));

        JsonNode body = Json.mapper().readTree(invocation.response());
        assertThat(body.get("predictions").get(0).get("label").asText()).as(invocation.log()).isEqualTo("Egyptian cat");
        assertThat(body.get("requestId").asText()).isEqualTo("8476a536-e9f4-11e8-9739-2dfe598c3fcd");
        assertThat(invocation.log()).contains("\"status\":200");
    }
}
