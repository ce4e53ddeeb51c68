package dev.clothes.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.fetch.PublicAddressPolicy;

import org.crac.Core;
import org.crac.Resource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Lambda entry point. The classifier is built once per container (Lambda's INIT phase) from
 * the bundle at {@code $MODEL_BUNDLE} (default {@code /var/task/model}); URLs are fetched only from
 * public addresses unless {@code ALLOW_LOOPBACK_URLS=true} (local development).
 */
public final class PredictHandler implements RequestHandler<Map<String, Object>, Map<String, Object>>, Resource {

    private final PredictService service;

    public PredictHandler() {
        this(Classifier.open(Path.of(Optional.ofNullable(System.getenv("MODEL_BUNDLE")).orElse("/var/task/model")),
                        ClassifierOptions.DEFAULT),
                new ImageFetcher(FetchLimits.DEFAULT, new PublicAddressPolicy(
                        Boolean.parseBoolean(System.getenv("ALLOW_LOOPBACK_URLS")))));
    }

    public PredictHandler(Classifier classifier, ImageFetcher fetcher) {
        this.service = new PredictService(classifier, fetcher);
        // SnapStart (CRaC) calls the hooks below around the snapshot; elsewhere this is a no-op.
        Core.getGlobalContext().register(this);
    }

    /** Before the SnapStart snapshot: one real inference, so the snapshot holds a warm model and warm code paths. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        long start = System.nanoTime();
        PredictService.Outcome primed = service.handle(Map.of("image", PRIMING_IMAGE), "snapstart-prime");
        if (primed.status() != 200) {
            throw new IllegalStateException("priming inference failed: " + primed.body());
        }
        log("snapstart-prime", primed, (System.nanoTime() - start) / 1e6);
    }

    /** Nothing to re-create: the fetcher opens a fresh socket per request and keeps no threads or connections. */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
    }

    /** A small black JPEG (64x64), enough to run the JPEG decoder, preprocessing and the model once. */
    private static final String PRIMING_IMAGE = primingImage();

    private static String primingImage() {
        try {
            java.awt.image.BufferedImage grey = new java.awt.image.BufferedImage(64, 64,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(grey, "jpg", jpeg);
            return java.util.Base64.getEncoder().encodeToString(jpeg.toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        long start = System.nanoTime();
        String requestId = requestId(event, context);
        PredictService.Outcome outcome = service.handle(event, requestId);
        log(requestId, outcome, (System.nanoTime() - start) / 1e6);
        if (outcome.source() == PredictRequest.Source.DIRECT) {
            // A direct invocation's answer is the body itself, which the runtime serialises from a map.
            @SuppressWarnings("unchecked")
            Map<String, Object> body = Json.mapper().convertValue(outcome.body(), Map.class);
            return body;
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("statusCode", outcome.status());
        response.put("headers", Map.of("Content-Type", "application/json", "X-Request-Id", requestId));
        try {
            response.put("body", Json.mapper().writeValueAsString(outcome.body()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        response.put("isBase64Encoded", false);
        return response;
    }

    /** Lambda's request id; without a Lambda context (local runs), API Gateway's, else a fresh one. */
    private static String requestId(Map<String, Object> event, Context context) {
        if (context != null && context.getAwsRequestId() != null) {
            return context.getAwsRequestId();
        }
        if (event != null && event.get("requestContext") instanceof Map<?, ?> rc && rc.get("requestId") != null) {
            return String.valueOf(rc.get("requestId"));
        }
        return "local-" + java.util.UUID.randomUUID();
    }

    /** One structured line per request. */
    private static void log(String requestId, PredictService.Outcome outcome, double millis) {
        var line = Json.mapper().createObjectNode().put("requestId", requestId).put("status", outcome.status())
                .put("latencyMs", Math.round(millis * 10) / 10.0);
        var top = outcome.body().path("predictions").path(0).path("label");
        if (!top.isMissingNode()) {
            line.put("top", top.asText());
        }
        System.out.println(line.toString());
    }
}
