package dev.clothes.quality.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.fetch.PublicAddressPolicy;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.runtime.tflite.TfliteBundles;
import dev.clothes.lambda.handler.PredictHandler;
import dev.clothes.lambda.local.RestEvent;
import dev.clothes.testing.Shared;

import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * Any event through the real handler (the stock MobileNetV2 behind it): API Gateway REST and HTTP API
 * envelopes with fuzzed headers and bodies, and raw fuzzed JSON events. The handler must answer every
 * one with a status below 500 and a JSON body naming the request id. URLs resolve nowhere (a resolver
 * that knows no names), so the fuzzer exercises URL parsing without touching the network.
 */
class EventHandlingFuzzTest {

    private static final PredictHandler HANDLER = new PredictHandler(
            new Classifier(TfliteBundles.wrap(Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"), Shared.imagenetLabels()), ClassifierOptions.DEFAULT),
            new ImageFetcher(FetchLimits.DEFAULT, new PublicAddressPolicy(false), host -> {
                throw new UnknownHostException(host);
            }, (SSLSocketFactory) SSLSocketFactory.getDefault()));

    @FuzzTest(maxDuration = "10s")
    void events(FuzzedDataProvider data) {
        Map<String, Object> event;
        switch (data.consumeInt(0, 3)) {
            case 0 -> event = restEvent(data);
            case 1 -> event = httpApiEvent(data);
            case 2 -> {
                event = new HashMap<>();
                event.put(data.consumeBoolean() ? "url" : "image", data.consumeString(500));
                if (data.consumeBoolean()) {
                    event.put("topK", data.consumeInt());
                }
            }
            default -> {
                try {
                    event = Json.mapper().readValue(data.consumeRemainingAsString(), new TypeReference<>() { });
                } catch (Exception notAnObject) {
                    return; // Lambda itself refuses an event that is not a JSON object
                }
                if (event == null) {
                    return;
                }
            }
        }
        Map<String, Object> response = HANDLER.handleRequest(event, null);
        Object status = response.containsKey("statusCode") ? response.get("statusCode") : response.get("status");
        if (!(status instanceof Integer code) || code >= 500) {
            throw new IllegalStateException("status " + status + " for " + abbreviate(event) + ": " + response);
        }
    }

    private static Map<String, Object> restEvent(FuzzedDataProvider data) {
        String contentType = data.consumeString(40);
        boolean base64 = data.consumeBoolean();
        return RestEvent.predict(contentType, data.consumeRemainingAsString(), base64, "fuzz");
    }

    private static Map<String, Object> httpApiEvent(FuzzedDataProvider data) {
        Map<String, Object> event = new HashMap<>();
        event.put("version", "2.0");
        event.put("rawPath", "/predict");
        event.put("headers", Map.of("content-type", data.consumeString(40)));
        event.put("isBase64Encoded", data.consumeBoolean());
        event.put("requestContext", Map.of("requestId", "fuzz", "http", Map.of("method", "POST")));
        event.put("body", data.consumeRemainingAsString());
        return event;
    }

    private static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() < 300 ? s : s.substring(0, 300) + "...";
    }
}
